// run --rerun-failed through Allure's own test plan, on a board played by real parts: the
// second run executes only what failed or broke in the first (a renamed title included, found by
// its id), and its reports hold only those tests.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RigError } from '../../lib/core/errors.ts';
import { declaredTests } from '../../lib/mocha/declared.ts';
import { notPassedIn, rerunSelection, writeTestPlan } from '../../lib/mocha/rerun-plan.ts';
import type { FoundSuite } from '../../lib/mocha/suites.ts';
import { runDirPaths } from '../../lib/report/run-dir-layout.ts';
import { summarySchema } from '../../lib/report/summary-schema.ts';
import { validateRig } from '../../lib/rig/load.ts';
import { defineSuite } from '../../lib/run/define-suite.ts';
import { executeRun } from '../../lib/run/execute.ts';
import { Run } from '../../lib/run/run.ts';
import { ScriptedBoard } from '../helpers/scripted-board.ts';

describe('mocha/rerun-plan: rerun what failed, through an Allure test plan', function () {
  this.timeout(120_000);
  let board: ScriptedBoard;
  let dir: string;

  beforeEach(async () => {
    board = new ScriptedBoard();
    await board.start();
    dir = mkdtempSync(join(tmpdir(), 'iommu-lab-rerun-'));
  });

  afterEach(async () => {
    await board.stop();
    if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
  });

  const makeRun = (name: string) =>
    new Run({
      rig: validateRig(board.rig(dir, { boot: { retries: 0, timeoutsMs: { xen: 500, dom0: 8000 } } }), 'scripted.json'),
      runDir: runDirPaths(join(dir, name)),
      keepOn: false,
      boots: 1,
    });

  it('runs only the failed and broken tests of the earlier run, also one whose title was renamed', async () => {
    const ran: string[] = [];
    const suite = (bTitle: string): FoundSuite => ({
      ...defineSuite({ name: 'x', order: 1, proves: 'x', ids: { 'does a': 'a', [bTitle]: 'b', 'does c': 'c' } }, () => {
        describe('x', () => {
          it('does a', () => void ran.push('a'));
          it(bTitle, () => {
            ran.push('b');
            assert.fail('b is wrong');
          });
          it('does c', () => {
            ran.push('c');
            throw new RigError('c could not run', { code: 'COMMAND_FAILED', part: 'dom0' });
          });
        });
      }),
      file: join(process.cwd(), 'suites', 'x.spec.ts'),
    });
    const first = makeRun('first');
    assert.equal(await executeRun(first, { suites: [suite('does b')], consoleReporter: 'dot' }), 2);
    assert.deepEqual(ran, ['a', 'b', 'c']);

    const renamed = [suite('does b, renamed')];
    const chosen = rerunSelection(declaredTests(renamed, {} as Run), notPassedIn(first.opts.runDir.root));
    assert.deepEqual(
      chosen.map((t) => t.id),
      ['x/b', 'x/c'],
    );
    const second = makeRun('second');
    const plan = writeTestPlan(chosen, join(dir, 'testplan.json'));
    const planned = new Set(chosen.map((t) => t.titlePath));
    ran.length = 0;
    assert.equal(
      await executeRun(second, { suites: renamed, consoleReporter: 'dot', plan: { path: plan, planned } }),
      2,
    );
    assert.deepEqual(ran, ['b', 'c'], 'the plan did not select the tests');
    assert.equal(process.env.ALLURE_TESTPLAN_PATH, undefined, 'the plan leaked into the process');

    const summary = summarySchema.parse(JSON.parse(readFileSync(second.opts.runDir.summary, 'utf8')));
    assert.deepEqual(
      summary.tests.map((t) => [t.id, t.state]),
      [
        ['x/b', 'failed'],
        ['x/c', 'broken'],
      ],
    );
    const results = readdirSync(second.opts.runDir.allureResults).filter((f) => f.endsWith('-result.json'));
    assert.equal(results.length, 2);
    assert.equal(readFileSync(second.opts.runDir.junit, 'utf8').match(/<testcase /g)?.length, 2);
  });

  it('refuses a folder that holds no run', () => {
    assert.throws(() => notPassedIn(dir), /holds no summary\.json and no allure-results/);
  });
});
