// Collects a Linux guest's own view of its passed-through NIC (link, address, packet counters,
// queue interrupts) and asks whether it "has link but moves nothing" (NIC_NO_TRAFFIC).
import { sh, shq } from '../core/quote.ts';
import { attach } from '../core/step.ts';
import type { RemoteShell } from '../remote/types.ts';
import { normalizeBdf } from '../xen/bdf.ts';
import { diagnoseNoTraffic, type NicOutputs, type NoTrafficResult, nicTrafficView } from './no-traffic.ts';

/** The guest's view of the NIC at bdf (its address in the guest), or null when it has no interface. */
export async function guestNicDiagnosis(guest: RemoteShell, bdf: string): Promise<NoTrafficResult | null> {
  const dev = normalizeBdf(bdf);
  if (!dev) return null;
  const ifname = (
    await guest.run(`ls ${shq(`/sys/bus/pci/devices/${dev}/net`)} 2>/dev/null | head -n 1`, { timeoutMs: 20_000 })
  ).stdout.trim();
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(ifname)) return null;
  const out = async (cmd: string) => (await guest.run(`${cmd} 2>/dev/null`, { timeoutMs: 20_000 })).stdout;
  const o: NicOutputs = {
    ipLink: await out(sh('ip', '-s', 'link', 'show', 'dev', ifname)),
    ipAddr: await out(sh('ip', '-4', 'addr', 'show', 'dev', ifname)),
    sysfs: await out(
      `grep . ${['operstate', 'carrier', 'statistics/rx_packets', 'statistics/tx_packets'].map((f) => shq(`/sys/class/net/${ifname}/${f}`)).join(' ')}`,
    ),
    interrupts: await out('cat /proc/interrupts'),
    ethtool: await out(sh('ethtool', '-S', ifname)),
  };
  await attach(
    `guest's view of ${ifname} (${dev})`,
    Object.entries(o)
      .map(([k, v]) => `# ${k}\n${v}`)
      .join('\n'),
  );
  return diagnoseNoTraffic(nicTrafficView(ifname, 'linux', o));
}
