// Facts from a Xen boot log or `xl dmesg`, Xen 4.8 to 4.17+. The IOMMU verdict is
// "disabled" only on positive evidence ("I/O virtualisation disabled", or "AMD-Vi: IOMMU
// not found!" which only Xen <= 4.12 prints); a log cut short or an `xl dmesg` whose ring
// wrapped (no banner at its start) is "unknown". When a transcript holds several boots,
// the last verdict wins.
import { isXenLine, joinWithNext, type Line, onMatch, toLines, xenMessage } from '../core/text.ts';
import { parseAcpiTableList } from './acpi-tables.ts';
import { type NoIrqHandler, noIrqHandler } from './no-irq.ts';

type IommuVerdict = 'enabled' | 'disabled' | 'unknown';

interface LogHit {
  line: number;
  text: string;
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
  ivhdErrors: LogHit[];
  pageFaults: LogHit[];
  panics: LogHit[];
  noIrqHandler: NoIrqHandler;
}

const IVHD_ERROR = /IVHD Error|IVRS Error|AMD-Vi: Error initialization|No southbridge IO-APIC found in IVRS table/;
const PAGE_FAULT = /IO_PAGE_FAULT/;
const PANIC = /Panic on CPU \d+|Xen BUG at |FATAL TRAP|Assertion '.*' failed/;

function verdictOf(msg: string): IommuVerdict | null {
  if (/^I\/O virtualisation enabled/.test(msg) || /^AMD-Vi: IOMMU \d+ Enabled/.test(msg)) return 'enabled';
  if (/^I\/O virtualisation disabled/.test(msg) || /AMD-Vi: IOMMU not found!/.test(msg)) return 'disabled';
  return null;
}

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
    pageFaults: [],
    panics: [],
    noIrqHandler: noIrqHandler(all),
  };
  const iommus = new Set<string>();
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i];
    const hit = { line: xen[i].n, text: xen[i].text };
    const v = /^Xen version (\d+\.\d+(?:\.\d+)?)(\S*)/.exec(m);
    if (v) {
      f.bannerSeen = true;
      f.xenVersion = v[1];
      f.xenVersionFull = v[1] + v[2];
    }
    onMatch(/^Command line: (.*)$/, m, (v) => {
      f.commandLine = v[1].trim();
    });
    // The continuation of a line broken by noise may have lost its "(XEN) " prefix.
    const verdict = verdictOf(m) ?? verdictOf(joinWithNext(all, idx[i]) ?? '');
    if (verdict) f.iommu = verdict;
    onMatch(/^AMD-Vi: IOMMU (\d+) Enabled/, m, (v) => {
      iommus.add(v[1]);
    });
    if (/AMD-Vi: IOMMU not found!/.test(m)) f.iommuNotFound = true;
    onMatch(/^Interrupt remapping (enabled|disabled)/, m, (v) => {
      f.interruptRemapping = v[1] === 'enabled';
    });
    onMatch(/^\s*- Dom0 mode: (\S+)/, m, (v) => {
      f.dom0Mode = v[1];
    });
    onMatch(/^HVM: SVM (enabled|disabled)/, m, (v) => {
      f.svm = v[1] === 'enabled';
    });
    if (/^HVM: Hardware Assisted Paging \(HAP\) detected/.test(m)) f.hap = true;
    if (/^\*\*\* (?:LOADING DOMAIN 0|Building a PVH? Dom0) \*\*\*|^Freed \d+kB init memory/.test(m))
      f.reachedDom0 = true;
    onMatch(/^PCI add device ([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7])/, m, (v) => {
      if (!f.pciDevices.includes(v[1])) f.pciDevices.push(v[1]);
    });
    if (IVHD_ERROR.test(m)) f.ivhdErrors.push(hit);
    if (PAGE_FAULT.test(m)) f.pageFaults.push(hit);
    if (PANIC.test(m)) f.panics.push(hit);
  }
  f.iommuCount = iommus.size;
  f.wrapped = xen.length > 0 && !f.bannerSeen;
  // Every line, in order: a table line whose "(XEN) " prefix noise destroyed still counts.
  const acpi = parseAcpiTableList(all.map((l) => (isXenLine(l.text) ? xenMessage(l.text) : l.text)));
  f.acpiTables = acpi.tables;
  f.ivrs = acpi.ivrs;
  return f;
}
