// The clean lines of one raw line (no terminators), as lib/core/text.ts toLines gives them, with a
// fast path: most lines of a transcript are already clean (no control byte or escape, no trailing
// blank, no second "(XEN) " glued on), and toLines' four regex passes per line were a fifth of
// analyze's time. test/analyze/clean-lines.test.ts holds the two to the same answer.
import { toLines } from '../core/text.ts';

// Anything cleanLine would change: control bytes (ESC starts every ANSI sequence; tab is kept by
// cleanLine but sent the slow way here, which is only slower) and trailing white space.
// (`\s$` as one regex tried every position: the last character is tested alone.)
const CONTROL = /[\x00-\x1f\x7f]/;
const BLANK = /\s/;

/** The texts toLines(raw) gives, for a raw line without \r or \n. */
export function cleanParts(raw: string): string[] {
  const clean = !CONTROL.test(raw) && (raw === '' || !BLANK.test(raw[raw.length - 1]));
  if (clean && raw.indexOf('(XEN) ', 1) < 0) return [raw];
  return toLines(raw).map((l) => l.text);
}
