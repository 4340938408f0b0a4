// The firmware suite shows what it judged: each test that ran has a step naming the line it
// read ("found in console.log, line N: …"), and line N of the run's console.log is that line —
// the board's banner, the PXE prompt, the "reached iPXE" line. Run for real on a board played
// by real parts (test/helpers/scripted-bench.board.ts), through executeRun and allure-mocha.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { discoverSuites } from '../../lib/mocha/suites.ts';
import { executeRun } from '../../lib/run/execute.ts';
import { scriptedBench, scriptedRun } from '../helpers/scripted-run.ts';

interface Step {
  name: string;
  steps?: Step[];
}
interface Result extends Step {
  status: string;
  description?: string;
  labels: { name: string; value: string }[];
}

describe('suites/firmware: evidence on every test', function () {
  this.timeout(90_000);
  const bench = scriptedBench('iommu-lab-firmware-suite-');

  it('each test that ran names the console.log line it judged; description, severity and tags from the suite', async () => {
    const run = scriptedRun(bench);
    const firmware = (await discoverSuites()).filter((s) => s.meta.name === 'firmware');
    assert.equal(await executeRun(run, { suites: firmware, consoleReporter: 'dot' }), 0);

    const resultsDir = run.opts.runDir.allureResults;
    const results = readdirSync(resultsDir)
      .filter((f) => f.endsWith('-result.json'))
      .map((f) => JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as Result);
    const log = readFileSync(run.opts.runDir.transcript, 'latin1').split('\n');
    const byName = (n: string) => results.find((r) => r.name === n)!;
    const consoleSteps = (r: Result) =>
      (r.steps ?? [])
        .map((s) => /^found in console\.log, line (\d+): (.+)$/.exec(s.name))
        .filter((m): m is RegExpExecArray => m !== null);

    const banner = consoleSteps(byName('names the expected board in its banner'));
    assert.equal(banner.length, 1);
    assert.equal(banner[0]![2], 'PC Engines apu2');
    const network = consoleSteps(byName('has network boot enabled'));
    assert.deepEqual(
      network.map((m) => m[2]),
      ['Press F10 key now for boot menu, N for PXE boot', 'iPXE 1.21.1+ -- Open Source Network Boot Firmware'],
    );
    for (const m of [...banner, ...network])
      assert.ok(log[Number(m[1]) - 1]!.includes(m[2]!), `console.log line ${m[1]} is "${log[Number(m[1]) - 1]}"`);
    assert.deepEqual(
      (byName('booted without hanging').steps ?? []).map((s) => s.name),
      ['hangs or deaths: none in 1 boot attempt'],
    );
    for (const r of results.filter((x) => x.status !== 'skipped'))
      assert.ok((r.steps ?? []).length > 0, `"${r.name}" shows no step`);

    const suite = firmware[0]!.meta;
    const banners = byName('names the expected board in its banner');
    assert.equal(banners.description, suite.proves);
    assert.deepEqual(
      banners.labels.filter((l) => l.name === 'severity' || l.name === 'tag').map((l) => l.value),
      ['critical', 'firmware', 'serial', 'banner'],
    );
    // The set-up is named after what it does.
    const containers = readdirSync(resultsDir)
      .filter((f) => f.endsWith('-container.json'))
      .flatMap((f) => (JSON.parse(readFileSync(join(resultsDir, f), 'utf8')).befores ?? []) as Step[]);
    assert.ok(containers.some((b) => b.name === 'boot the board to dom0 and attach the firmware serial log'));
    assert.ok(!containers.some((b) => /unnamed/.test(b.name)));
  });
});
