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

/**
 * Whether a raw line without \r or \n is already its only clean line, given whether it holds a
 * control character (the caller may know it from a scan of its own: lib/analyze/line-marks.ts).
 */
export function isCleanAsIs(raw: string, hasControl: boolean): boolean {
  if (hasControl) return false;
  if (raw !== '') {
    const last = raw.charCodeAt(raw.length - 1);
    if (!(last > 0x20 && last < 0x7f) && BLANK.test(raw[raw.length - 1])) return false;
  }
  return raw.indexOf('(XEN) ', 1) < 0;
}

/** The texts toLines(raw) gives, for a raw line without \r or \n. */
export function cleanParts(raw: string): string[] {
  return isCleanAsIs(raw, CONTROL.test(raw)) ? [raw] : toLines(raw).map((l) => l.text);
}
