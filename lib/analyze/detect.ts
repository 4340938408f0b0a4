// What kinds of text an input holds. A whole serial transcript usually holds several:
// firmware banner, Xen boot log, dom0 kernel messages, libxl errors from commands typed in.
import { isKernelLine, isXenLine, type Line } from '../core/text.ts';

export type Kind =
  | 'coreboot-log'
  | 'seabios'
  | 'firmware-setup'
  | 'xen-log'
  | 'dom0-dmesg'
  | 'libxl'
  | 'xl-info'
  | 'xl-list'
  | 'xl-pci-list'
  | 'lspci'
  | 'iommu-groups'
  | 'iperf3';

const TESTS: [Kind, (t: string) => boolean][] = [
  ['coreboot-log', (t) => /^PC ?Engines apu\w*$|^coreboot build \d|^BIOS version v?\d|coreboot-\S+ .*starting/.test(t)],
  ['seabios', (t) => /SeaBIOS \(version /.test(t)],
  ['firmware-setup', (t) => / - Currently (?:Enabled|Disabled)|### PC Engines .* setup /.test(t)],
  ['libxl', (t) => /^libxl: (?:error|warning|info|debug|verbose|detail):|^xl: |^Parsing config from /.test(t)],
  ['xl-info', (t) => /^(?:xen_major|virt_caps|xen_version|xen_caps)\s*:/.test(t)],
  ['xl-list', (t) => /^Name\s+ID\s+Mem\s+VCPUs\s+State\s+Time\(s\)/.test(t)],
  ['xl-pci-list', (t) => /^Vdev\s+Device$/.test(t)],
  [
    'lspci',
    (t) =>
      /^(?:[0-9a-f]{4}:)?[0-9a-f]{2}:[0-9a-f]{2}\.[0-7] .+ \[[0-9a-f]{4}\]: .* \[[0-9a-f]{4}:[0-9a-f]{4}\]/.test(t),
  ],
  ['iommu-groups', (t) => /^IOMMU Group \d+|\/sys\/kernel\/iommu_groups\/\d+\/devices\//.test(t)],
];

export function detectKinds(lines: Line[], text: string): Kind[] {
  const found = new Set<Kind>();
  let xen = 0;
  let kernel = 0;
  for (const { text: t } of lines) {
    if (isXenLine(t)) xen++;
    else if (isKernelLine(t)) kernel++;
    for (const [kind, test] of TESTS) if (!found.has(kind) && test(t)) found.add(kind);
  }
  if (xen > 0) found.add('xen-log');
  if (kernel >= 2) found.add('dom0-dmesg');
  if (/"(?:start|end)"\s*:/.test(text) && /"(?:intervals|error)"\s*:/.test(text)) found.add('iperf3');
  return [...found];
}
