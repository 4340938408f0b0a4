// What `console` shows on the engineer's terminal: the board's bytes as they came, with every
// registered secret masked as "***" (as the transcript masks it). The end of a chunk that could
// be the start of a secret waits for the next chunk, or for a short quiet spell: a board prints
// a line in one burst (115200 baud is ~11 characters per ms), and a typed character that starts
// some secret must still echo at once for a person at the keyboard.
import { StreamRedactor } from '../core/redact.ts';

const QUIET_MS = 150;

export function redactedTap(write: (data: Buffer) => void): { tap: (chunk: Buffer) => void; flush: () => void } {
  const redactor = new StreamRedactor();
  let timer: NodeJS.Timeout | undefined;
  // latin1 maps each byte to one character and back: bytes that are not UTF-8 survive unchanged.
  const out = (text: string) => text && write(Buffer.from(text, 'latin1'));
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    out(redactor.flush());
  };
  const tap = (chunk: Buffer) => {
    if (timer) clearTimeout(timer);
    out(redactor.push(chunk.toString('latin1')));
    timer = setTimeout(flush, QUIET_MS);
    timer.unref();
  };
  return { tap, flush };
}
