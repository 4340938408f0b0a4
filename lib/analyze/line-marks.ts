// One scan per line of a long log instead of one gate per analyzer. Each analyzer turns most
// lines away with a gate of the literals its patterns need (lib/xen/regex-literal.ts); on a
// soak's transcript those gates, one after another on every line, were most of analyze's time.
// Here the literals of every analyzer that reads `Line.holds` are scanned for at once, each
// under its analyzer's bit (lib/core/text.ts HOLDS), as lib/analyze/stream.ts makes the line: an
// analyzer whose bit is clear knows none of its patterns can match the line (or any part of it,
// such as its Xen message) and skips it; a set bit is only a maybe, its patterns still decide. A
// line not marked (`holds` undefined: lines from toLines) goes through each gate, as before.
import { HOLDS, type Line } from '../core/text.ts';
import { DIAGNOSES } from '../diagnose/table.ts';
import { ACPI_PATTERNS } from '../xen/acpi-tables.ts';
import { AMD_VI_MESSAGES } from '../xen/amd-vi-messages.ts';
import { HAS_CONTROL } from '../xen/literal-scanner.ts';
import { NO_IRQ_MILESTONES, NO_IRQ_PATTERN } from '../xen/no-irq.ts';
import { literalScanner } from '../xen/regex-literal.ts';
import { LINE_PATTERNS } from '../xen/xen-log.ts';
import { BOOT_PATTERNS } from './boots.ts';
import { isCleanAsIs } from './clean-lines.ts';
import { TESTS } from './detect.ts';

/** Every pattern an analyzer skips lines for by Line.holds, under its HOLDS bit; each analyzer exports its own list. */
export const HELD_PATTERNS: readonly (readonly [number, readonly RegExp[]])[] = [
  [HOLDS.diagnose, DIAGNOSES.flatMap((row) => row.patterns)],
  [HOLDS.xenLog, LINE_PATTERNS],
  [HOLDS.amdVi, AMD_VI_MESSAGES.map((msg) => msg.pattern)],
  [HOLDS.detect, TESTS.map(([, re]) => re)],
  [HOLDS.other, [NO_IRQ_PATTERN, ...NO_IRQ_MILESTONES, ...ACPI_PATTERNS, ...BOOT_PATTERNS]],
];

/** The scanner of every literal with its analyzer's bit; null when some pattern has no literal (then no line is marked). */
export const HOLDS_SCANNER = literalScanner(HELD_PATTERNS);

/** A clean line, marked with whose literals it holds. */
export function markedLine(n: number, text: string): Line {
  return HOLDS_SCANNER === null ? { n, text } : { n, text, holds: HOLDS_SCANNER.holds(text) };
}

/**
 * The usual line of a log in one pass: when the raw line (no terminator) needs no cleaning (no
 * control character, no trailing blank, no second "(XEN) " glued on: lib/analyze/clean-lines.ts)
 * it is its own clean line, marked. Null otherwise: clean it with cleanParts and mark each part
 * with markedLine.
 */
export function rawMarkedLine(n: number, raw: string): Line | null {
  if (HOLDS_SCANNER === null || raw === '') return null;
  const holds = HOLDS_SCANNER.holdsRaw(raw);
  return isCleanAsIs(raw, (holds & HAS_CONTROL) !== 0) ? { n, text: raw, holds } : null;
}
