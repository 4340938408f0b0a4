// Facts from a Xen boot log or `xl dmesg`, Xen 4.8 to 4.22. The IOMMU verdict is
// "disabled" only on positive evidence ("I/O virtualisation disabled", or "AMD-Vi: IOMMU
// not found!" which only Xen <= 4.12 prints); a log cut short or an `xl dmesg` whose ring
// wrapped (no banner at its start) is "unknown". When a transcript holds several boots,
// the last verdict wins.
import { HOLDS, holdsNone, isXenLine, joinWithNext, type Line, toLines, xenMessage } from '../core/text.ts';
import { readAcpiTableList } from './acpi-tables.ts';
import { type AmdViCode, type AmdViMessage, classifyAmdVi, isFailing } from './amd-vi-messages.ts';
import { type NoIrqHandler, noIrqHandler } from './no-irq.ts';
import { literalScanner } from './regex-literal.ts';

type IommuVerdict = 'enabled' | 'disabled' | 'unknown';

interface LogHit {
  line: number;
  text: string;
}

/** A line lib/xen/amd-vi-messages.ts knows, with its class. */
export interface AmdViHit extends LogHit {
  code: AmdViCode;
}

export interface XenLogFacts {
  xenLines: number;
  bannerSeen: boolean;
  /** Xen lines without a banner: an `xl dmesg` ring that wrapped, or a capture started late. */
  wrapped: boolean;
  /** dom0 was started ("*** LOADING DOMAIN 0 ***" (4.8), "*** Building a PV Dom0 ***" (4.17), init memory freed). */
  reachedDom0: boolean;
  xenVersion: string | null;
  xenVersionFull: string | null;
  commandLine: string | null;
  acpiTables: string[];
  ivrs: boolean | null;
  iommu: IommuVerdict;
  iommuCount: number;
  iommuNotFound: boolean;
  interruptRemapping: boolean | null;
  dom0Mode: string | null;
  svm: boolean | null;
  hap: boolean | null;
  pciDevices: string[];
  /**
   * Xen's errors about the firmware's IVRS (table, IVHD, IVMD, IO-APIC/HPET entries) and the IOMMU
   * failing to start, in every wording of Xen 4.8–4.22 (lib/xen/amd-vi-messages.ts): the
   * firmware's failures. A CPU without CMPXCHG16B is not one of them (see cpuNoCx16).
   */
  ivhdErrors: AmdViHit[];
  /** What Xen worked around and reported without failing: IVRS_WARNING, IOMMU_ENABLED_BY_FIRMWARE. */
  ivrsWarnings: AmdViHit[];
  /** "AMD-Vi: Error: no CMPXCHG16B support, disabling IOMMU" (Xen 4.18.5+/4.19.2+). */
  cpuNoCx16: boolean;
  /** IOMMUs firmware left enabled ("AMD-Vi: IOMMU 0000:00:00.2 enabled by firmware", Xen 4.20.4+). */
  enabledByFirmware: string[];
  /** IOMMU base addresses the IVHD blocks give ("AMD-Vi: IVHD: IOMMU @ 0xfeb80000 …", 4.20+ debug). */
  ivhdIommus: string[];
  pageFaults: LogHit[];
  panics: LogHit[];
  noIrqHandler: NoIrqHandler;
}

const PAGE_FAULT = /IO_PAGE_FAULT/;
const PANIC = /Panic on CPU \d+|Xen BUG at |FATAL TRAP|Assertion '.*' failed/;

const VIRT_ENABLED = /^I\/O virtualisation enabled/;
const VIRT_DISABLED = /^I\/O virtualisation disabled/;
const XEN_VERSION = /^Xen version (\d+\.\d+(?:\.\d+)?)(\S*)/;
const COMMAND_LINE = /^Command line: (.*)$/;
const IOMMU_ENABLED = /^AMD-Vi: IOMMU (\d+) Enabled/;
const IOMMU_NOT_FOUND = /AMD-Vi: IOMMU not found!/;
const INTREMAP = /^Interrupt remapping (enabled|disabled)/;
const DOM0_MODE = /^\s*- Dom0 mode: (\S+)/;
const SVM = /^HVM: SVM (enabled|disabled)/;
const HAP = /^HVM: Hardware Assisted Paging \(HAP\) detected/;
const DOM0_STARTED = /^\*\*\* (?:LOADING DOMAIN 0|Building a PVH? Dom0) \*\*\*|^Freed \d+kB init memory/;
const PCI_ADD = /^PCI add device ([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7])/;
const ENABLED_BY_FIRMWARE = /AMD-Vi: IOMMU (\S+) enabled by firmware/;
const IVHD_IOMMU = /^AMD-Vi: IVHD: IOMMU @ (0x[0-9a-f]+)/;

