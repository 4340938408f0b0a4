// Into the shell of Dasharo's iPXE. Dasharo (coreboot+SeaBIOS) v24.08.00.01 embeds
// Dasharo/dasharo-blobs dasharo/dasharo.ipxe (Dasharo/dasharo-pq 24.08.00.01
// patches/0087-use-3rdparty-dasharo-blobs-dasharo-dasharo.ipxe.patch: CONFIG_IPXE_SCRIPT=
// "3rdparty/dasharo-blobs/dasharo/dasharo.ipxe"), so, as on PC Engines, iPXE runs the script and
// never offers Ctrl-B (ipxe/ipxe src/usr/autoboot.c ipxe()). The script (dasharo-blobs
// d4e4dca12bdd370842bd830847e64d982c8be120):
//   item --gap -- ------------------------ Dasharo Network Boot Menu ------------------------
//   item boot Autoboot (DHCP) / item dasharo Dasharo Tools Suite /
//   item netbootxyz OS installation (netboot.xyz official server) / item shell iPXE Shell
//   choose --default boot --timeout 3000 target && goto ${target}
// The items have no hotkeys, so: Down three times from the default to "iPXE Shell", then Enter
// (3mdeb's OSFV `Enter IPXE` reads until "iPXE Shell" and selects it). A key stops the countdown
// (no --retimeout: ipxe/ipxe src/hci/tui/menu_ui.c menu_loop), and Down past the last item stays
// on it (src/hci/jumpscroll.c jump_scroll_move without SCROLL_WRAP), so one arrow too many is harmless.
import { RigError } from '../core/errors.ts';
import { progress } from '../core/progress.ts';
import { sleep } from '../core/time.ts';
import type { BootBench } from './bench.ts';
import { ENTER, MENU_KEY_GAP_MS } from './ipxe-entry-menu.ts';
import { expectEntryPoint, IPXE_PROMPT } from './ipxe-entry-point.ts';
import type { BootRecord } from './record.ts';

/** Arrow-down as one write: SeaBIOS's sercon reads an ESC alone in a poll as a bare ESC (see ipxe-entry-menu.ts). */
export const ARROW_DOWN = '\x1b[B';
/** The last item: the menu is drawn whole once it is on screen. */
export const DASHARO_SHELL_ITEM = /iPXE Shell/;
/** From "Autoboot (DHCP)" (the default) past "Dasharo Tools Suite" and "OS installation …". */
export const DOWNS_TO_SHELL = 3;
/** What the script's :shell label prints before `shell`. */
export const DASHARO_SHELL_BANNER = 'You are now in iPXE shell. Type "exit" to go back to the main menu.';
const SHELL_WITHIN_MS = 10_000;

export async function enterByDasharoMenu(s: BootBench, rec: BootRecord): Promise<void> {
  await expectEntryPoint(s, rec, 'dasharo-menu');
  await pickShellFromDasharoMenu(s, rec);
}

/** Once the menu's title is on screen: wait for its last item, Down ×3, Enter, wait for `iPXE>`. */
export async function pickShellFromDasharoMenu(s: BootBench, rec: BootRecord): Promise<void> {
  const c = s.console;
  const drawn = await c.expect(DASHARO_SHELL_ITEM, { timeout: 5_000, name: 'Dasharo menu item "iPXE Shell"' });
  rec.firmwareLog += drawn.before + drawn.text;
  for (let i = 0; i < DOWNS_TO_SHELL; i++) {
    await c.send(ARROW_DOWN);
    await sleep(MENU_KEY_GAP_MS);
  }
  await c.send(ENTER);
  try {
    const m = await c.expect(IPXE_PROMPT, { timeout: SHELL_WITHIN_MS, name: 'iPXE shell from the Dasharo menu' });
    rec.firmwareLog += m.before;
  } catch (e) {
    if (!(e instanceof RigError) || e.code !== 'CONSOLE_TIMEOUT') throw e;
    throw new RigError(
      `Dasharo iPXE menu: no shell within ${SHELL_WITHIN_MS / 1000} s of Down ×${DOWNS_TO_SHELL} + Enter (a key lost or late: the menu autoboots after 3 s); last lines:\n${c.tail(10)}`,
      { code: 'IPXE_MENU_MISSED', phase: 'ipxe', consoleTail: c.tail(20) },
    );
  }
  progress.emit('step', 'iPXE shell (Dasharo menu: iPXE Shell)');
}
