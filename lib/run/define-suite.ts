// How a suite of this project declares itself: lib/mocha's definition, given the Run it tests,
// and what it needs of the rig (lib/run/needs.ts) — a rig without it skips the suite with why.
import { defineSuite as defineMochaSuite, type SuiteDefinition, type SuiteMeta } from '../mocha/define-suite.ts';
import { declareSkipped, type Need, unmetNeed } from './needs.ts';
import type { Run } from './run.ts';

export interface RunSuiteMeta extends SuiteMeta {
  /** What the rig must have for this suite to mean anything. */
  needs?: Need[];
}

export function defineSuite(meta: RunSuiteMeta, body: (run: Run) => void): SuiteDefinition<Run> {
  return defineMochaSuite<Run>(meta, (run) => {
    const missing = unmetNeed(run.rig, meta.needs);
    if (missing) declareSkipped(missing, () => body(run));
    else body(run);
  });
}
