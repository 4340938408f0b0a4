// What happened to every test, with our two kinds of
// failure: "failed" (an assertion: the board is bad) and "broken" (the lab is bad), as decided
// by lib/core/exit-code.ts.
import type { TestState } from '../core/exit-code.ts';

export type { TestState };

export interface TestOutcome {
  /** Stable across runs: "<suite>/<title as a slug>" (see collect.ts). */
  id?: string;
  suite: string;
  title: string;
  /** The suite's file, relative to the project ("suites/firmware.spec.ts"). */
  file?: string;
  /** A set-up or tear-down hook that failed with no test left to blame, not a test. */
  hook?: boolean;
  state: TestState;
  durationMs: number;
  message?: string;
  /** RigError code or diagnosis code, when known. */
  code?: string;
}

export function suiteVerdicts(outcomes: TestOutcome[]): Record<string, TestState> {
  const v: Record<string, TestState> = {};
  const rank: Record<TestState, number> = { broken: 3, failed: 2, passed: 1, skipped: 0 };
  for (const o of outcomes) if (!(o.suite in v) || rank[o.state] > rank[v[o.suite]!]) v[o.suite] = o.state;
  return v;
}
