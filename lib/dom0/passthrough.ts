// One passthrough scenario on a NIC: seize it from dom0, start a guest that owns it, and give
// everything back afterwards — also after a failure half-way (release() is always safe).

import { poll, type Tries } from '../core/poll.ts';
import { progress } from '../core/progress.ts';
import { attach } from '../core/step.ts';
import { sleep } from '../core/time.ts';
import { assertCommandOk, attachResult } from '../evidence/command.ts';
import { openRemote } from '../remote/ssh.ts';
import type { RemoteShell } from '../remote/types.ts';
import type { Rig } from '../rig/schema.ts';
import { normalizeBdf } from '../xen/bdf.ts';
import { type PciDevice, parseLspci } from '../xen/lspci.ts';
import { createGuest, destroyGuest, guestConsoleLog, writeGuestConfig } from './guest.ts';
import { guestConfig } from './guest-config.ts';
import { assignableAdd, assignableRemove, driverOf, loadPciback } from './pci.ts';

export type GuestType = 'pv' | 'hvm';

export class Passthrough {
  /** The NIC as dom0 saw it before it was seized. */
  device?: PciDevice;
  originalDriver: string | null = null;
  guestName?: string;
  guest?: RemoteShell;

  constructor(
    readonly dom0: RemoteShell,
    readonly rig: Rig,
    readonly bdf: string,
  ) {}

  async inspect(): Promise<PciDevice> {
    const r = await this.dom0.check('lspci -nn', { timeoutMs: 20_000 });
    const want = normalizeBdf(this.bdf);
    const dev = parseLspci(r.stdout).find((d) => d.bdf === want);
    if (!dev) throw new Error(`dom0 has no PCI device ${this.bdf} (lspci -nn)`);
    this.device = dev;
    this.originalDriver ??= await driverOf(this.dom0, this.bdf);
    return dev;
  }

  async seize(): Promise<void> {
    await this.inspect();
    await assertCommandOk(await loadPciback(this.dom0), 'modprobe xen-pciback');
    await assertCommandOk(await assignableAdd(this.dom0, this.bdf), `xl pci-assignable-add ${this.bdf}`);
  }

  async startGuest(type: GuestType): Promise<RemoteShell> {
    const name = `iommu-lab-${type}`;
    this.guestName = name;
    const cfg = guestConfig(this.rig, { name, type, pci: [this.bdf] });
    await attach(`${name}.cfg`, cfg);
    await writeGuestConfig(this.dom0, name, cfg);
    const timeout = this.rig.guests?.bootTimeoutMs ?? 180_000;
    await assertCommandOk(await createGuest(this.dom0, name, timeout), `xl create (${type} guest)`);
    try {
      this.guest = await poll(`wait for ${type} guest over SSH`, { timeoutMs: timeout }, (tries) =>
        this.waitGuest(timeout, tries),
      );
    } catch (e) {
      // Outside the poll, whose tries are left out of the report: the guest's own words are evidence.
      const log = await guestConsoleLog(this.dom0, name).catch(() => '');
      await attach('guest console (timeout)', log);
      throw new Error(
        `${(e as Error).message}\nlast guest console lines:\n${log.trim().split('\n').slice(-15).join('\n')}`,
      );
    }
    return this.guest;
  }

  private async waitGuest(timeoutMs: number, tries: Tries): Promise<RemoteShell> {
    const target = this.rig.guests?.ssh;
    if (!target) throw new Error(`rig ${this.rig.name} does not say how to reach a guest (guests.ssh)`);
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      tries.next();
      try {
        const g = await openRemote(target, 'guest');
        if ((await g.run('true', { timeoutMs: 10_000 })).exitCode === 0) return g;
        await g.close();
      } catch (e) {
        last = (e as Error).message.split('\n')[0]!;
      }
      tries.refused(last || 'no answer to `true`');
      progress.emit('step', `guest not reachable yet (${last})`);
      await sleep(3_000);
    }
    throw new Error(`guest did not answer SSH within ${timeoutMs / 1000} s (${last})`);
  }

  async stopGuest(): Promise<void> {
    await this.guest?.close().catch(() => {});
    this.guest = undefined;
    if (!this.guestName) return;
    const log = await guestConsoleLog(this.dom0, this.guestName).catch(() => '');
    if (log) await attach(`${this.guestName} console`, log);
    await destroyGuest(this.dom0, this.guestName);
    this.guestName = undefined;
  }

  /** Guest destroyed, device back to its dom0 driver. Safe to call at any point. */
  async release(): Promise<void> {
    await this.stopGuest();
    const r = await assignableRemove(this.dom0, this.bdf);
    await attachResult(`xl pci-assignable-remove -r ${this.bdf}`, r);
  }
}
