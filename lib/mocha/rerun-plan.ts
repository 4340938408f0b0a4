// `run --rerun-failed <report-dir>`: the tests that did not pass in an earlier run, as an Allure
// test plan (ALLURE_TESTPLAN_PATH), which allure-mocha applies itself: every test the plan does
// not select is left pending and written nowhere (allure-mocha utils.js applyTestPlan, matching
// a plan entry's `selector` against the test's Allure fullName). A test is found again by its
// stable id in the earlier summary.json, so a renamed title is still rerun; an earlier Allure
// result's fullName is the fallback (a summary from before ids, a test without one).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getPosixPath, getProjectName, getRelativePath } from 'allure-js-commons/sdk/reporter';
import { UsageError } from '../core/errors.ts';
import type { DeclaredTest } from './declared.ts';

const NOT_PASSED = new Set(['failed', 'broken']);

/** The fullName allure-mocha gives a test (its createAllureFullName): "<project>:<file>: <title path>". */
export function allureFullName(t: Pick<DeclaredTest, 'file' | 'titlePath'>): string {
  const base = `${getPosixPath(getRelativePath(t.file))}: ${t.titlePath}`;
  const project = getProjectName();
  return project ? `${project}:${base}` : base;
}

interface Earlier {
  ids: Set<string>;
  fullNames: Set<string>;
}

/** What did not pass in an earlier run folder: ids from its summary.json, fullNames from its Allure results. */
export function notPassedIn(reportDir: string): Earlier {
  const summaryPath = join(reportDir, 'summary.json');
  const resultsDir = join(reportDir, 'allure-results');
  if (!existsSync(summaryPath) && !existsSync(resultsDir))
    throw new UsageError(`--rerun-failed: ${reportDir} holds no summary.json and no allure-results/ of a run`);
  const ids = new Set<string>();
  if (existsSync(summaryPath)) {
    const s = JSON.parse(readFileSync(summaryPath, 'utf8')) as {
      tests?: { id?: string; state?: string; hook?: boolean }[];
    };
    for (const t of s.tests ?? []) if (t.id && !t.hook && NOT_PASSED.has(t.state ?? '')) ids.add(t.id);
  }
  const fullNames = new Set<string>();
  if (existsSync(resultsDir))
    for (const f of readdirSync(resultsDir).filter((x) => x.endsWith('-result.json'))) {
      const r = JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as { status?: string; fullName?: string };
      if (r.fullName && NOT_PASSED.has(r.status ?? '')) fullNames.add(r.fullName);
    }
  return { ids, fullNames };
}

/** The declared tests to rerun: those whose id (or, without one, whose fullName) did not pass. */
export function rerunSelection(declared: readonly DeclaredTest[], earlier: Earlier): DeclaredTest[] {
  return declared.filter((t) => (t.id && earlier.ids.has(t.id)) || earlier.fullNames.has(allureFullName(t)));
}

/** Writes the Allure test plan (format 1.0: {version, tests: [{id, selector}]}); returns its path. */
export function writeTestPlan(tests: readonly DeclaredTest[], path: string): string {
  const plan = {
    version: '1.0',
    tests: tests.map((t) => ({ ...(t.id ? { id: t.id } : {}), selector: allureFullName(t) })),
  };
  writeFileSync(path, `${JSON.stringify(plan, null, 2)}\n`);
  return path;
}
