// A suite is one spec file that exports its definition: its name, where it runs in the order,
// what it proves, and a body that declares its mocha tests for a given run. Nothing else lists
// suites: `iommu-lab run` finds them in suites/ (lib/mocha/suites.ts). Generic over what a suite
// gets: the project's suites are written against a Run through lib/run/define-suite.ts.

export interface SuiteMeta {
  /** The name `--suite` takes and reports show, e.g. "iommu-detection". */
  name: string;
  /** Run order: cheap evidence first, so a board without IOMMU fails early with its cause. */
  order: number;
  /** One line for `iommu-lab run --list` and the README's table. */
  proves: string;
  /**
   * The stable id of each test by its title: "<suite>/<id>" in summary.json, ALLURE_ID and the
   * history. Rename a title here too and keep its id (a test fails for a test without one).
   */
  ids?: Record<string, string>;
  /**
   * Allure severity and tags of each test, by the name its id ends with ("banner-board"): what a
   * reader filters and sorts the report by. Every test is also tagged with its suite's name; a
   * test not named here is "normal". (`proves` becomes each test's description.)
   */
  labels?: Record<string, TestLabels>;
}

/** Allure's severities, most severe first. */
export type Severity = 'blocker' | 'critical' | 'normal' | 'minor' | 'trivial';

export interface TestLabels {
  severity?: Severity;
  tags?: string[];
}

const BRAND = Symbol.for('iommu-lab.suite-definition');

export interface SuiteDefinition<R = unknown> {
  readonly [BRAND]: true;
  readonly meta: SuiteMeta;
  /** Declares the suite's `describe`/`it` blocks; called once per run, with that run. */
  body(run: R): void;
}

export function defineSuite<R>(meta: SuiteMeta, body: (run: R) => void): SuiteDefinition<R> {
  return { [BRAND]: true, meta, body };
}

/** A brand check, not instanceof: tsx may load this module twice. */
export function isSuiteDefinition(v: unknown): v is SuiteDefinition {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[BRAND] === true;
}
