// The bare twin boot, timed without iommu-lab's session or boot code: relay on through the RTE
// API, the network boot typed by hand on the raw TCP console (bare-ipxe.ts) against the twin
// rig's boot server, marks timed from the relay PATCH. This is the baseline the bench compares
// iommu-lab's own power-on→dom0-ready against.
import { exec } from '../../lib/core/exec.ts';
import { succeeded } from '../../lib/core/result.ts';
import { sleep } from '../../lib/core/time.ts';
import { twinGpio } from '../base/gpio-map.ts';
import { twinPorts } from '../base/paths.ts';
import { TWIN_SSH_OPTIONS } from '../base/ssh-options.ts';
import { SerialClient } from '../serial/client.ts';
import { chainByHand, startTwinBootServer } from './bare-ipxe.ts';

export const BOOT_MARKS: [name: string, text: string][] = [
  ['banner', 'BIOS version'],
  ['seabios', 'SeaBIOS (version'],
  ['ipxe', 'Open Source Network Boot Firmware'],
  ['xen', '(XEN) Xen version'],
  ['amd-vi', 'AMD-Vi: IOMMU 0 Enabled.'],
  ['dom0', 'iommu-lab: dom0 ready'],
];

async function relay(state: 0 | 1): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${twinPorts.power}/api/v1/gpio/${twinGpio.relay}`, {
    method: 'PATCH',
    body: JSON.stringify({ state, direction: 'out', time: 0 }),
  });
  if (res.status !== 200) throw new Error(`relay ${state}: HTTP ${res.status}`);
}

/** `xl info` over SSH with the OpenSSH client: the readiness iommu-lab itself waits for. */
async function xlInfoAnswers(): Promise<boolean> {
  const args = [
    '-p',
    String(twinPorts.dom0Ssh),
    ...TWIN_SSH_OPTIONS,
    '-o',
    'ConnectTimeout=5',
    'root@127.0.0.1',
    'xl info',
  ];
  return succeeded(await exec(['ssh', ...args], { timeoutMs: 20_000 }));
}

/**
 * Powers the (running, powered-off) twin on, returns ms from relay-on to each mark, powers off.
 * With `xlInfo`, also the time until dom0 answers `xl info` over SSH (mark "xl-info").
 */
export async function measureBareBoot(
  timeoutMs = 600_000,
  until = 'dom0',
  xlInfo = false,
): Promise<Record<string, number>> {
  const last = BOOT_MARKS.find(([name]) => name === until);
  if (!last) throw new Error(`bare boot: no mark named "${until}"`);
  const server = await startTwinBootServer();
  const con = await SerialClient.open();
  const marks: Record<string, number> = {};
  let t0 = 0;
  let watching = true;
  // Each mark timed when it first shows, independent of what the typing waits for.
  const watch = (async () => {
    while (watching) {
      for (const [name, m] of BOOT_MARKS) if (!(name in marks) && con.text.includes(m)) marks[name] = Date.now() - t0;
      await sleep(20);
    }
  })();
  try {
    t0 = Date.now();
    await relay(1);
    await chainByHand(con, server.scriptUrl, { timeoutMs });
    await con.waitFor(last[1], timeoutMs - (Date.now() - t0));
    while (!(until in marks)) await sleep(20);
    while (xlInfo && Date.now() - t0 < timeoutMs) {
      if (await xlInfoAnswers()) {
        marks['xl-info'] = Date.now() - t0;
        break;
      }
      await sleep(1000);
    }
    return marks;
  } finally {
    watching = false;
    await watch;
    con.close();
    await server.close();
    await relay(0);
  }
}
