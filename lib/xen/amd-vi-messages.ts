// What Xen 4.8–4.22 prints about the IVRS table (IVHD/IVMD blocks, IO-APIC and HPET entries) and
// about the AMD IOMMU failing to start, and what each means for a firmware under test. Read at
// every release tag RELEASE-4.8.0 … RELEASE-4.22.0 of xen-project/xen, files
// xen/drivers/passthrough/amd/{iommu_acpi,iommu_detect,iommu_init,iommu_intr,pci_amd_iommu}.c and
// xen/drivers/passthrough/x86/iommu.c (iommu_unity_region_ok, 4.19+).
//
// Two eras of wording. Up to 4.15 most parse errors went through AMD_IOMMU_DEBUG ("AMD-Vi: IVHD
// Error: …"), printed only with iommu=debug. Since 4.16 (commit 91f428ea7c "AMD/IOMMU: expose
// errors and warnings unconditionally") they go through AMD_IOMMU_ERROR / AMD_IOMMU_WARN
// (xen/drivers/passthrough/amd/iommu.h): "AMD-Vi: Error: IVHD: …", "AMD-Vi: Warning: …", always
// printed. A few plain printk()s keep their wording in both eras ("No southbridge IO-APIC found in
// IVRS table", "IVHD Error: Invalid IO-APIC …").
//
// The classes (the diagnosis code of each):
//   IVRS_ERROR           the table, an IVHD or IVMD block, or a device entry is wrong: Xen drops the
//                        IVRS (or the device's isolation/unity map). Firmware bug → fails.
//   IVRS_INTREMAP_ERROR  the IO-APIC/HPET special entries are missing or wrong: interrupt
//                        remapping (and with it, on x2APIC systems, the IOMMU) is lost. Fails.
//   IOMMU_INIT_FAILED    Xen could not start the IOMMU (the catch-all "Error initialization", an
//                        allocation or IRQ failure, SP5100 erratum 28). Fails.
//   CPU_NO_CX16          4.18.5+/4.19.2+: the CPU lacks CMPXCHG16B, Xen refuses the IOMMU. No
//                        apu2 CPU lacks it: a twin CPU model that drops cx16 — the lab's problem.
//   IOMMU_ENABLED_BY_FIRMWARE  4.20.4+: firmware handed over with the IOMMU on; Xen turns it off
//                        and sets it up itself. Worth knowing, not a failure.
//   IVRS_WARNING         Xen worked around an IVRS oddity and went on (a duplicate IO-APIC entry, a
//                        second HPET, an IVMD range outside reserved memory that Xen reserved,
//                        an IVMD naming a device no IOMMU covers). Reported, does not fail.
//   AMD_VI_ERROR         any other "AMD-Vi: Error: " line (a wording newer than this table): an
//                        error all the same, so a new Xen cannot make the check pass silently.
// Debug output such as "AMD-Vi: IVHD: IOMMU @ …" (4.20+), "IVHD Device Entry", "IVHD Special",
// "EFRSup not set in ACPI table" is none of these.

import type { DiagnosisCode } from '../core/error-codes.ts';
import { literalGate, mayMatch, requiredLiterals } from './regex-literal.ts';

export type AmdViCode = Extract<
  DiagnosisCode,
  | 'IVRS_ERROR'
  | 'IVRS_INTREMAP_ERROR'
  | 'IOMMU_INIT_FAILED'
  | 'CPU_NO_CX16'
  | 'IOMMU_ENABLED_BY_FIRMWARE'
  | 'IVRS_WARNING'
  | 'AMD_VI_ERROR'
>;

export interface AmdViMessage {
  code: AmdViCode;
  /** Matches the message anywhere in a line (prefix, timestamp, colour codes before it). */
  pattern: RegExp;
  /** The format string as in Xen's source, prefix included. */
  wording: string;
  /** Release tags whose source prints it. */
  xen: string;
  /** File under xen/drivers/passthrough/. */
  file: string;
}

const m = (code: AmdViCode, pattern: RegExp, wording: string, xen: string, file: string): AmdViMessage => ({
  code,
  pattern,
  wording,
  xen,
  file,
});

