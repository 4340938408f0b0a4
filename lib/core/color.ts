// Whether to colour or redraw terminal output: never with NO_COLOR set to anything non-empty
// (no-color.org), never on TERM=dumb (no cursor movement either), never off a terminal.

export interface Terminal {
  /** Colours and dim text. */
  color: boolean;
  /** A status line redrawn in place (carriage return, erase line). */
  redraw: boolean;
}

export function terminal(stream: { isTTY?: boolean }, env: Record<string, string | undefined> = process.env): Terminal {
  const tty = Boolean(stream.isTTY) && env.TERM !== 'dumb';
  return { color: tty && !env.NO_COLOR, redraw: tty && !env.CI };
}
