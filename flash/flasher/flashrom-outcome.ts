// flashrom's output → a typed outcome. flashrom has no machine-readable mode, so this reads the
// lines it has printed for 15 years (see test/flash/flasher/fixtures/flashrom/ for real ones). Anything
// we cannot classify is `unknown` with the whole output attached, never a guess at success.
import type { CommandResult } from '../../lib/core/result.ts';

export type FlashOutcomeKind =
  | 'verified'
  | 'identical'
  | 'read'
  | 'chip-not-found'
  | 'multiple-chips'
  | 'erase-failed'
  | 'write-failed'
  | 'verify-failed'
  | 'unknown';

type FlashStage = 'probing' | 'reading' | 'erasing/writing' | 'verifying';

export interface FlashOutcome {
  kind: FlashOutcomeKind;
  /** One line for humans. */
  detail: string;
  /** The chip flashrom found ("MX25L6436E/..."), when it says. */
  chip?: string;
  /** The candidates of a multiple-chips outcome. */
  candidates?: string[];
  /** Stages the output shows flashrom reached, in order. */
  stages: FlashStage[];
  output: string;
}

export type FlashOp = 'write' | 'read' | 'verify';

export const SUCCESS: ReadonlySet<FlashOutcomeKind> = new Set(['verified', 'identical', 'read']);

const STAGE_MARKS: [RegExp, FlashStage][] = [
  [/Reading old flash chip contents|Reading flash\.\.\./, 'reading'],
  [/Erasing and writ|Erasing flash chip|Writing flash chip/, 'erasing/writing'],
  [/Verifying flash\.\.\./, 'verifying'],
];

function stagesIn(output: string): FlashStage[] {
  const out: FlashStage[] = [];
  if (/Found .* flash chip|No EEPROM\/flash device found/.test(output)) out.push('probing');
  for (const [re, s] of STAGE_MARKS) if (re.test(output)) out.push(s);
  return out;
}

type Result = Pick<CommandResult, 'stdout' | 'stderr' | 'exitCode' | 'timedOut'>;

export function parseFlashromOutput(result: Result, op: FlashOp): FlashOutcome {
  // stdout and stderr interleave on a terminal; order matters less than presence here.
  const output = [result.stdout, result.stderr].filter(Boolean).join('\n');
  const stages = stagesIn(output);
  const chip = /Found .*? flash chip "([^"]+)"/.exec(output)?.[1];
  const base = { stages, output, chip };
  const interrupted = result.timedOut || result.exitCode === null;
  const failedAt = /FAILED at (0x[0-9a-f]+)/i.exec(output)?.[1];

  const multiple = /Multiple flash chip definitions match the detected chip\(s\): (.*)/.exec(output);
  if (multiple) {
    const candidates = [...multiple[1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
    return {
      ...base,
      chip: undefined,
      kind: 'multiple-chips',
      candidates,
      detail: `flashrom matched ${candidates.length} chip definitions (${candidates.join(', ')}); name the chip (-c) in the rig`,
    };
  }
  if (/No EEPROM\/flash device found/.test(output))
    return {
      ...base,
      kind: 'chip-not-found',
      detail: 'flashrom found no flash chip (contact, voltage, or wrong chip name)',
    };
  if (op === 'write' && /ERASE FAILED/.test(output))
    return { ...base, kind: 'erase-failed', detail: `erase failed${failedAt ? ` at ${failedAt}` : ''}` };
  if (op === 'write' && interrupted) {
    const why = result.timedOut ? 'timed out' : 'was cut off (connection lost)';
    return { ...base, kind: 'write-failed', detail: `flashrom ${why} during ${stages.at(-1) ?? 'start-up'}` };
  }
  if (/Verifying flash\.\.\. ?FAILED|VERIFY FAILED/.test(output))
    return { ...base, kind: 'verify-failed', detail: `verify failed${failedAt ? ` at ${failedAt}` : ''}` };
  if (
    op === 'write' &&
    /Erase\/write failed|Write failed|write operation failed|Your flash chip is in an unknown state/i.test(output)
  )
    return { ...base, kind: 'write-failed', detail: 'flashrom reports the write failed' };
  if (!interrupted && result.exitCode === 0) {
    if (op === 'write' && /Chip content is identical to the requested image/.test(output))
      return { ...base, kind: 'identical', detail: 'chip content already identical: nothing erased or written' };
    if (/Verifying flash\.\.\. ?VERIFIED/.test(output))
      return { ...base, kind: 'verified', detail: 'written and verified' };
    if (op === 'read' && /Reading flash\.\.\. ?done/.test(output))
      return { ...base, kind: 'read', detail: 'read done' };
  }
  const why = interrupted ? (result.timedOut ? 'timed out' : 'was cut off') : `exited ${result.exitCode}`;
  return { ...base, kind: 'unknown', detail: `flashrom ${why} with output we cannot classify` };
}
