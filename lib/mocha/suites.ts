// The suites of this project are the spec files in suites/, each exporting its own definition
// (name, order, what it proves). This finds them; `--suite` is checked against what it found.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../core/errors.ts';
import { isSuiteDefinition, type SuiteDefinition } from './define-suite.ts';

export const SUITES_DIR = resolve(import.meta.dirname, '../../suites');

export interface FoundSuite<R = unknown> extends SuiteDefinition<R> {
  file: string;
}

export async function discoverSuites(dir = SUITES_DIR): Promise<FoundSuite[]> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.spec.ts'))
    .map((f) => join(dir, f));
  const found: FoundSuite[] = [];
  for (const file of files) {
    const def = ((await import(file)) as { default?: unknown }).default;
    if (!isSuiteDefinition(def)) throw new Error(`${file}: does not export default defineSuite(...)`);
    found.push({ ...def, file });
  }
  const names = new Set<string>();
  for (const s of found) {
    if (names.has(s.meta.name)) throw new Error(`two suites are named "${s.meta.name}"`);
    names.add(s.meta.name);
  }
  return found.sort((a, b) => a.meta.order - b.meta.order);
}

/** The wanted suites in run order (all when none are named); an unknown name is a usage error. */
export async function selectSuites(names: string[] | undefined, dir = SUITES_DIR): Promise<FoundSuite[]> {
  const all = await discoverSuites(dir);
  const known = all.map((s) => s.meta.name);
  for (const n of names ?? [])
    if (!known.includes(n)) throw new UsageError(`unknown suite "${n}" (suites: ${known.join(', ')})`);
  return names?.length ? all.filter((s) => names.includes(s.meta.name)) : all;
}
