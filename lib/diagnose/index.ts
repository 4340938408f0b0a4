// Entry point for the diagnosis table: diagnose(text) → findings with code, cause and remedy.
export { diagnose } from './table.ts';
