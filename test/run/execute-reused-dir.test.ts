// A run into a report folder an earlier run left a cut-short Allure result in (#24 N10): the
// broken file is left alone, this run's reports are written, and its verdict is its own.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FoundSuite } from '../../lib/mocha/suites.ts';
import { runDirPaths } from '../../lib/report/run-dir-layout.ts';
import { defineSuite } from '../../lib/run/define-suite.ts';
import { executeRun } from '../../lib/run/execute.ts';
import { scriptedBench, scriptedRun } from '../helpers/scripted-run.ts';

describe('mocha/execute: a reused report folder', function () {
  this.timeout(90_000);
  const bench = scriptedBench('iommu-lab-reused-');

  it('a truncated Allure result and container from an earlier run do not make this run broken (#24 N10)', async () => {
    const runDir = runDirPaths(join(bench.dir, 'report'));
    mkdirSync(runDir.allureResults, { recursive: true });
    writeFileSync(join(runDir.allureResults, 'old-result.json'), '{"uuid":"1","name":"cut sh');
    writeFileSync(join(runDir.allureResults, 'old-container.json'), '');
    const run = scriptedRun(bench, { runDir });
    const probe: FoundSuite = {
      ...defineSuite({ name: 'probe', order: 1, proves: 'probe' }, () => {
        describe('probe', () => {
          it('passes', () => {});
        });
      }),
      file: join(process.cwd(), 'suites', 'probe.spec.ts'),
    };
    assert.equal(await executeRun(run, { suites: [probe], consoleReporter: 'dot' }), 0);
    assert.equal(JSON.parse(readFileSync(runDir.summary, 'utf8')).verdict, 'passed');
    assert.match(readFileSync(runDir.junit, 'utf8'), /<testcase classname="probe" name="passes"/);
    assert.equal(readFileSync(join(runDir.allureResults, 'old-result.json'), 'utf8'), '{"uuid":"1","name":"cut sh');
  });
});
