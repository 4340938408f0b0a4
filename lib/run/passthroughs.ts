// The run's passthroughs, one per NIC: every suite that hands the NIC to a guest gets the same
// one, so a guest booted by one suite can serve the next (Passthrough.guestFor) instead of each
// suite booting its own. The run gives every NIC it still holds back to dom0 when it ends.
import { progress } from '../core/progress.ts';
import { Passthrough } from '../dom0/passthrough.ts';
import type { RemoteShell } from '../remote/types.ts';
import type { Rig } from '../rig/schema.ts';
import { normalizeBdf } from '../xen/bdf.ts';

export class Passthroughs {
  private readonly byNic = new Map<string, Passthrough>();

  constructor(private readonly rig: Rig) {}

  /** dom0's shell is the session's one (it reconnects after a reboot): a new one means a new bench. */
  get(dom0: RemoteShell, bdf: string): Passthrough {
    const key = normalizeBdf(bdf) ?? bdf;
    let pt = this.byNic.get(key);
    if (!pt || pt.dom0 !== dom0) {
      pt = new Passthrough(dom0, this.rig, bdf);
      this.byNic.set(key, pt);
    }
    return pt;
  }

  /**
   * Guests destroyed and held NICs back to dom0, best effort: the board is switched off next
   * anyway (or kept on, when the line below says what is left), and a dead dom0 is no news here.
   */
  async releaseAll(): Promise<void> {
    for (const [nic, pt] of this.byNic) {
      if (!pt.held && !pt.domain) continue;
      await pt
        .release()
        .catch((e: Error) =>
          progress.emit('info', `end of run: could not give ${nic} back to dom0 (${e.message.split('\n')[0]})`),
        );
    }
    this.byNic.clear();
  }
}
