// Text from a peer (an HTTP reply, a lock owner record written by another run, a program's
// stderr, a console tail) is shown in terminals and CI logs. Raw, an escape sequence in it could
// clear the screen, rewrite earlier lines or retitle the terminal, and a C1 byte can start one
// too; so every control character is shown as an escape and the length is capped.

export interface PrintableOptions {
  /** Longest result in characters before "…" (default 300). */
  max?: number;
  /** Keep line feeds and tabs (a multi-line tail); otherwise they are escaped too. */
  multiline?: boolean;
}

// C0, DEL, C1, and the Unicode controls that reorder or hide text (bidi overrides, isolates).
const CONTROL = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\x1b': '\\e' };

export function printable(text: string, opts: PrintableOptions = {}): string {
  const max = opts.max ?? 300;
  const shown = text.slice(0, max + 1).replace(CONTROL, (c) => {
    if (opts.multiline && (c === '\n' || c === '\t')) return c;
    if (NAMED[c]) return NAMED[c];
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return shown.length > max ? `${shown.slice(0, max)}…` : shown;
}
