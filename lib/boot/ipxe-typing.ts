// A command typed into the iPXE shell over a serial line that drops characters. iPXE's line
// editor echoes every key it takes (src/hci/readline.c sync_console prints what changed), so
// the line it holds can be read back before Enter runs it. Every line is typed on a line cleared
// with Ctrl-U (src/hci/editstring.c: delete to the start of the line), so a stray character that
// arrived before cannot join it; a line that lost a character is cleared and typed again,
// instead of running as another command ("chain …/boot.ipx", seen on the twin under load). A
// console that shows no echo at all (some other console path) gets its Enter as before, with a
// warning: there is nothing to check against.
import { RigError } from '../core/errors.ts';
import { printable } from '../core/printable.ts';
import { progress } from '../core/progress.ts';
import { redact } from '../core/redact.ts';
import { sleep } from '../core/time.ts';
import type { BootBench } from './bench.ts';

const CTRL_U = '\x15';
/** Time for iPXE to take Ctrl-U and redraw its line before the next line is typed. */
const REDRAW_MS = 200;
/** How often a line is typed before the link counts as broken. */
const TRIES = 3;
/** The echo is read once it has not changed for this long (iPXE echoes each key as it takes it)… */
const SETTLE_MS = 1_500;
/** …or at the latest this long after the last character was typed. */
const ECHO_MS = 5_000;
const POLL_MS = 100;

// CSI sequences (colours, cursor moves) and other two-byte escapes: not text on the line.
const ESCAPE = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]/g;

/**
 * The line iPXE shows in `text` (what the console received since typing began; after the last
 * prompt, if one is in it), as a terminal would: escapes dropped, a backspace moves the cursor
 * back and the next character overwrites (sync_console redraws with backspaces and spaces); line
 * breaks are the 80-column wrap of a long line (nothing else breaks a line before Enter).
 */
export function echoedLine(text: string, prompt = 'iPXE>'): string {
  const at = text.lastIndexOf(prompt);
  const after = at < 0 ? text : text.slice(at + prompt.length);
  const cells: string[] = [];
  let cursor = 0;
  for (const ch of after.replace(ESCAPE, '').replace(/[\r\n]/g, '')) {
    if (ch === '\b') cursor = Math.max(0, cursor - 1);
    else if (ch >= ' ' && ch !== '\x7f') cells[cursor++] = ch;
  }
  return Array.from(cells, (c) => c ?? ' ')
    .join('')
    .trim();
}

/** What iPXE echoed of the line typed after `base` characters of unread console text: the same line, nothing, or another. */
async function readBack(s: BootBench, base: number, line: string): Promise<'same' | 'none' | string> {
  const t0 = Date.now();
  let last = '';
  let changed = t0;
  for (;;) {
    const shown = echoedLine(s.console.pending().slice(base));
    if (shown === line) return 'same';
    const now = Date.now();
    if (shown !== last) [last, changed] = [shown, now];
    if (now - changed >= SETTLE_MS || now - t0 >= ECHO_MS) return shown === '' ? 'none' : shown;
    await sleep(POLL_MS);
  }
}

/**
 * Clears iPXE's line (Ctrl-U: a character that arrived before, or a line that lost one) and
 * returns where the console's unread text ends once iPXE has redrawn it: the echo of what is
 * typed next starts there. Whatever of the redraw still arrives after it is backspaces and spaces
 * that bring the cursor back to where the next line starts, so echoedLine reads that line right.
 */
async function clearLine(s: BootBench, typing: { chunk: number; delayMs: number }): Promise<number> {
  await s.console.sendSlowly(CTRL_U, typing);
  await sleep(REDRAW_MS);
  return s.console.pending().length;
}

/**
 * Types `line` into the iPXE shell (after its prompt) on a cleared line, checks iPXE's echo of
 * it and presses Enter; clears and retypes a line that lost characters on the way. Throws
 * IPXE_INPUT_LOST when every try lost some.
 */
export async function typeIpxeLine(
  s: BootBench,
  line: string,
  typing: { chunk: number; delayMs: number },
): Promise<void> {
  // The console shows secrets masked: a line holding one is compared masked too.
  const want = redact(line);
  let shown = '';
  for (let attempt = 1; attempt <= TRIES; attempt++) {
    // Each try reads only its own echo: a long line wraps at 80 columns, and a redraw's
    // backspaces cannot reach back across that wrap.
    const base = await clearLine(s, typing);
    await s.console.sendSlowly(line, typing);
    const back = await readBack(s, base, want);
    if (back === 'same' || back === 'none') {
      if (back === 'none') progress.emit('warn', `iPXE echoed nothing of "${want}": it cannot be checked before Enter`);
      await s.console.sendSlowly('\n', typing);
      return;
    }
    shown = back;
    progress.emit(
      'warn',
      `iPXE holds "${printable(back)}" instead of "${want}": a character was lost on the serial line; ` +
        `typed again (${attempt}/${TRIES})`,
    );
  }
  await s.console.sendSlowly(CTRL_U, typing);
  throw new RigError(
    `characters typed into the iPXE shell were lost ${TRIES} times: it holds "${printable(shown)}" instead of "${want}"`,
    { code: 'IPXE_INPUT_LOST', phase: 'ipxe', consoleTail: s.console.tail(10) },
  );
}
