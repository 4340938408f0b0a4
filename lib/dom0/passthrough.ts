// One passthrough scenario on a NIC: seize it from dom0, start a guest that owns it, and give
// everything back afterwards — also after a failure half-way (release() is always safe).

import { progress } from '../core/progress.ts';
import { sh } from '../core/quote.ts';
import { attach } from '../core/step.ts';
import { assertCommandOk, attachResult } from '../evidence/command.ts';
import type { RemoteShell } from '../remote/types.ts';
import type { Rig } from '../rig/schema.ts';
import { normalizeBdf } from '../xen/bdf.ts';
import { type PciDevice, parseLspci } from '../xen/lspci.ts';
import { parseXlPciList } from '../xen/xl-pci.ts';
import { GuestDomain } from './guest-domain.ts';
import { assignableAdd, assignableRemove, driverOf, loadPciback } from './pci.ts';

export type GuestType = 'pv' | 'hvm';

export class Passthrough {
  /** The NIC as dom0 saw it before it was seized. */
  device?: PciDevice;
  originalDriver: string | null = null;
  /** The guest that owns the NIC now, if any. */
  domain?: GuestDomain;
  /** Whether the last guestFor() handed on a running guest instead of booting one. */
  reusedLast = false;
  /** Seized and not given back since: what the run's end still has to undo. */
  held = false;

  constructor(
    readonly dom0: RemoteShell,
    readonly rig: Rig,
    readonly bdf: string,
  ) {}

  get guest(): RemoteShell | undefined {
    return this.domain?.shell;
  }

  get guestName(): string | undefined {
    return this.domain?.name;
  }

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
    this.held = true;
    await assertCommandOk(await assignableAdd(this.dom0, this.bdf), `xl pci-assignable-add ${this.bdf}`);
  }

  /** A fresh guest of this type (any running one is destroyed first); the NIC must be seized. */
  async startGuest(type: GuestType): Promise<RemoteShell> {
    await this.stopGuest();
    this.domain = await GuestDomain.start(this.dom0, this.rig, { name: `iommu-lab-${type}`, type, pci: [this.bdf] });
    return this.domain.shell!;
  }

  /**
   * The guest of this type that owns the NIC, as a run-level fixture: the one already running when
   * it still answers and still holds the NIC (booted once, handed to every test that needs that
   * type), else a fresh one on a freshly seized NIC. A test that fails with it destroys it
   * (withGuest), so no later test inherits a broken state.
   */
  async guestFor(type: GuestType): Promise<RemoteShell> {
    const d = this.domain;
    if (d?.spec.type === type) {
      const why = await this.whyNotReusable(d);
      if (!why) {
        this.reusedLast = true;
        await attach(
          `${type} guest reused`,
          `${d.name}: booted by an earlier test at ${new Date(d.startedAt).toISOString()} (xl create → SSH ${(d.bootMs / 1000).toFixed(1)} s); it still answers SSH and xl pci-list still shows ${this.bdf}`,
        );
        progress.emit('info', `${type} guest reused (booted ${((Date.now() - d.startedAt) / 1000).toFixed(0)} s ago)`);
        return d.shell!;
      }
      progress.emit('info', `${type} guest not reused (${why}): booting a fresh one`);
    }
    this.reusedLast = false;
    await this.stopGuest();
    await this.seize();
    return this.startGuest(type);
  }

  /** guestFor(type), and the guest destroyed when fn fails: only a guest that passed is handed on. */
  async withGuest<T>(type: GuestType, fn: (guest: RemoteShell) => Promise<T>): Promise<T> {
    const guest = await this.guestFor(type);
    try {
      return await fn(guest);
    } catch (e) {
      await this.stopGuest().catch(() => {});
      throw e;
    }
  }

  /** Why a running guest cannot be handed on, or undefined when it can. */
  private async whyNotReusable(d: GuestDomain): Promise<string | undefined> {
    const answers = await d.shell?.run('true', { timeoutMs: 10_000 }).then(
      (r) => r.exitCode === 0,
      () => false,
    );
    if (!answers) return 'it no longer answers SSH';
    const list = await this.dom0.run(sh('xl', 'pci-list', d.name), { timeoutMs: 20_000 });
    if (!parseXlPciList(list.stdout).some((e) => normalizeBdf(e.bdf) === normalizeBdf(this.bdf)))
      return `xl pci-list ${d.name} no longer shows ${this.bdf}`;
    return undefined;
  }

  async stopGuest(): Promise<void> {
    const d = this.domain;
    this.domain = undefined;
    await d?.destroy();
  }

  /** Guest destroyed, device back to its dom0 driver. Safe to call at any point. */
  async release(): Promise<void> {
    await this.stopGuest();
    const r = await assignableRemove(this.dom0, this.bdf);
    await attachResult(`xl pci-assignable-remove -r ${this.bdf}`, r);
    this.held = false;
  }
}