/**
 * The patterns a message is tried with alone, and any literal of them (lib/xen/regex-literal.ts): a
 * message without one matches none of them. (amd-vi-messages.ts gates its own table.)
 */
export const LINE_PATTERNS: readonly RegExp[] = [
  VIRT_ENABLED,
  VIRT_DISABLED,
  XEN_VERSION,
  COMMAND_LINE,
  IOMMU_ENABLED,
  IOMMU_NOT_FOUND,
  INTREMAP,
  DOM0_MODE,
  SVM,
  HAP,
  DOM0_STARTED,
  PCI_ADD,
  ENABLED_BY_FIRMWARE,
  IVHD_IOMMU,
  PAGE_FAULT,
  PANIC,
];
/**
 * One scan of a message tells which of LINE_PATTERNS may match it: bit k for LINE_PATTERNS[k],
 * set when the message holds a literal of it (lib/xen/literal-scanner.ts). A message is tried only
 * with those; a pattern whose literals are unknown is always tried (the scanner is then null).
 */
const LINE_SCANNER = literalScanner(LINE_PATTERNS.map((p, k) => [1 << k, [p]] as const));
const ALL = -1;
const bit = (p: RegExp) => 1 << LINE_PATTERNS.indexOf(p);
const B_VERDICT = bit(VIRT_ENABLED) | bit(IOMMU_ENABLED) | bit(VIRT_DISABLED) | bit(IOMMU_NOT_FOUND);

/** Each pattern's bit, worked out once (a lookup per test was a fifth of the loop). */
const B = {
  XEN_VERSION: bit(XEN_VERSION),
  COMMAND_LINE: bit(COMMAND_LINE),
  IOMMU_ENABLED: bit(IOMMU_ENABLED),
  IOMMU_NOT_FOUND: bit(IOMMU_NOT_FOUND),
  INTREMAP: bit(INTREMAP),
  DOM0_MODE: bit(DOM0_MODE),
  SVM: bit(SVM),
  HAP: bit(HAP),
  DOM0_STARTED: bit(DOM0_STARTED),
  PCI_ADD: bit(PCI_ADD),
  ENABLED_BY_FIRMWARE: bit(ENABLED_BY_FIRMWARE),
  IVHD_IOMMU: bit(IVHD_IOMMU),
  PAGE_FAULT: bit(PAGE_FAULT),
  PANIC: bit(PANIC),
  VIRT_ENABLED: bit(VIRT_ENABLED),
  VIRT_DISABLED: bit(VIRT_DISABLED),
};
/** `which`: the patterns the message may match (bits as for LINE_SCANNER). */
const tried = (p: RegExp, b: number, m: string, which: number) => (which & b) !== 0 && p.test(m);
const execed = (p: RegExp, b: number, m: string, which: number) => ((which & b) !== 0 ? p.exec(m) : null);

function verdictOf(msg: string, which = ALL): IommuVerdict | null {
  if ((which & B_VERDICT) === 0) return null;
  if (tried(VIRT_ENABLED, B.VIRT_ENABLED, msg, which) || tried(IOMMU_ENABLED, B.IOMMU_ENABLED, msg, which))
    return 'enabled';
  if (tried(VIRT_DISABLED, B.VIRT_DISABLED, msg, which) || tried(IOMMU_NOT_FOUND, B.IOMMU_NOT_FOUND, msg, which))
    return 'disabled';
  return null;
}

/**
 * The class of a Xen line; a line that serial noise broke is tried joined with the next one,
 * unless that one has a class of its own (it is then counted there).
 */
function amdViClassOf(all: Line[], i: number, msg: string | null, gated: boolean): AmdViMessage | null {
  // null: a line that holds no literal of the table (lib/analyze/line-marks.ts); gated: it holds one.
  const alone = msg === null ? null : classifyAmdVi(msg, gated);
  // "AMD-Vi: Error: IVHD: invalid Dev" is only the catch-all until joined with its rest.
  if (alone && alone.code !== 'AMD_VI_ERROR') return alone;
  const joined = joinWithNext(all, i);
  if (!joined || classifyAmdVi(xenMessage(all[i + 1].text))) return alone;
  return classifyAmdVi(joined) ?? alone;
}

/** Made only for the lines that are reported: most are not, and an object per line was garbage. */
const hitOf = (l: Line): LogHit => ({ line: l.n, text: l.text });

