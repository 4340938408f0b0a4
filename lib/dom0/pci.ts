// PCI passthrough operations in dom0, each one command with quoted arguments. They return
// the command result: whether a failure is the board's or the lab's is the suite's call.
import { sh, shq } from '../core/quote.ts';
import type { CommandResult } from '../core/result.ts';
import type { RemoteShell } from '../remote/types.ts';
import { normalizeBdf } from '../xen/bdf.ts';
import { parsePciAssignableList } from '../xen/xl-pci.ts';

function full(bdf: string): string {
  const n = normalizeBdf(bdf);
  if (!n) throw new Error(`not a PCI address: ${JSON.stringify(bdf)}`);
  return n;
}

export function loadPciback(d: RemoteShell): Promise<CommandResult> {
  return d.run('modprobe xen-pciback && test -d /sys/bus/pci/drivers/pciback', { timeoutMs: 30_000 });
}

/** The Linux driver bound to a device in dom0, or null when none is. */
export async function driverOf(d: RemoteShell, bdf: string): Promise<string | null> {
  const link = `/sys/bus/pci/devices/${full(bdf)}/driver`;
  const r = await d.run(`if [ -e ${shq(link)} ]; then basename "$(readlink -f ${shq(link)})"; fi`, {
    timeoutMs: 10_000,
  });
  return r.stdout.trim() || null;
}

/** The network interface dom0 has for a NIC, or null while it has none (e.g. seized by pciback). */
export async function netIfOf(d: RemoteShell, bdf: string): Promise<string | null> {
  const r = await d.run(`ls ${shq(`/sys/bus/pci/devices/${full(bdf)}/net`)} 2>/dev/null | head -n 1`, {
    timeoutMs: 10_000,
  });
  return r.stdout.trim() || null;
}

export function assignableAdd(d: RemoteShell, bdf: string): Promise<CommandResult> {
  return d.run(sh('xl', 'pci-assignable-add', bdf), { timeoutMs: 60_000 });
}

export async function assignableList(d: RemoteShell): Promise<string[]> {
  const r = await d.run('xl pci-assignable-list', { timeoutMs: 30_000 });
  return parsePciAssignableList(r.stdout);
}

/** `-r` rebinds the device to its original dom0 driver. */
export function assignableRemove(d: RemoteShell, bdf: string): Promise<CommandResult> {
  return d.run(sh('xl', 'pci-assignable-remove', '-r', bdf), { timeoutMs: 60_000 });
}

export function isAssignable(list: string[], bdf: string): boolean {
  return list.map((b) => normalizeBdf(b)).includes(full(bdf));
}
