// The twin's network boot done by hand, without iommu-lab's session or boot code: the boot
// server of the twin rig on the test host, and at the console what a person types — 'n' at the
// firmware's prompt, arrow-up + Enter at PC Engines' iPXE menu, `dhcp net0`, `chain` the script. The twin has no
// other way to Xen (no TFTP): this is what the bare-boot baseline and the daemon test use.
import { ARROW_UP, ENTER, MENU_KEY_GAP_MS } from '../../lib/boot/ipxe-entry-menu.ts';
import { sleep } from '../../lib/core/time.ts';
import type { BootServer } from '../../lib/pxe/boot-server.ts';
import { shellCommands } from '../../lib/pxe/script.ts';
import type { SerialClient } from '../serial/client.ts';

/** The twin rig's boot server (images/current), on the rig's port: no session may be running. */
// Loaded when called: the twin's front door re-exports this file, and the CLI loads the door.
export async function startTwinBootServer(): Promise<BootServer> {
  const { loadRig } = await import('../../lib/rig/load.ts');
  const { startBootServer } = await import('../../lib/pxe/boot-server.ts');
  return startBootServer(await loadRig('apu2-twin'));
}

const PROMPT = /iPXE> /;

/** PC Engines' menu.ipxe default item: the menu is on screen (3mdeb's automation waits for it too). */
export const MENU_ITEM = /autoboot/;

/**
 * From power-on: 'n' for PXE, at the menu's "autoboot" arrow-up (one write) and Enter, `dhcp net0`,
 * `chain <scriptUrl>`, typed `charDelayMs` a character. Returns once the chain is typed.
 */
export async function chainByHand(
  con: SerialClient,
  scriptUrl: string,
  o: { from?: number; timeoutMs?: number; charDelayMs?: number } = {},
): Promise<void> {
  const timeoutMs = o.timeoutMs ?? 120_000;
  let at = (await con.waitForAt('N for PXE boot', timeoutMs, Date.now(), o.from ?? 0)).end;
  con.send('n');
  at = (await con.waitForAt(MENU_ITEM, timeoutMs, Date.now(), at)).end;
  await shellFromMenu(con, scriptUrl, at, o.charDelayMs ?? 30);
}

/** With the menu on screen (after `at`): arrow-up, Enter, then the shell's `dhcp net0` and `chain`. */
export async function shellFromMenu(con: SerialClient, scriptUrl: string, at: number, delay = 30): Promise<void> {
  con.send(ARROW_UP);
  await sleep(MENU_KEY_GAP_MS);
  con.send(ENTER);
  let next = (await con.waitForAt(PROMPT, 10_000, Date.now(), at)).end;
  const [dhcp, chain] = shellCommands(scriptUrl, 'net0');
  await con.type(`${dhcp}\n`, delay);
  next = (await con.waitForAt(PROMPT, 60_000, Date.now(), next)).end;
  await con.type(`${chain}\n`, delay);
}
