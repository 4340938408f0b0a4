// How a suite of this project declares itself: lib/mocha's definition, given the Run it tests.
import { defineSuite as defineMochaSuite, type SuiteDefinition, type SuiteMeta } from '../mocha/define-suite.ts';
import type { Run } from './run.ts';

export function defineSuite(meta: SuiteMeta, body: (run: Run) => void): SuiteDefinition<Run> {
  return defineMochaSuite<Run>(meta, body);
}
