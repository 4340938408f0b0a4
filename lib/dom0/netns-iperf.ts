// Measures a NIC from dom0 with the NIC moved into its own network namespace, so the traffic
// cannot take the management NIC's route (on the twin both sit in 10.0.2.0/24).
import { sh, shq } from '../core/quote.ts';
import type { CommandResult } from '../core/result.ts';
import type { RemoteShell } from '../remote/types.ts';

const NETNS = 'iommu-lab-nic';

export interface NetnsPlan {
  ifname: string;
  /** "10.0.2.15/24"; without it the NIC asks DHCP (busybox udhcpc). */
  address?: string;
}

function setupCommand(p: NetnsPlan): string {
  const inNs = (cmd: string) => `ip netns exec ${shq(NETNS)} ${cmd}`;
  const addr = p.address
    ? inNs(sh('ip', 'addr', 'add', p.address, 'dev', p.ifname))
    : inNs(`busybox udhcpc -i ${shq(p.ifname)} -n -q -t 10 -s /usr/share/udhcpc/default.script`);
  return [
    `ip netns del ${shq(NETNS)} 2>/dev/null; ip netns add ${shq(NETNS)}`,
    sh('ip', 'link', 'set', p.ifname, 'netns', NETNS),
    inNs('ip link set lo up'),
    inNs(sh('ip', 'link', 'set', p.ifname, 'up')),
    // Wait for carrier: an e1000e/igb link takes a few seconds to come up.
    `for i in $(seq 1 30); do [ "$(${inNs(`cat /sys/class/net/${shq(p.ifname)}/carrier`)} 2>/dev/null)" = 1 ] && break; sleep 1; done`,
    addr,
  ].join(' && ');
}

export function iperfCommand(peer: { host: string; port: number }, seconds: number, reverse: boolean): string {
  const args = ['iperf3', '-c', peer.host, '-p', peer.port, '-t', seconds, '-J'];
  if (reverse) args.push('-R');
  return sh(...args);
}

export async function withNicNamespace<T>(
  d: RemoteShell,
  p: NetnsPlan,
  body: (inNs: (cmd: string) => string) => Promise<T>,
): Promise<{ setup: CommandResult; value?: T }> {
  const setup = await d.run(setupCommand(p), { timeoutMs: 90_000 });
  try {
    if (setup.exitCode !== 0) return { setup };
    return { setup, value: await body((cmd) => `ip netns exec ${shq(NETNS)} ${cmd}`) };
  } finally {
    // Deleting the namespace hands the physical NIC back to dom0's main namespace.
    await d.run(`ip netns del ${shq(NETNS)} 2>/dev/null; sleep 1`, { timeoutMs: 30_000 });
  }
}