const ACPI = 'amd/iommu_acpi.c';
const DETECT = 'amd/iommu_detect.c';
const INIT = 'amd/iommu_init.c';
const INTR = 'amd/iommu_intr.c';
const PCI = 'amd/pci_amd_iommu.c';
const X86 = 'x86/iommu.c';
const OLD = '4.8.0–4.15.7 (iommu=debug only)';
const NEW = '4.16.0–4.22.0';

/** Most specific first: the first pattern that matches classifies a line. */
export const AMD_VI_MESSAGES: readonly AmdViMessage[] = [
  // The table as a whole.
  m('IVRS_ERROR', /IVRS Error: Invalid Checksum/, 'AMD-Vi: IVRS Error: Invalid Checksum %#x', OLD, ACPI),
  m('IVRS_ERROR', /IVRS: invalid checksum/, 'AMD-Vi: Error: IVRS: invalid checksum %#x', NEW, ACPI),
  m(
    'IVRS_ERROR',
    /IVRS Error: Table Length Exceeded/,
    'AMD-Vi: IVRS Error: Table Length Exceeded: %#x -> %#lx',
    OLD,
    ACPI,
  ),
  m('IVRS_ERROR', /IVRS: table length exceeded/, 'AMD-Vi: Error: IVRS: table length exceeded: %#x -> %#lx', NEW, ACPI),
  m('IVRS_ERROR', /Cannot find supported IVHD type/, 'Cannot find supported IVHD type.', '4.8.0–4.22.0', ACPI),
  // IVHD blocks (iommu_detect.c checks the block, iommu_acpi.c its device entries).
  m('IVRS_ERROR', /Invalid IVHD Block Length!/, 'AMD-Vi: Invalid IVHD Block Length!', OLD, DETECT),
  m('IVRS_ERROR', /Error: invalid IVHD block length/, 'AMD-Vi: Error: invalid IVHD block length', NEW, DETECT),
  m('IVRS_ERROR', /Invalid IVHD Block!/, 'AMD-Vi: Invalid IVHD Block!', OLD, DETECT),
  m('IVRS_ERROR', /Error: invalid IVHD block\b(?! length)/, 'AMD-Vi: Error: invalid IVHD block', NEW, DETECT),
  m('IVRS_ERROR', /IVHD Error: Invalid Block Length!/, 'AMD-Vi: IVHD Error: Invalid Block Length!', OLD, ACPI),
  m('IVRS_ERROR', /IVHD: invalid block length/, 'AMD-Vi: Error: IVHD: invalid block length', NEW, ACPI),
  m('IVRS_ERROR', /IVHD Error: Invalid Device Type!/, 'AMD-Vi: IVHD Error: Invalid Device Type!', OLD, ACPI),
  // AMD_IOMMU_WARN, yet fatal: parse_ivhd_block() then returns -ENODEV for the whole block.
  m('IVRS_ERROR', /IVHD: unknown device type/, 'AMD-Vi: Warning: IVHD: unknown device type %#x', NEW, ACPI),
  m(
    'IVRS_ERROR',
    /IVHD Error: Invalid Device_Entry Length!/,
    'AMD-Vi: IVHD Error: Invalid Device_Entry Length!',
    OLD,
    ACPI,
  ),
  m('IVRS_ERROR', /IVHD: invalid Device_Entry length/, 'AMD-Vi: Error: IVHD: invalid Device_Entry length', NEW, ACPI),
  m(
    'IVRS_ERROR',
    /IVHD Error: Invalid Device_Entry Dev_Id/,
    'AMD-Vi: IVHD Error: Invalid Device_Entry Dev_Id %#x',
    OLD,
    ACPI,
  ),
  m(
    'IVRS_ERROR',
    /IVHD: invalid Device_Entry Dev_Id/,
    'AMD-Vi: Error: IVHD: invalid Device_Entry Dev_Id %#x',
    NEW,
    ACPI,
  ),
  m(
    'IVRS_ERROR',
    /IVHD Error: Invalid Range: (?:End_Type|First Dev_Id|Last Dev_Id)/,
    'AMD-Vi: IVHD Error: Invalid Range: End_Type|First Dev_Id|Last Dev_Id %#x',
    OLD,
    ACPI,
  ),
  m(
    'IVRS_ERROR',
    /IVHD: invalid range: (?:End_Type|First Dev_Id|Last Dev_Id)/,
    'AMD-Vi: Error: IVHD: invalid range: End_Type|First Dev_Id|Last Dev_Id %#x',
    NEW,
    ACPI,
  ),
  // Still AMD_IOMMU_DEBUG in 4.22 (parse_ivhd_device_alias_range), beside the 4.16+ ERROR wording.
  m(
    'IVRS_ERROR',
    /IVHD Error: Invalid Alias Dev_Id/,
    'AMD-Vi: IVHD Error: Invalid Alias Dev_Id %#x',
    '4.8.0–4.22.0 (iommu=debug only)',
    ACPI,
  ),
  m('IVRS_ERROR', /IVHD: invalid Alias Dev_Id/, 'AMD-Vi: Error: IVHD: invalid Alias Dev_Id %#x', NEW, ACPI),
  m('IVRS_ERROR', /IVHD Error: No IOMMU for Dev_Id/, 'AMD-Vi: IVHD Error: No IOMMU for Dev_Id %#x Cap %#x', OLD, ACPI),
  m('IVRS_ERROR', /IVHD: no IOMMU for Dev_Id/, 'AMD-Vi: Error: IVHD: no IOMMU for Dev_Id %#x Cap %#x', NEW, ACPI),
  // IVMD blocks: the memory a device must (or must never) reach.
  m(
    'IVRS_ERROR',
    /IVMD Error: (?:Invalid Block Length|Invalid Block Type|Invalid Flag Field)!/,
    'AMD-Vi: IVMD Error: Invalid Block Length!|Invalid Block Type!|Invalid Flag Field!',
    OLD,
    ACPI,
  ),
  m(
    'IVRS_ERROR',
    /IVMD: (?:invalid block length|unknown block type|invalid flag field)/,
    'AMD-Vi: Error: IVMD: invalid block length|unknown block type %#x|invalid flag field',
    NEW,
    ACPI,
  ),
  m(
    'IVRS_ERROR',
    /IVMD Error: Invalid (?:Dev_Id|Range_First Dev_Id|Range_Last Dev_Id)/,
    'AMD-Vi: IVMD Error: Invalid Dev_Id|Range_First Dev_Id|Range_Last Dev_Id %#x',
    OLD,
    ACPI,
  ),
  m(
    'IVRS_ERROR',
    /IVMD: invalid (?:Dev_Id|Range_First Dev_Id|Range_Last Dev_Id)/,
    'AMD-Vi: Error: IVMD: invalid Dev_Id|Range_First Dev_Id|Range_Last Dev_Id %#x',
    NEW,
    ACPI,
  ),
  m(
    'IVRS_ERROR',
    /IVMD Error: No IOMMU for Dev_Id/,
    'AMD-Vi: IVMD Error: No IOMMU for Dev_Id %#x Cap %#x | %#x!',
    OLD,
    ACPI,
  ),
  m(
    'IVRS_ERROR',
    /IVMD: no IOMMU for Dev_Id/,
    'AMD-Vi: Error: IVMD: no IOMMU for Dev_Id %#x [Cap %#x]',
    `${NEW} (without Cap: 4.16.0–4.18.3, 4.19.0)`,
    ACPI,
  ),
  m(
    'IVRS_ERROR',
    /IVMD Error: overlap \[/,
    'AMD-Vi: IVMD Error: overlap [%lx,%lx) vs [%lx,%lx)',
    '4.13.4–4.13.5, 4.14.3–4.14.6, 4.15.1–4.15.7 (iommu=debug only)',
    ACPI,
  ),
  m('IVRS_ERROR', /IVMD: overlap \[/, 'AMD-Vi: Error: IVMD: overlap [%lx,%lx) vs [%lx,%lx)', NEW, ACPI),
  // Xen skips the block: the unity map the firmware asked for is not made.
  m(
    'IVRS_ERROR',
    /IVMD: \[[0-9a-fx]+,\s*[0-9a-fx]+\) is not IOMMU addressable/,
    'AMD-Vi: Warning: IVMD: [%lx,%lx) is not IOMMU addressable',
    NEW,
    ACPI,
  ),
  m(
    'IVRS_ERROR',
    /IVMD: page at \S+ (?:couldn't be reserved|can't be converted)/,
    "AMD-Vi: Error: IVMD: page at %lx couldn't be reserved|can't be converted; 4.19+: IVMD: page at %#lx …",
    `4.16.0–4.18.6 (${ACPI}), 4.19.0–4.22.0 (${X86})`,
    ACPI,
  ),
  // A device Xen met on the PCI bus that no IVHD entry covers: dom0 does not get it.
  m(
    'IVRS_ERROR',
    /No iommu for device [0-9a-f]{4}:/,
    'AMD-Vi: No iommu for device %04x:%02x:%02x.%u',
    '4.8.0–4.9.4 (iommu=debug only)',
    PCI,
  ),
  m(
    'IVRS_ERROR',
    /[Nn]o (?:iommu|IOMMU) for \S+; cannot be handed to/,
    'AMD-Vi: No iommu for %pp; cannot be handed to d%d | 4.16+: AMD-Vi: Warning: no IOMMU for %pp; cannot be handed to %pd',
    '4.10.0–4.15.7 (iommu=debug only), 4.16.0–4.22.0',
    PCI,
  ),
  m(
    'IVRS_ERROR',
    /[Ff]ail(?:ed)? to find (?:iommu|IOMMU)[.:] \S+ cannot be assigned to/,
    'AMD-Vi: Fail to find iommu. %pp cannot be assigned to dom%d | 4.16+: AMD-Vi: Warning: failed to find IOMMU: %pp cannot be assigned to %pd',
    '4.8.0–4.15.7 (iommu=debug only), 4.16.0–4.22.0',
    PCI,
  ),
  m('IVRS_ERROR', /: unity mapping failed for /, 'AMD-Vi: Warning: %pd: unity mapping failed for %pp', NEW, PCI),

  // IO-APIC and HPET entries: what interrupt remapping needs.
  m(
    'IVRS_INTREMAP_ERROR',
    /No southbridge IO-APIC found in IVRS table/,
    'No southbridge IO-APIC found in IVRS table',
    '4.8.0–4.22.0',
    ACPI,
  ),
  m(
    'IVRS_INTREMAP_ERROR',
    /IVHD Error: Conflicting IO-APIC/,
    'IVHD Error: Conflicting IO-APIC %#x entries',
    '4.8.0–4.15.7',
    ACPI,
  ),
  m(
    'IVRS_INTREMAP_ERROR',
    /IVHD: conflicting IO-APIC/,
    'AMD-Vi: Error: IVHD: conflicting IO-APIC %#x entries',
    NEW,
    ACPI,
  ),
  m('IVRS_INTREMAP_ERROR', /IVHD Error: Invalid IO-APIC/, 'IVHD Error: Invalid IO-APIC %#x', '4.8.0–4.22.0', ACPI),
  m(
    'IVRS_INTREMAP_ERROR',
    /IVHD Error: no information for IO-APIC/,
    'IVHD Error: no information for IO-APIC %#x',
    '4.8.0–4.22.0',
    ACPI,
  ),
  m('IVRS_INTREMAP_ERROR', /IVHD Error: Too many IO APICs/, 'IVHD Error: Too many IO APICs.', '4.9.0–4.22.0', ACPI),
  m(
    'IVRS_INTREMAP_ERROR',
    /IVHD Error: IO-APIC \S+ entry beyond bounds/,
    'IVHD Error: IO-APIC %#x entry beyond bounds',
    '4.8.0–4.8.5',
    ACPI,
  ),
  m(
    'IVRS_INTREMAP_ERROR',
    /Unrecognized IVHD special variety/,
    'Unrecognized IVHD special variety %#x',
    '4.8.0–4.22.0',
    ACPI,
  ),
  m(
    'IVRS_INTREMAP_ERROR',
    /Fail to find iommu for ioapic device id/,
    'AMD-Vi: Fail to find iommu for ioapic device id = %04x:%04x',
    OLD,
    INTR,
  ),
  m(
    'IVRS_INTREMAP_ERROR',
    /failed to find IOMMU for IO-APIC @/,
    'AMD-Vi: Warning: failed to find IOMMU for IO-APIC @ %04x:%04x',
    NEW,
    INTR,
  ),
  // amd_iommu_supports_interrupt_remapping() then answers false: no interrupt remapping.
  m(
    'IVRS_INTREMAP_ERROR',
    /[Nn]o IOMMU for IO-APIC \S+ \(ID/,
    'AMD-Vi: No IOMMU for IO-APIC %#x (ID %x) | 4.16+: AMD-Vi: Warning: no IOMMU for IO-APIC %#x (ID %x)',
    '4.13.0–4.15.7 (iommu=debug only), 4.16.0–4.22.0',
    INTR,
  ),
  m(
    'IVRS_INTREMAP_ERROR',
    /Failed to setup HPET MSI remapping\. (?:Missing IVRS HPET info|Wrong HPET)/,
    'AMD-Vi: Failed to setup HPET MSI remapping. Missing IVRS HPET info.|Wrong HPET.',
    OLD,
    INTR,
  ),
  m(
    'IVRS_INTREMAP_ERROR',
    /failed to setup HPET MSI remapping: (?:missing IVRS HPET info|wrong HPET)/,
    'AMD-Vi: Error: failed to setup HPET MSI remapping: missing IVRS HPET info|wrong HPET',
    NEW,
    INTR,
  ),

  // The IOMMU did not start.
  m(
    'CPU_NO_CX16',
    /no CMPXCHG16B support, disabling IOMMU/,
    'AMD-Vi: Error: no CMPXCHG16B support, disabling IOMMU',
    '4.18.5–4.18.6, 4.19.2–4.22.0',
    `${INTR}, ${PCI}`,
  ),
  m('IOMMU_INIT_FAILED', /AMD-Vi: Error initialization/, 'AMD-Vi: Error initialization', '4.8.0–4.22.0', PCI),
  m(
    'IOMMU_INIT_FAILED',
    /AMD-Vi: Error -?\d+ initializing for x2APIC mode/,
    'AMD-Vi: Error %d initializing for x2APIC mode',
    '4.13.0–4.22.0',
    PCI,
  ),
  m(
    'IOMMU_INIT_FAILED',
    /AMD-Vi: SP5100 erratum 28 detected, disabling IOMMU/,
    'AMD-Vi: SP5100 erratum 28 detected, disabling IOMMU.',
    '4.8.0–4.22.0',
    INIT,
  ),
  m(
    'IOMMU_INIT_FAILED',
    /AMD-Vi: (?:Error: )?can't request irq/,
    "AMD-Vi: can't request irq | 4.16+: AMD-Vi: Error: can't request irq",
    `${OLD}, ${NEW}`,
    INIT,
  ),
  m(
    'IOMMU_INIT_FAILED',
    /AMD-Vi: (?:Error allocating |Error: cannot allocate )/,
    'AMD-Vi: Error allocating %s|IVRS Mappings table|amd_iommu | 4.16+: AMD-Vi: Error: cannot allocate …',
    `${OLD}, ${NEW}`,
    `${INIT}, ${DETECT}`,
  ),
  m('IOMMU_INIT_FAILED', /IVHD Error: Out of memory/, 'IVHD Error: Out of memory', '4.8.0–4.22.0', ACPI),
  m(
    'IOMMU_INIT_FAILED',
    /Remapping IO-APIC \S+ pin \d+ failed/,
    'Remapping IO-APIC %#x pin %u failed (%d)',
    '4.8.0–4.22.0',
    INTR,
  ),

  // Reported, not failed.
  m(
    'IOMMU_ENABLED_BY_FIRMWARE',
    /AMD-Vi: IOMMU \S+ enabled by firmware/,
    'AMD-Vi: IOMMU %pp enabled by firmware (ctrl %016lx)',
    '4.20.4, 4.21.2–4.22.0 (commit bdb30883f3 and backports)',
    INIT,
  ),
  m(
    'IVRS_WARNING',
    /IVHD Warning: Duplicate IO-APIC/,
    'AMD-Vi: IVHD Warning: Duplicate IO-APIC %#x entries',
    OLD,
    ACPI,
  ),
  m('IVRS_WARNING', /IVHD: duplicate IO-APIC/, 'AMD-Vi: Warning: IVHD: duplicate IO-APIC %#x entries', NEW, ACPI),
  m(
    'IVRS_WARNING',
    /Only one IVHD HPET entry is supported/,
    'Only one IVHD HPET entry is supported.',
    '4.8.0–4.22.0',
    ACPI,
  ),
  m(
    'IVRS_WARNING',
    /IVMD: \[[0-9a-fx]+,\s*[0-9a-fx]+[)\]] is not \(entirely\) in reserved memory/,
    'AMD-Vi: Warning: IVMD: [%lx,%lx) is not (entirely) in reserved memory | 4.19+: IVMD: [%#lx, %#lx] is not (entirely) in reserved memory',
    `4.16.0–4.18.6 (${ACPI}), 4.19.0–4.22.0 (${X86})`,
    ACPI,
  ),
  // Commit 2defb54490 relaxed this from an error: real hardware does it, and it is "no worse than
  // booting without IOMMU support".
  m(
    'IVRS_WARNING',
    /IVMD: no IOMMU for device \S+ - ignoring constrain/,
    'AMD-Vi: Warning: IVMD: no IOMMU for device %pp - ignoring constrain',
    '4.18.4–4.18.6, 4.19.1–4.22.0',
    ACPI,
  ),
  m(
    'IVRS_WARNING',
    /not found in ACPI tables; using same IOMMU as function 0/,
    '%pp not found in ACPI tables; using same IOMMU as function 0',
    '4.8.0–4.22.0',
    PCI,
  ),

  // Any other AMD_IOMMU_ERROR: a wording newer than this table.
  m('AMD_VI_ERROR', /AMD-Vi: Error: /, 'AMD-Vi: Error: …', '4.16.0+', 'amd/iommu.h AMD_IOMMU_ERROR'),
];

const FAILS: ReadonlySet<AmdViCode> = new Set([
  'IVRS_ERROR',
  'IVRS_INTREMAP_ERROR',
  'IOMMU_INIT_FAILED',
  'CPU_NO_CX16',
  'AMD_VI_ERROR',
]);

/** Whether a class is an error (fails the IVRS check and `analyze`) or only reported. */
export function isFailing(code: AmdViCode): boolean {
  return FAILS.has(code);
}

/** Per message, the literals its pattern cannot match without (lib/xen/regex-literal.ts). */
const LITERALS = AMD_VI_MESSAGES.map((msg) => requiredLiterals(msg.pattern));
/** Any of them: a line without one is none of the messages. */
const GATE = literalGate(AMD_VI_MESSAGES.map((msg) => msg.pattern));

/**
 * The class of one line (or message), or null when it is none of the above. `gated`: the caller
 * has seen a literal of the table in it (lib/analyze/line-marks.ts), so the gate is not tried again.
 */
export function classifyAmdVi(line: string, gated = false): AmdViMessage | null {
  if (!gated && GATE && !GATE.test(line)) return null;
  for (let i = 0; i < AMD_VI_MESSAGES.length; i++) {
    // Most lines hold none of the words a pattern needs: an `includes` turns them away before the regex.
    if (!mayMatch(LITERALS[i], line)) continue;
    if (AMD_VI_MESSAGES[i].pattern.test(line)) return AMD_VI_MESSAGES[i];
  }
  return null;
}
