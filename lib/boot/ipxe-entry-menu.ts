// Into the shell of PC Engines' iPXE. Every PC Engines release since v4.6.9 embeds menu.ipxe
// (pcengines/coreboot configs/config.pcengines_apu2: CONFIG_PXE_ADD_SCRIPT=y,
// CONFIG_PXE_SCRIPT="payloads/external/iPXE/menu.ipxe"), and iPXE runs an embedded image instead
// of offering Ctrl-B (ipxe/ipxe src/usr/autoboot.c ipxe()). The menu: "ipxe shell", then
// "autoboot" as the default after 3 s. 3mdeb's own apu2 automation waits for "autoboot", presses
// arrow-up and Enter (3mdeb/testing-trenchboot platform-configs/apu2.robot); so does this.

import { RigError } from '../core/errors.ts';
import { progress } from '../core/progress.ts';
import type { BootBench } from './bench.ts';
import { expectEntryPoint, IPXE_PROMPT } from './ipxe-entry-point.ts';
import type { BootRecord } from './record.ts';

/**
 * Arrow-up as one write. SeaBIOS's serial console (pcengines/seabios src/sercon.c) reads an ESC
 * with no more bytes in the same poll as a bare ESC, which cancels the menu, and the script
 * then autoboots: the three bytes must never be sent one at a time.
 */
export const ARROW_UP = '\x1b[A';
export const ENTER = '\r';
/** Between the arrow and Enter: the menu redraws its selection first (the countdown stopped at the key). */
export const MENU_KEY_GAP_MS = 250;
/** The menu's own timeout is 3 s, but a key stops it; the shell then answers at once. */
const SHELL_WITHIN_MS = 10_000;

export async function enterByMenu(s: BootBench, rec: BootRecord): Promise<void> {
  await expectEntryPoint(s, rec, 'menu');
  await pickShellFromMenu(s, rec);
}

/** At PC Engines' menu, once it is on screen: arrow-up to "ipxe shell", Enter, wait for `iPXE>`. */
export async function pickShellFromMenu(s: BootBench, rec: BootRecord): Promise<void> {
  const c = s.console;
  await c.send(ARROW_UP);
  await new Promise((r) => setTimeout(r, MENU_KEY_GAP_MS));
  await c.send(ENTER);
  try {
    const m = await c.expect(IPXE_PROMPT, { timeout: SHELL_WITHIN_MS, name: 'iPXE shell from the menu' });
    rec.firmwareLog += m.before;
  } catch (e) {
    if (!(e instanceof RigError) || e.code !== 'CONSOLE_TIMEOUT') throw e;
    throw new RigError(
      `iPXE menu: no shell within ${SHELL_WITHIN_MS / 1000} s of arrow-up + Enter (a key lost or late: the menu autoboots after 3 s); last lines:\n${c.tail(10)}`,
      { code: 'IPXE_MENU_MISSED', phase: 'ipxe', consoleTail: c.tail(20) },
    );
  }
  progress.emit('step', 'iPXE shell (menu: ipxe shell)');
}
