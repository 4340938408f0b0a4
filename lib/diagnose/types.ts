// A diagnosis row: a known symptom (regexes over one line of output) → a stable code,
// the cause in words, and what to do about it.
import type { DiagnosisCode } from '../core/error-codes.ts';

export type Severity = 'error' | 'warning' | 'info';

export interface MatchContext {
  /** Clean lines of the whole input. */
  lines: { n: number; text: string }[];
  /** Index in `lines` of the first and last matching lines. */
  first: number;
  last: number;
  match: RegExpExecArray;
}

export interface DiagnosisRow {
  code: DiagnosisCode;
  /** Fixed, or decided from the surroundings (e.g. whether the boot went on). */
  severity: Severity | ((ctx: MatchContext) => Severity);
  patterns: RegExp[];
  /** Shown to the user; `{1}` etc. are replaced by the first pattern's capture groups. */
  cause: string;
  remedy: string;
  /** Codes whose finding makes this one redundant (it is a consequence of them). */
  supersededBy?: DiagnosisCode[];
}

export interface Finding {
  code: DiagnosisCode;
  severity: Severity;
  message: string;
  remedy: string;
  /** 1-based line of the first match. */
  line: number;
  text: string;
  count: number;
}
