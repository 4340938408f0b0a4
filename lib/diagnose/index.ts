// Entry point for the diagnosis table: diagnose(text) → findings with code, cause and remedy.
export { applyRow, DIAGNOSES, diagnose } from './table.ts';
export type { DiagnosisRow, Finding, MatchContext, Severity } from './types.ts';
