// One passthrough scenario on a NIC: seize it from dom0, start a guest that owns it, and give
// everything back afterwards — also after a failure half-way (release() is always safe).

import { assertCommandOk, attachResult } from '../evidence/command.ts';
import type { RemoteShell } from '../remote/types.ts';
import type { Rig } from '../rig/schema.ts';
import { normalizeBdf } from '../xen/bdf.ts';
import { type PciDevice, parseLspci } from '../xen/lspci.ts';
import { GuestDomain } from './guest-domain.ts';
import { assignableAdd, assignableRemove, driverOf, loadPciback } from './pci.ts';

export type GuestType = 'pv' | 'hvm';

export class Passthrough {
  /** The NIC as dom0 saw it before it was seized. */
  device?: PciDevice;
  originalDriver: string | null = null;
  /** The guest that owns the NIC now, if any. */
  domain?: GuestDomain;

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
    await assertCommandOk(await assignableAdd(this.dom0, this.bdf), `xl pci-assignable-add ${this.bdf}`);
  }

  async startGuest(type: GuestType): Promise<RemoteShell> {
    await this.stopGuest();
    this.domain = await GuestDomain.start(this.dom0, this.rig, { name: `iommu-lab-${type}`, type, pci: [this.bdf] });
    return this.domain.shell!;
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
  }
}
