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

const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;

/**
 * The vif line of the guest: on the bridge, with the NIC's own MAC. The netfront guest is then
 * the same host on the wire as the passthrough guest — the same DHCP lease and address, so the
 * rig's guest SSH target reaches it — while dom0's bridge port takes a locally administered MAC.
 */
export function netfrontVif(mac: string): string {
  if (!MAC.test(mac)) throw new Error(`not a MAC address: ${JSON.stringify(mac)}`);
  return `bridge=${NETFRONT_BRIDGE},mac=${mac}`;
}

/** The same MAC with the locally administered bit set (00:0d:b9:… → 02:0d:b9:…). */
export function locallyAdministered(mac: string): string {
  const first = (Number.parseInt(mac.slice(0, 2), 16) | 0x02).toString(16).padStart(2, '0');
  return `${first}${mac.slice(2)}`;
}

/**
 * Bridges ifname for the body (which gets the NIC's MAC for the guest's vif), and always takes
 * the bridge down and gives the NIC its MAC back (the NIC stays in dom0).
 */
export async function withNetfrontBridge<T>(
  d: RemoteShell,
  ifname: string,
  body: (mac: string) => Promise<T>,
): Promise<{ setup: CommandResult; value?: T }> {
  const mac = (await d.run(`cat ${shq(`/sys/class/net/${ifname}/address`)}`, { timeoutMs: 20_000 })).stdout.trim();
  if (!MAC.test(mac))
    throw new Error(`dom0 reports no MAC address for ${ifname} (${JSON.stringify(mac.slice(0, 40))})`);
  const setup = await d.run(
    `${sh('ip', 'link', 'set', ifname, 'address', locallyAdministered(mac))} && ${up(ifname)}`,
    {
      timeoutMs: 30_000,
    },
  );
  try {
    if (setup.exitCode !== 0) return { setup };
    return { setup, value: await body(mac) };
  } finally {
    await d.run(
      `ip link del ${shq(NETFRONT_BRIDGE)} 2>/dev/null; ${sh('ip', 'link', 'set', ifname, 'down')}; ${sh('ip', 'link', 'set', ifname, 'address', mac)}`,
      { timeoutMs: 30_000 },
    );
  }
}
