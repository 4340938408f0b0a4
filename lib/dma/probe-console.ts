// The probe's reports as the guest script also said them on the guest's console, which dom0
// keeps (xenconsoled): the way to the verdict when SSH to the guest, which runs over the very NIC
// the probe took from its driver and gave back, does not come back (seen on the twin, 4.17 and
// 4.20: the probe finished, the reads over SSH were cut). Lines: "iommu-lab probe: <run> exit N
// {json}" and "iommu-lab probe: done: …" (lib/dma/guest-script.ts), after "iommu-lab probe: start".
import type { ProbeRunName } from './guest-script.ts';

export interface ConsoleProbe {
  /** Each run's report line (the JSON as the probe printed it). */
  reports: Partial<Record<ProbeRunName, string>>;
  /** The script's last line ("nic=… new=…"), once it finished. */
  done?: string;
}

/** What the last probe run in this console log said (an earlier guest of the same name is ignored). */
export function probeFromConsole(log: string): ConsoleProbe {
  const lines = log.replace(/\r/g, '').split('\n');
  let from = -1;
  for (const [i, l] of lines.entries()) if (l.includes('iommu-lab probe: start')) from = i;
  const out: ConsoleProbe = { reports: {} };
  if (from < 0) return out;
  for (const l of lines.slice(from)) {
    const r = /iommu-lab probe: (\w+) exit \d+ (\{"probe":"dma-probe".*)$/.exec(l);
    if (r) out.reports[r[1] as ProbeRunName] = r[2]!;
    const d = /iommu-lab probe: done: (.*)$/.exec(l);
    if (d) out.done = d[1]!.trim();
  }
  return out;
}
