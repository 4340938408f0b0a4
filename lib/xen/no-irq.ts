// "CPU1: No irq handler for vector e7 (IRQ -2147483648)" appears on healthy apu2 boots and
// also right before the known apu2 boot hang. What tells them apart is whether the log goes
// on afterwards: a boot that reaches later milestones, or prints a few more lines, went on.
import { HOLDS, holdsNone, type Line, xenMessage } from '../core/text.ts';

export interface NoIrqHandler {
  count: number;
  firstLine: number | null;
  lastLine: number | null;
  /** Non-empty lines after the last occurrence. */
  linesAfter: number;
  /** The log went on after the last occurrence (a milestone, or at least MIN_LINES_AFTER lines). */
  bootContinued: boolean | null;
}

/** The message; a line marked without HOLDS.other holds none of its literals (lib/analyze/line-marks.ts). */
export const NO_IRQ_PATTERN = /No irq handler for vector/;
const MIN_LINES_AFTER = 3;
const MILESTONE =
  /Brought up \d+ CPUs|LOADING DOMAIN 0|Building a PVH? Dom0|Freed \d+kB init memory|PCI add device|login:|Linux version/;

/** The milestones, for lib/analyze/line-marks.ts. */
export const NO_IRQ_MILESTONES: readonly RegExp[] = [MILESTONE];

export function noIrqHandler(lines: Line[]): NoIrqHandler {
  let count = 0;
  let first = -1;
  let last = -1;
  for (let i = 0; i < lines.length; i++) {
    if (holdsNone(lines[i], HOLDS.other) || !NO_IRQ_PATTERN.test(lines[i].text)) continue;
    count++;
    if (first < 0) first = i;
    last = i;
  }
  if (count === 0) return { count, firstLine: null, lastLine: null, linesAfter: 0, bootContinued: null };
  let after = 0;
  let milestone = false;
  for (let i = last + 1; i < lines.length; i++) {
    const t = lines[i].text;
    // A line without a literal of HOLDS.other (lib/analyze/line-marks.ts) is neither the message nor a milestone.
    const none = holdsNone(lines[i], HOLDS.other);
    if (t.trim() === '' || (!none && NO_IRQ_PATTERN.test(t))) continue;
    after++;
    // One milestone is enough: the rest only need counting.
    if (!milestone && !none && MILESTONE.test(xenMessage(t))) milestone = true;
  }
  return {
    count,
    firstLine: lines[first].n,
    lastLine: lines[last].n,
    linesAfter: after,
    bootContinued: milestone || after >= MIN_LINES_AFTER,
  };
}
