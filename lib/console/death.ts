// Death patterns: output that means the board (firmware, Xen or the dom0 kernel) has died. They are
// armed during every wait, so a panic ends the wait at once instead of as a timeout minutes later.
import { brand } from '../core/brand.ts';

/** Xen may prefix its lines with a timestamp: "(XEN) [  12.345678] " or "(XEN) [2018-03-02 16:10:09] ". */
const XEN = String.raw`\(XEN\) (?:\[[^\]\n]*\] )?`;

export const DEFAULT_DEATH_PATTERNS: readonly RegExp[] = [
  /Kernel panic/,
  new RegExp(XEN + String.raw`Panic on CPU \d+`),
  /Xen BUG at /,
  // Xen's panic() banner: exactly 40 stars (its boot-time "WARNING" banner has more).
  new RegExp(XEN + String.raw`\*{40}\r?\n`),
];

/**
 * The console showed that the board died. Not a RigError: whether a panic is a firmware failure
 * (the board is bad) or an infrastructure one is the session's call.
 */
export class ConsoleDeathError extends Error {
  /** The whole console line holding the match. */
  readonly line: string;
  readonly pattern: string;
  /** Name of the wait that was interrupted. */
  readonly waitName: string;
  /** Last lines seen, including what followed the match (the panic reason). */
  readonly consoleTail: string;
  readonly offset: number;
  constructor(opts: { line: string; pattern: string; waitName: string; consoleTail: string; offset: number }) {
    super(
      `console: the board died while waiting for ${opts.waitName}: ${opts.line.trim()}\n` +
        `last lines:\n${indent(opts.consoleTail)}`,
    );
    this.name = 'ConsoleDeathError';
    this.line = opts.line;
    this.pattern = opts.pattern;
    this.waitName = opts.waitName;
    this.consoleTail = opts.consoleTail;
    this.offset = opts.offset;
  }
}

export const isConsoleDeath = brand(ConsoleDeathError, 'ConsoleDeathError');

export const indent = (text: string): string =>
  text
    .split('\n')
    .map((l) => `  | ${l}`)
    .join('\n');
