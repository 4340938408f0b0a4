// Command lines for the probe helpers and the dom0 tools around them, every word quoted.
import { UsageError } from '../core/errors.ts';
import { sh, shq } from '../core/quote.ts';
import { normalizeBdf } from '../xen/bdf.ts';

const CONTROL = /[\x00-\x1f\x7f]/;

function word(name: string, v: string): string {
  if (CONTROL.test(v)) throw new UsageError(`${name} has a control character: ${JSON.stringify(v)}`);
  return v;
}

export interface ProbeArgs {
  /** Path of the dma-probe binary in the guest. */
  binary: string;
  /** The NIC's address as the guest sees it (a PV guest's pcifront shows 00:00.0). */
  bdf: string;
  /** 'positive', or a bus address outside the guest ("0x..."). */
  target: 'positive' | string;
  /** Let the device write into the target instead of reading it. */
  write?: boolean;
  unbind?: boolean;
  rebind?: boolean;
  loopback?: 'mac' | 'phy';
  /** PV guests: `xen-mfndump dump-p2m <domid>` output copied into the guest. */
  p2m?: string;
  /** In a PV dom0: machine addresses of the probe's own pages from Xen's M2P table. */
  m2p?: boolean;
  /** Probe a device pciback holds (quarantined) without unbinding it. */
  pciback?: boolean;
  timeoutMs?: number;
}

export function probeCommand(a: ProbeArgs): string {
  const bdf = normalizeBdf(a.bdf);
  if (!bdf) throw new UsageError(`not a PCI address: ${JSON.stringify(a.bdf)}`);
  const words = [word('probe binary', a.binary), '--device', `/sys/bus/pci/devices/${bdf}`];
  if (a.target === 'positive') words.push('--positive');
  else {
    if (!/^0x[0-9a-f]+$/i.test(a.target)) throw new UsageError(`not a bus address: ${JSON.stringify(a.target)}`);
    words.push('--target', a.target.toLowerCase());
    if (a.write) words.push('--write');
  }
  if (a.unbind) words.push('--unbind');
  if (a.rebind) words.push('--rebind');
  if (a.loopback) words.push('--loopback', a.loopback);
  if (a.p2m) words.push('--p2m', word('P2M file', a.p2m));
  if (a.m2p) words.push('--m2p');
  if (a.pciback) words.push('--pciback');
  if (a.timeoutMs !== undefined) words.push('--timeout-ms', String(Math.max(1, Math.round(a.timeoutMs))));
  return sh(...words);
}

/** dom0: hold the canary page until stdin closes (run it with a held-open stdin). */
export function canaryCommand(binary: string): string {
  return sh(word('canary binary', binary));
}

/** Where Debian keeps the Xen tools it leaves off PATH (/usr/lib/xen-<version>/bin). */
export const XEN_TOOL_DIRS = '/usr/lib/xen-*/bin';

/** A Xen tool as a shell word: on PATH, else the first one in toolDirs (a glob, never rig data). */
function xenTool(name: 'xen-mfndump', toolDirs: string): string {
  return `"$(command -v ${name} || ls ${toolDirs}/${name} 2>/dev/null | head -n1)"`;
}

/** dom0: the P2M of a PV guest, for dma-probe --p2m. */
export function p2mDumpCommand(domid: number, outFile: string, toolDirs = XEN_TOOL_DIRS): string {
  if (!Number.isInteger(domid) || domid <= 0) throw new UsageError(`not a guest domain id: ${domid}`);
  return `${xenTool('xen-mfndump', toolDirs)} ${sh('dump-p2m', domid)} > ${shq(word('P2M file', outFile))}`;
}
