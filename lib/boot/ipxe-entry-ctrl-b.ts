// Into the shell of an iPXE without an embedded script: it prints "Press Ctrl-B for the iPXE
// command line..." and waits 2 s for Ctrl-B before it autoboots. PC Engines' iPXE never prints
// that line (it runs its embedded menu instead, see ipxe-entry-menu.ts), so this entry is for other builds.
import type { BootBench } from './bench.ts';
import { expectEntryPoint, IPXE_PROMPT } from './ipxe-entry-point.ts';
import type { BootRecord } from './record.ts';

/**
 * iPXE's own "Press Ctrl-B for the iPXE command line..." (its autoboot banner), never the option
 * ROM's "Press Ctrl-B to configure iPXE (PCI 01:00.0)..." printed during POST: a key sent at that
 * one reaches the UART before iPXE's serial driver starts, which drains it, and the shell's
 * 2-second window then closes unanswered (iPXE autoboots whatever DHCP names).
 */
export const IPXE_SHELL_BANNER = /Press Ctrl-B for the [^\r\n]*command line/;
/** How often Ctrl-B is pressed again until the shell answers; a key lost on the way is re-sent. */
export const CTRL_B_REPEAT_MS = 400;

export async function enterByCtrlB(s: BootBench, rec: BootRecord): Promise<void> {
  await expectEntryPoint(s, rec, 'ctrl-b');
  await pressCtrlB(s);
}

/** Once the Ctrl-B line is on screen (the `auto` entry saw it). */
export async function afterCtrlBLine(s: BootBench, _rec: BootRecord): Promise<void> {
  await pressCtrlB(s);
}

/**
 * Ctrl-B until `iPXE>` appears. Pressed again every CTRL_B_REPEAT_MS: at the shell prompt a
 * Ctrl-B is readline's "cursor left" on an empty line, so a late extra one changes nothing.
 */
async function pressCtrlB(s: BootBench): Promise<void> {
  const c = s.console;
  const shell = c.expect(IPXE_PROMPT, { timeout: 10_000, name: 'iPXE shell' });
  let open = true;
  const closed = () => {
    open = false;
  };
  shell.then(closed, closed);
  const again = setInterval(() => {
    if (open) void c.send('\x02').catch(() => {});
  }, CTRL_B_REPEAT_MS);
  try {
    await c.send('\x02');
    await shell;
  } finally {
    closed();
    clearInterval(again);
  }
}
