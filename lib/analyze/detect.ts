// What kinds of text an input holds. A whole serial transcript usually holds several:
// firmware banner, Xen boot log, dom0 kernel messages, libxl errors from commands typed in.
import { HOLDS, isKernelLine, isXenLine, type Line } from '../core/text.ts';
import { alternatives, literalGate } from '../xen/regex-literal.ts';

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

/** Per kind, the line that shows it (exported for test/xen/regex-literal.test.ts, which checks its prefilter). */
export const TESTS: readonly [Kind, RegExp][] = [
  ['coreboot-log', /^PC ?Engines apu\w*$|^coreboot build \d|^BIOS version v?\d|coreboot-\S+ .*starting/],
  ['seabios', /SeaBIOS \(version /],
  ['firmware-setup', / - Currently (?:Enabled|Disabled)|### PC Engines .* setup /],
  ['libxl', /^libxl: (?:error|warning|info|debug|verbose|detail):|^xl: |^Parsing config from /],
  ['xl-info', /^(?:xen_major|virt_caps|xen_version|xen_caps)\s*:/],
  ['xl-list', /^Name\s+ID\s+Mem\s+VCPUs\s+State\s+Time\(s\)/],
  ['xl-pci-list', /^Vdev\s+Device$/],
  ['lspci', /^(?:[0-9a-f]{4}:)?[0-9a-f]{2}:[0-9a-f]{2}\.[0-7] .+ \[[0-9a-f]{4}\]: .* \[[0-9a-f]{4}:[0-9a-f]{4}\]/],
  ['iommu-groups', /^IOMMU Group \d+|\/sys\/kernel\/iommu_groups\/\d+\/devices\//],
];

/**
 * A line no test can match, turned away cheaply: the tests' alternatives anchored at the start as
 * one regex (tried at the first character only), the others behind a gate of their literals
 * (lib/xen/regex-literal.ts). One gate of every literal was a tenth of analyze's time on a Xen log.
 */
function prefilter(): (t: string) => boolean {
  const alts = TESTS.map(([, re]) => alternatives(re.source));
  if (alts.some((a) => a === null)) return () => true;
  const all = alts.flat() as string[];
  const anchored = all.filter((a) => a.startsWith('^')).map((a) => a.slice(1));
  const start = anchored.length > 0 ? new RegExp(`^(?:${anchored.join('|')})`) : null;
  const rest = all.filter((a) => !a.startsWith('^')).map((a) => new RegExp(a));
  const gate = rest.length > 0 ? literalGate(rest) : null;
  if (rest.length > 0 && gate === null) return () => true;
  return (t) => start?.test(t) === true || gate?.test(t) === true;
}
export const mayDetect = prefilter();

export function detectKinds(lines: Line[], text: string): Kind[] {
  const found = new Set<Kind>();
  let xen = 0;
  let kernel = 0;
  for (const { text: t, holds } of lines) {
    if (isXenLine(t)) xen++;
    else if (isKernelLine(t)) kernel++;
    // A line marked by lib/analyze/line-marks.ts has answered the prefilter already.
    if (holds === undefined ? !mayDetect(t) : (holds & HOLDS.detect) === 0) continue;
    for (const [kind, re] of TESTS) if (!found.has(kind) && re.test(t)) found.add(kind);
  }
  if (xen > 0) found.add('xen-log');
  if (kernel >= 2) found.add('dom0-dmesg');
  if (/"(?:start|end)"\s*:/.test(text) && /"(?:intervals|error)"\s*:/.test(text)) found.add('iperf3');
  return [...found];
}
