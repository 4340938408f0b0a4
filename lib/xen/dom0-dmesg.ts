// Linux dmesg (dom0 under Xen, or a plain Linux boot). Under Xen the hypervisor owns the
// IOMMU: dom0 does not register it and has no IOMMU groups. On plain Linux the AMD-Vi lines
// and group assignments show how firmware described the IOMMU (IVRS) to the OS.
import { isKernelLine, kernelMessage, type Line, onMatch, toLines } from '../core/text.ts';
import { normalizeLooseBdf } from './bdf.ts';

export interface Dom0Dmesg {
  kernelLines: number;
  kernelVersion: string | null;
  underXen: boolean;
  /** Dom0 reported the Xen version ("Xen version: 4.17.7 (preserve-AD)"). */
  xenVersion: string | null;
  /** Linux itself found and registered an AMD IOMMU (plain Linux, not under Xen). */
  amdViFound: boolean;
  amdViLines: string[];
  /** BDF → IOMMU group, from "Adding device ... to group N" / "Adding to iommu group N". */
  groups: Record<string, number>;
  pciback: { loaded: boolean; seized: string[] };
  pageFaults: { line: number; text: string }[];
}

export function parseDom0Dmesg(input: string | Line[]): Dom0Dmesg {
  const lines = typeof input === 'string' ? toLines(input) : input;
  const d: Dom0Dmesg = {
    kernelLines: 0,
    kernelVersion: null,
    underXen: false,
    xenVersion: null,
    amdViFound: false,
    amdViLines: [],
    groups: {},
    pciback: { loaded: false, seized: [] },
    pageFaults: [],
  };
  for (const l of lines) {
    if (l.text.startsWith('(XEN)')) continue;
    if (isKernelLine(l.text)) d.kernelLines++;
    const m = kernelMessage(l.text);
    onMatch(/Linux version (\S+)/, m, (v) => {
      d.kernelVersion = v[1];
    });
    if (/Booting paravirtualized kernel on Xen|Xen version: \d|Hypervisor detected: Xen/.test(m)) d.underXen = true;
    onMatch(/Xen version: (\d+\.\d+(?:\.\d+)?)/, m, (v) => {
      d.xenVersion = v[1];
    });
    if (/AMD-Vi|AMD IOMMU/.test(m)) {
      d.amdViLines.push(m);
      if (/AMD-Vi: Found IOMMU/.test(m)) d.amdViFound = true;
    }
    const g =
      /iommu: Adding device ([0-9a-f:.]+) to group (\d+)/.exec(m) ??
      /pci ([0-9a-f:.]+): Adding to iommu group (\d+)/.exec(m);
    const gBdf = g ? normalizeLooseBdf(g[1]) : null;
    if (g && gBdf) d.groups[gBdf] = Number(g[2]);
    if (/xen[-_]pciback/.test(m) || /^pciback /.test(m)) d.pciback.loaded = true;
    onMatch(/pciback ([0-9a-f:.]+):.*seizing device/, m, (v) => {
      const bdf = normalizeLooseBdf(v[1]);
      if (bdf && !d.pciback.seized.includes(bdf)) d.pciback.seized.push(bdf);
    });
    if (/IO_PAGE_FAULT/.test(m)) d.pageFaults.push({ line: l.n, text: l.text });
  }
  return d;
}
