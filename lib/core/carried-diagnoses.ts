// Diagnoses as data on the error that a test fails with: the codes a procedure found (a
// finding's code, severity and the line it matched) travel with the thrown error to the
// reports, so summary.json, JUnit and Allure count them without parsing the message's prose.
import type { ErrorCode } from './error-codes.ts';

export type DiagnosisSeverity = 'error' | 'warning' | 'info';

export interface CarriedDiagnosis {
  code: ErrorCode;
  severity: DiagnosisSeverity;
  /** The (clean) line it matched, to find again in console.log; absent when it came from elsewhere. */
  text?: string;
}

// A symbol from the global registry: tsx may load this module twice.
const KEY = Symbol.for('iommu-lab.diagnoses');

/** Puts the diagnoses on an error (added to any it already carries); returns the error. */
export function carryDiagnoses<E extends object>(err: E, found: readonly CarriedDiagnosis[]): E {
  if (!found.length) return err;
  const had = carriedDiagnoses(err);
  const all = [...had, ...found.filter((f) => !had.some((h) => h.code === f.code))];
  Object.defineProperty(err, KEY, {
    value: all.map(({ code, severity, text }) => ({ code, severity, ...(text ? { text } : {}) })),
    configurable: true,
    enumerable: false,
  });
  return err;
}

export function carriedDiagnoses(err: unknown): CarriedDiagnosis[] {
  if (typeof err !== 'object' || err === null) return [];
  const v = (err as Record<symbol, unknown>)[KEY];
  return Array.isArray(v) ? (v as CarriedDiagnosis[]) : [];
}