export function parseXenLog(input: string | Line[]): XenLogFacts {
  const all = typeof input === 'string' ? toLines(input) : input;
  const f: XenLogFacts = {
    xenLines: 0,
    bannerSeen: false,
    wrapped: false,
    reachedDom0: false,
    xenVersion: null,
    xenVersionFull: null,
    commandLine: null,
    acpiTables: [],
    ivrs: null,
    iommu: 'unknown',
    iommuCount: 0,
    iommuNotFound: false,
    interruptRemapping: null,
    dom0Mode: null,
    svm: null,
    hap: null,
    pciDevices: [],
    ivhdErrors: [],
    ivrsWarnings: [],
    cpuNoCx16: false,
    enabledByFirmware: [],
    ivhdIommus: [],
    pageFaults: [],
    panics: [],
    noIrqHandler: noIrqHandler(all),
  };
  const iommus = new Set<string>();
  for (let i = 0; i < all.length; i++) {
    const line = all[i];
    if (!isXenLine(line.text)) continue;
    f.xenLines++;
    // Most messages hold no literal of any pattern below: then only a join with the next line can
    // match. A line marked by lib/analyze/line-marks.ts says so for LINE_PATTERNS and the AMD-Vi table.
    const held = line.holds;
    const amdViMaybe = held === undefined || (held & HOLDS.amdVi) !== 0;
    const m = held === undefined || (held & (HOLDS.xenLog | HOLDS.amdVi)) !== 0 ? xenMessage(line.text) : '';
    const which = held !== undefined && (held & HOLDS.xenLog) === 0 ? 0 : LINE_SCANNER ? LINE_SCANNER.holds(m) : ALL;
    const may = which !== 0;
    if (may) {
      const v = execed(XEN_VERSION, B.XEN_VERSION, m, which);
      if (v) {
        f.bannerSeen = true;
        f.xenVersion = v[1];
        f.xenVersionFull = v[1] + v[2];
      }
      const c = execed(COMMAND_LINE, B.COMMAND_LINE, m, which);
      if (c) f.commandLine = c[1].trim();
    }
    // The continuation of a line broken by noise may have lost its "(XEN) " prefix.
    const joined = joinWithNext(all, i);
    const verdict = (may ? verdictOf(m, which) : null) ?? (joined === null ? null : verdictOf(joined));
    if (verdict) f.iommu = verdict;
    if (may) {
      const e = execed(IOMMU_ENABLED, B.IOMMU_ENABLED, m, which);
      if (e) iommus.add(e[1]);
      if (tried(IOMMU_NOT_FOUND, B.IOMMU_NOT_FOUND, m, which)) f.iommuNotFound = true;
      const r = execed(INTREMAP, B.INTREMAP, m, which);
      if (r) f.interruptRemapping = r[1] === 'enabled';
      const d = execed(DOM0_MODE, B.DOM0_MODE, m, which);
      if (d) f.dom0Mode = d[1];
      const s = execed(SVM, B.SVM, m, which);
      if (s) f.svm = s[1] === 'enabled';
      if (tried(HAP, B.HAP, m, which)) f.hap = true;
      if (tried(DOM0_STARTED, B.DOM0_STARTED, m, which)) f.reachedDom0 = true;
      const p = execed(PCI_ADD, B.PCI_ADD, m, which);
      if (p && !f.pciDevices.includes(p[1])) f.pciDevices.push(p[1]);
    }
    const amdVi = amdViClassOf(all, i, amdViMaybe ? m : null, held !== undefined);
    if (amdVi) {
      const h = { ...hitOf(line), code: amdVi.code };
      if (amdVi.code === 'CPU_NO_CX16') f.cpuNoCx16 = true;
      else if (isFailing(amdVi.code)) f.ivhdErrors.push(h);
      else f.ivrsWarnings.push(h);
    }
    if (!may) continue;
    const fw = execed(ENABLED_BY_FIRMWARE, B.ENABLED_BY_FIRMWARE, m, which);
    if (fw && !f.enabledByFirmware.includes(fw[1])) f.enabledByFirmware.push(fw[1]);
    const io = execed(IVHD_IOMMU, B.IVHD_IOMMU, m, which);
    if (io && !f.ivhdIommus.includes(io[1])) f.ivhdIommus.push(io[1]);
    if (tried(PAGE_FAULT, B.PAGE_FAULT, m, which)) f.pageFaults.push(hitOf(line));
    if (tried(PANIC, B.PANIC, m, which)) f.panics.push(hitOf(line));
  }
  f.iommuCount = iommus.size;
  f.wrapped = f.xenLines > 0 && !f.bannerSeen;
  // Every line, in order: a table line whose "(XEN) " prefix noise destroyed still counts.
  const acpi = readAcpiTableList(
    all.length,
    (i) => xenMessage(all[i].text),
    (i) => holdsNone(all[i], HOLDS.other),
  );
  f.acpiTables = acpi.tables;
  f.ivrs = acpi.ivrs;
  return f;
}
