// The reference post's third figure: a PV guest on netfront/netback, no passthrough. dom0 keeps
// the NIC and bridges it to the guest's vif, so the guest's traffic crosses the same wire as the
// passthrough and the dom0 baseline, only through dom0's driver and netback.
import { sh, shq } from '../core/quote.ts';
import type { CommandResult } from '../core/result.ts';
import type { RemoteShell } from '../remote/types.ts';

/** A bridge only iommu-lab makes and removes: never one of the lab's own. */
export const NETFRONT_BRIDGE = 'iommulab0';

function up(ifname: string): string {
  return [
    `ip link del ${shq(NETFRONT_BRIDGE)} 2>/dev/null; ip link add name ${shq(NETFRONT_BRIDGE)} type bridge`,
    // No STP delay: the guest asks DHCP seconds after it starts.
    `ip link set ${shq(NETFRONT_BRIDGE)} type bridge forward_delay 0 stp_state 0`,
    sh('ip', 'addr', 'flush', 'dev', ifname),
    sh('ip', 'link', 'set', ifname, 'master', NETFRONT_BRIDGE),
    sh('ip', 'link', 'set', ifname, 'up'),
    sh('ip', 'link', 'set', NETFRONT_BRIDGE, 'up'),
  ].join(' && ');
}

/** The vif line of a guest attached to the bridge. */
export const NETFRONT_VIF = `bridge=${NETFRONT_BRIDGE}`;

/** Bridges ifname for the body, and always takes the bridge down again (the NIC stays in dom0). */
export async function withNetfrontBridge<T>(
  d: RemoteShell,
  ifname: string,
  body: () => Promise<T>,
): Promise<{ setup: CommandResult; value?: T }> {
  const setup = await d.run(up(ifname), { timeoutMs: 30_000 });
  try {
    if (setup.exitCode !== 0) return { setup };
    return { setup, value: await body() };
  } finally {
    await d.run(`ip link del ${shq(NETFRONT_BRIDGE)} 2>/dev/null; ${sh('ip', 'link', 'set', ifname, 'down')}`, {
      timeoutMs: 30_000,
    });
  }
}
