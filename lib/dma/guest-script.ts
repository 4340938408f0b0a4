// The guest's side of the probe as one detached script. The probe takes the NIC from its driver,
// and in a guest that NIC is usually the only way in (the twin's guests, a bench's HVM guest):
// the SSH session dies with it. So the three probe runs, the driver's rebind and the network's
// return (addresses and default route as they were) run under nohup, and the test host reconnects
// afterwards and reads the results from files.
import { shq } from '../core/quote.ts';
import { normalizeBdf } from '../xen/bdf.ts';
import { probeCommand } from './commands.ts';

export const PROBE_RUNS = ['positive', 'target', 'targetWrite'] as const;
export type ProbeRunName = (typeof PROBE_RUNS)[number];

export interface GuestScriptInput {
  /** Where the script writes <run>.out, <run>.err and probe.done (in the guest). */
  dir: string;
  binary: string;
  /** The NIC as the guest sees it. */
  bdf: string;
  /** Its driver in the guest, bound again if the probe's own rebind did not happen. */
  driver: string | null;
  /** The canary's machine address. */
  target: string;
  p2m?: string;
}

export function guestProbeScript(s: GuestScriptInput): string {
  const bdf = normalizeBdf(s.bdf);
  if (!bdf) throw new Error(`not a PCI address: ${JSON.stringify(s.bdf)}`);
  if (s.driver !== null && !/^[A-Za-z0-9_-]+$/.test(s.driver))
    throw new Error(`odd driver name ${JSON.stringify(s.driver)}`);
  const base = { binary: s.binary, bdf, p2m: s.p2m };
  const cmds: Record<ProbeRunName, string> = {
    positive: probeCommand({ ...base, target: 'positive', unbind: true }),
    target: probeCommand({ ...base, target: s.target }),
    targetWrite: probeCommand({ ...base, target: s.target, write: true, rebind: true }),
  };
  const D = shq(s.dir);
  const dev = shq(`/sys/bus/pci/devices/${bdf}`);
  return [
    '#!/bin/sh',
    `D=${D}; dev=${dev}`,
    'nic=$(ls "$dev/net" 2>/dev/null | head -n 1); addrs=; gw=',
    'if [ -n "$nic" ]; then',
    '  addrs=$(ip -o -4 addr show dev "$nic" | awk \'{print $4}\')',
    "  gw=$(ip -4 route show default | awk '/^default/ {print $3; exit}')",
    'fi',
    // Each step also on the guest's console: the evidence when the way back in never returns.
    'say() { echo "iommu-lab probe: $*" > /dev/console 2>/dev/null; }',
    'say "start nic=$nic addrs=$addrs gw=$gw"',
    ...PROBE_RUNS.flatMap((r) => [
      `${cmds[r]} > "$D/${r}.out" 2> "$D/${r}.err"`,
      `say "${r} exit $? $(cat "$D/${r}.out" "$D/${r}.err")"`,
    ]),
    s.driver ? `[ -e "$dev/driver" ] || echo ${shq(bdf)} > ${shq(`/sys/bus/pci/drivers/${s.driver}/bind`)}` : ':',
    // The driver makes a new interface: wait for it, then give it back what the old one had.
    'new=; for i in $(seq 1 100); do new=$(ls "$dev/net" 2>/dev/null | head -n 1); [ -n "$new" ] && break; sleep 0.1; done',
    'if [ -n "$new" ]; then',
    '  ip link set "$new" up',
    '  for a in $addrs; do ip addr add "$a" dev "$new"; done',
    '  [ -n "$gw" ] && ip route add default via "$gw"',
    'fi',
    'echo "nic=$nic new=$new addrs=$addrs gw=$gw" > "$D/probe.done"',
    'say "done: $(cat "$D/probe.done")"',
    '',
  ].join('\n');
}
