// Facts from a Xen boot log or `xl dmesg`, Xen 4.8 to 4.22. The IOMMU verdict is
// "disabled" only on positive evidence ("I/O virtualisation disabled", or "AMD-Vi: IOMMU
// not found!" which only Xen <= 4.12 prints); a log cut short or an `xl dmesg` whose ring
// wrapped (no banner at its start) is "unknown". When a transcript holds several boots,
// the last verdict wins.
import { isXenLine, joinWithNext, type Line, onMatch, toLines, xenMessage } from '../core/text.ts';
import { parseAcpiTableList } from './acpi-tables.ts';
import { type AmdViCode, type AmdViMessage, classifyAmdVi, isFailing } from './amd-vi-messages.ts';
import { type NoIrqHandler, noIrqHandler } from './no-irq.ts';
import { literalGate } from './regex-literal.ts';

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
const LINE_GATE = literalGate(LINE_PATTERNS);

function verdictOf(msg: string): IommuVerdict | null {
  if (VIRT_ENABLED.test(msg) || IOMMU_ENABLED.test(msg)) return 'enabled';
  if (VIRT_DISABLED.test(msg) || IOMMU_NOT_FOUND.test(msg)) return 'disabled';
  return null;
}

/**
 * The class of a Xen line; a line that serial noise broke is tried joined with the next one,
 * unless that one has a class of its own (it is then counted there).
 */
function amdViClassOf(all: Line[], i: number, msg: string): AmdViMessage | null {
  const alone = classifyAmdVi(msg);
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
  const idx: number[] = [];
  for (let i = 0; i < all.length; i++) if (isXenLine(all[i].text)) idx.push(i);
  const xen = idx.map((i) => all[i]);
  const msgs = xen.map((l) => xenMessage(l.text));
  const f: XenLogFacts = {
    xenLines: xen.length,
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
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i];
    // Most messages hold no literal of any pattern below: then only a join with the next line can match.
    const may = LINE_GATE === null || LINE_GATE.test(m);
    if (may) {
      const v = XEN_VERSION.exec(m);
      if (v) {
        f.bannerSeen = true;
        f.xenVersion = v[1];
        f.xenVersionFull = v[1] + v[2];
      }
      onMatch(COMMAND_LINE, m, (v) => {
        f.commandLine = v[1].trim();
      });
    }
    // The continuation of a line broken by noise may have lost its "(XEN) " prefix.
    const joined = joinWithNext(all, idx[i]);
    const verdict = (may ? verdictOf(m) : null) ?? (joined === null ? null : verdictOf(joined));
    if (verdict) f.iommu = verdict;
    if (may) {
      onMatch(IOMMU_ENABLED, m, (v) => {
        iommus.add(v[1]);
      });
      if (IOMMU_NOT_FOUND.test(m)) f.iommuNotFound = true;
      onMatch(INTREMAP, m, (v) => {
        f.interruptRemapping = v[1] === 'enabled';
      });
      onMatch(DOM0_MODE, m, (v) => {
        f.dom0Mode = v[1];
      });
      onMatch(SVM, m, (v) => {
        f.svm = v[1] === 'enabled';
      });
      if (HAP.test(m)) f.hap = true;
      if (DOM0_STARTED.test(m)) f.reachedDom0 = true;
      onMatch(PCI_ADD, m, (v) => {
        if (!f.pciDevices.includes(v[1])) f.pciDevices.push(v[1]);
      });
    }
    const amdVi = amdViClassOf(all, idx[i], m);
    if (amdVi) {
      const h = { ...hitOf(xen[i]), code: amdVi.code };
      if (amdVi.code === 'CPU_NO_CX16') f.cpuNoCx16 = true;
      else if (isFailing(amdVi.code)) f.ivhdErrors.push(h);
      else f.ivrsWarnings.push(h);
    }
    if (!may) continue;
    onMatch(ENABLED_BY_FIRMWARE, m, (v) => {
      if (!f.enabledByFirmware.includes(v[1])) f.enabledByFirmware.push(v[1]);
    });
    onMatch(IVHD_IOMMU, m, (v) => {
      if (!f.ivhdIommus.includes(v[1])) f.ivhdIommus.push(v[1]);
    });
    if (PAGE_FAULT.test(m)) f.pageFaults.push(hitOf(xen[i]));
    if (PANIC.test(m)) f.panics.push(hitOf(xen[i]));
  }
  f.iommuCount = iommus.size;
  f.wrapped = xen.length > 0 && !f.bannerSeen;
  // Every line, in order: a table line whose "(XEN) " prefix noise destroyed still counts.
  const acpi = parseAcpiTableList(all.map((l) => (isXenLine(l.text) ? xenMessage(l.text) : l.text)));
  f.acpiTables = acpi.tables;
  f.ivrs = acpi.ivrs;
  return f;
}
