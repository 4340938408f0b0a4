// What happened to every test, with our two kinds of
// failure: "failed" (an assertion: the board is bad) and "broken" (the lab is bad), as decided
// by lib/core/exit-code.ts.
import type { CarriedDiagnosis } from '../core/carried-diagnoses.ts';
import type { TestState } from '../core/exit-code.ts';

export type { TestState };

export interface TestOutcome {
  /** Stable across runs: the test's explicit id, else "<suite>/<title as a slug>" (see collect.ts). */
  id?: string;
  /** Whether the id was declared with the test (withId) rather than made from its title. */
  explicitId?: boolean;
  /** Mocha's title path joined with " > " (how Allure's fullName ends): finds its Allure result. */
  titlePath?: string;
  suite: string;
  title: string;
  /** The suite's file, relative to the project ("suites/firmware.spec.ts"). */
  file?: string;
  /** A set-up or tear-down hook that failed with no test left to blame, not a test. */
  hook?: boolean;
  state: TestState;
  durationMs: number;
  message?: string;
  /** The diagnosis code it failed with (a carried finding of severity error first), else its error code. */
  code?: string;
  /** Every code the failure carried: the error's own and the findings behind it. */
  diagnoses?: CarriedDiagnosis[];
  /** When the test began, epoch ms. */
  startedAt?: number;
  /** Its lines in console.log: the start and end marker lines written around it. */
  console?: { fromLine: number; toLine: number };
}

export function suiteVerdicts(outcomes: TestOutcome[]): Record<string, TestState> {
  const v: Record<string, TestState> = {};
  const rank: Record<TestState, number> = { broken: 3, failed: 2, passed: 1, skipped: 0 };
  for (const o of outcomes) if (!(o.suite in v) || rank[o.state] > rank[v[o.suite]!]) v[o.suite] = o.state;
  return v;
}
