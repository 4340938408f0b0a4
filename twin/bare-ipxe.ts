// The twin's network boot done by hand, without iommu-lab's session or boot code: the boot
// server of the twin rig on the test host, and at the console what a person types — 'n' at the
// firmware's prompt, Ctrl-B at iPXE's shell banner, `dhcp`, `chain` the script. The twin has no
// other way to Xen (no TFTP): this is what the bare-boot baseline and the daemon test use.
import { CTRL_B_REPEAT_MS, IPXE_SHELL_BANNER } from '../lib/boot/transitions.ts';
import { sleep } from '../lib/core/time.ts';
import { type BootServer, startBootServer } from '../lib/pxe/boot-server.ts';
import { shellCommands } from '../lib/pxe/script.ts';
import { loadRig } from '../lib/rig/load.ts';
import type { SerialClient } from './serial-client.ts';

/** The twin rig's boot server (images/current), on the rig's port: no session may be running. */
export async function startTwinBootServer(): Promise<BootServer> {
  return startBootServer(await loadRig('apu2-twin'));
}

const PROMPT = /iPXE> /;

/**
 * From power-on: 'n' for PXE, then Ctrl-B (again every CTRL_B_REPEAT_MS until the shell answers), `dhcp`,
 * `chain <scriptUrl>`, typed `charDelayMs` a character. Returns once the chain is typed.
 */
export async function chainByHand(
  con: SerialClient,
  scriptUrl: string,
  o: { from?: number; timeoutMs?: number; charDelayMs?: number } = {},
): Promise<void> {
  const timeoutMs = o.timeoutMs ?? 120_000;
  const delay = o.charDelayMs ?? 30;
  let at = (await con.waitForAt('N for PXE boot', timeoutMs, Date.now(), o.from ?? 0)).end;
  con.send('n');
  at = (await con.waitForAt(IPXE_SHELL_BANNER, timeoutMs, Date.now(), at)).end;
  const deadline = Date.now() + 10_000;
  while (con.find(PROMPT, at) < 0) {
    if (Date.now() > deadline) throw new Error(`iPXE opened no shell on Ctrl-B; last:\n${con.text.slice(-800)}`);
    con.send('\x02');
    await sleep(CTRL_B_REPEAT_MS);
  }
  at = con.find(PROMPT, at);
  const [dhcp, chain] = shellCommands(scriptUrl);
  await con.type(`${dhcp}\n`, delay);
  at = (await con.waitForAt(PROMPT, 60_000, Date.now(), at)).end;
  await con.type(`${chain}\n`, delay);
}
