// A whole run through executeRun on a board played by real parts (RTE HTTP server, TCP console,
// SSH dom0): the run is handed to the suite's body, the board is off and the lock free at the
// end — and a teardown that cannot switch the board off makes the run broken (exit 2).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FoundSuite } from '../../lib/mocha/suites.ts';
import { runDirPaths } from '../../lib/report/run-dir-layout.ts';
import { validateRig } from '../../lib/rig/load.ts';
import { defineSuite } from '../../lib/run/define-suite.ts';
import { executeRun } from '../../lib/run/execute.ts';
import { Run } from '../../lib/run/run.ts';
import { bootTo } from '../../lib/run/suite-kit.ts';
import { ScriptedBoard } from '../helpers/scripted-board.ts';

describe('run/execute on a scripted board', function () {
  this.timeout(60_000);
  let board: ScriptedBoard;
  let dir: string;

  beforeEach(async () => {
    board = new ScriptedBoard();
    await board.start();
    dir = mkdtempSync(join(tmpdir(), 'iommu-lab-execute-'));
  });

  afterEach(async () => {
    await board.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function makeRun(): Run {
    const raw = board.rig(dir);
    return new Run({
      rig: validateRig(raw, 'scripted.json'),
      runDir: runDirPaths(join(dir, 'report')),
      keepOn: false,
      boots: 1,
    });
  }

  /** A suite whose body sees the run it was given, boots it, and runs `then` at its end. */
  function probeSuite(seen: Run[], then: () => void = () => {}): FoundSuite {
    const def = defineSuite({ name: 'probe', order: 1, proves: 'the run reaches the suite as an argument' }, (run) => {
      seen.push(run);
      describe('probe', () => {
        it('boots the board to dom0 through the run it was given', async function () {
          await bootTo(this, run, 'dom0');
          assert.equal(run.boot.state, 'dom0');
          then();
        });
      });
    });
    return { ...def, file: join(dir, 'probe.spec.ts') };
  }

  it('passes, hands the same Run to the body, and leaves the board off and the lock free', async () => {
    const run = makeRun();
    const seen: Run[] = [];
    const code = await executeRun(run, { suites: [probeSuite(seen)], consoleReporter: 'dot' });
    assert.equal(code, 0);
    assert.deepEqual(seen, [run]);
    assert.equal(board.rte.gpio.get(0), 0, 'relay still on after the run');
    assert.deepEqual(readdirSync(join(dir, 'locks')), [], 'lock left behind');
    const summary = JSON.parse(readFileSync(run.opts.runDir.summary, 'utf8'));
    assert.equal(summary.verdict, 'passed');
    assert.ok(existsSync(run.opts.runDir.junit));
  });

  it('is broken (exit 2, BENCH_NOT_RESTORED) when the final power-off fails', async () => {
    const run = makeRun();
    // The RTE starts answering 500 once the test is done: the teardown cannot switch off.
    const code = await executeRun(run, {
      suites: [probeSuite([], () => (board.rte.mode = 'error500'))],
      consoleReporter: 'dot',
    });
    board.rte.mode = 'ok';
    assert.equal(code, 2);
    const summary = JSON.parse(readFileSync(run.opts.runDir.summary, 'utf8'));
    assert.equal(summary.verdict, 'broken');
    const problem = summary.problems.find((p: { message: string }) => /not restored/.test(p.message));
    assert.ok(problem, `no BENCH_NOT_RESTORED problem in ${JSON.stringify(summary.problems)}`);
    assert.match(problem.message, /power off board/);
    assert.deepEqual(readdirSync(join(dir, 'locks')), [], 'the lock is released even so');
  });
});
