// What a whole run (executeRun on a board played by real parts) leaves for CI and the HTML
// report: the boot's SSH wait is one step, not a row of broken tries; a measurement is a step,
// never a parameter; a skip keeps its reason; command output is attached once, JSON as JSON;
// JUnit validates against the Jenkins schema; summary.json against its own; and a boot that
// fails before the suites lists every one of their tests as broken, in JUnit and in Allure.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { attachResult } from '../../lib/evidence/command.ts';
import type { FoundSuite } from '../../lib/mocha/suites.ts';
import { summarySchema } from '../../lib/report/summary-schema.ts';
import { defineSuite } from '../../lib/run/define-suite.ts';
import { executeRun } from '../../lib/run/execute.ts';
import type { Run } from '../../lib/run/run.ts';
import { skipBecause } from '../../lib/run/suite-kit.ts';
import { scriptedBench, scriptedRun } from '../helpers/scripted-run.ts';
import { junitXsdErrors, onPath } from '../helpers/tools.ts';

interface Step {
  name: string;
  status?: string;
  steps?: Step[];
  parameters?: { name: string; value: string }[];
  attachments?: { name: string; type: string; source: string }[];
}
interface Result extends Step {
  fullName: string;
  statusDetails: { message?: string };
}
interface Container {
  befores?: Step[];
}

const read = (dir: string, suffix: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
const summaryBoot = (run: Run) => {
  const s = JSON.parse(readFileSync(run.opts.runDir.summary, 'utf8'));
  return Math.round(s.boot.timings.reduce((a: number, t: { ms: number }) => a + t.ms, 0)) / 1000;
};
const walk = (s: Step[] | undefined): Step[] => (s ?? []).flatMap((x) => [x, ...walk(x.steps)]);

describe('mocha/execute: the reports of a whole run', function () {
  this.timeout(90_000);
  const bench = scriptedBench('iommu-lab-reports-');

  function makeRun(dom0Ms = 8000): Run {
    return scriptedRun(bench, { dom0Ms });
  }

  const suite = (name: string, body: (run: Run) => void): FoundSuite => ({
    ...defineSuite({ name, order: 1, proves: name }, body),
    file: join(process.cwd(), 'suites', `${name}.spec.ts`),
  });

  it('a healthy run: one poll step, measurements as steps, skip reasons, output once, valid JUnit and summary', async () => {
    const run = makeRun();
    const probe = suite('probe', (r) => {
      describe('probe', () => {
        it('measures throughput', async () => {
          const d = await r.session.dom0();
          const out = await d.run(`echo '{"end": {"sum_received": {"bits_per_second": 2.1e8}}}'`, { timeoutMs: 5000 });
          await attachResult('iperf3 (board → peer)', out);
          await r.measure({
            suite: 'probe',
            name: 'passthrough tx',
            value: 208.3,
            unit: 'Mbit/s',
            threshold: { min: 150 },
          });
        });
        it('is skipped for a reason', function () {
          skipBecause(this, 'rig does not ask for a PV netfront measurement');
        });
      });
    });
    assert.equal(await executeRun(run, { suites: [probe], consoleReporter: 'dot' }), 0);
    const results = read(run.opts.runDir.allureResults, '-result.json') as Result[];
    const measured = results.find((x) => x.name === 'measures throughput')!;
    assert.deepEqual(measured.parameters, [], 'a measurement became a parameter (it would change the history id)');
    const steps = walk(measured.steps);
    assert.ok(steps.some((s) => s.name === 'measured: passthrough tx = 208 Mbit/s (threshold ≥ 150 Mbit/s: met)'));
    const cmd = steps.find((s) => s.name.startsWith('dom0: echo'))!;
    // allure-js-commons wraps each attachment in a step of its name
    const attached = walk([cmd]).flatMap((x) => x.attachments ?? []);
    assert.deepEqual(
      attached.map((a) => [a.name, a.type]),
      [['stdout', 'application/json']],
    );
    assert.ok(!steps.some((s) => s.name === 'iperf3 (board → peer)'), 'the same output attached a second time');
    const skipped = results.find((x) => x.name === 'is skipped for a reason')!;
    assert.equal(skipped.statusDetails.message, 'rig does not ask for a PV netfront measurement');

    // The boot: in the set-up every test shows, named, with the SSH wait as ONE passed step.
    const befores = (read(run.opts.runDir.allureResults, '-container.json') as Container[]).flatMap(
      (c) => c.befores ?? [],
    );
    const bootHook = befores.find((b) => b.name === 'boot the board to dom0');
    assert.ok(bootHook, `hooks: ${befores.map((b) => b.name).join(', ')}`);
    const all = walk(bootHook.steps);
    const wait = all.filter((s) => /^wait for dom0 SSH/.test(s.name));
    assert.equal(wait.length, 1);
    assert.match(wait[0]!.name, /^wait for dom0 SSH: \d+ tr(y|ies), [\d.]+ s$/);
    assert.deepEqual(
      all.filter((s) => s.status && s.status !== 'passed').map((s) => s.name),
      [],
      'a passing boot shows broken steps',
    );
    assert.ok(!all.some((s) => s.name.startsWith('dom0: connect')), 'the tries of the poll are in the report');

    const env = readFileSync(join(run.opts.runDir.allureResults, 'environment.properties'), 'utf8');
    assert.match(env, /^rig=bench-3$/m);
    assert.match(env, /^firmware\\ version=v4\.19\.0\.1$/m);
    const perf = JSON.parse(readFileSync(join(run.opts.runDir.allureResults, 'iommu-lab-perf.json'), 'utf8'));
    assert.deepEqual(
      perf.map((p: { key: string; value: number; better: string }) => [p.key, p.value, p.better]),
      [
        ['bench: power-on to dom0', summaryBoot(run), 'lower'],
        ['probe: passthrough tx', 208.3, 'higher'],
      ],
    );

    const junit = readFileSync(run.opts.runDir.junit, 'utf8');
    if (onPath('xmllint')) assert.equal(junitXsdErrors(junit), '');
    const benchTime = Number(/<testsuite name="bench" tests="0"[^>]*time="([\d.]+)"/.exec(junit)?.[1]);
    assert.ok(benchTime > 0.1, `the boot's time is not in the bench suite: ${benchTime}`);
    assert.match(junit, /<property name="Xen" value="4\.17\.7"\/>/);
    // The measurement in JUnit too, on the test that took it; and summary.json names that test.
    assert.match(
      junit,
      /name="measures throughput" time="[\d.]+"><system-out>measured: passthrough tx = 208 Mbit\/s \(threshold ≥ 150 Mbit\/s: met\)<\/system-out>/,
    );
    const measuredBy = JSON.parse(readFileSync(run.opts.runDir.summary, 'utf8')).measurements[0].test;
    assert.equal(measuredBy, 'probe/measures-throughput');
    const summary = summarySchema.parse(JSON.parse(readFileSync(run.opts.runDir.summary, 'utf8')));
    assert.equal(summary.firmware.version, 'v4.19.0.1');
    assert.equal(summary.firmware.banner?.board, 'PC Engines apu2');
    assert.equal(summary.platform.xenVersion, '4.17.7');
  });

  it('a boot that fails before the suites: every test of every suite broken, in JUnit and Allure', async () => {
    bench.board.scripts = ['hang-after-xen'];
    const run = makeRun(1500);
    const two = (name: string) =>
      suite(name, () => {
        describe(name, () => {
          it(`${name} test one`, () => {});
          it(`${name} test two`, () => {});
        });
      });
    const code = await executeRun(run, { suites: [two('firmware'), two('iommu-detection')], consoleReporter: 'dot' });
    assert.equal(code, 2);
    const junit = readFileSync(run.opts.runDir.junit, 'utf8');
    if (onPath('xmllint')) assert.equal(junitXsdErrors(junit), '');
    assert.match(junit, /<testsuites [^>]*tests="4" failures="0" errors="4">/);
    assert.equal(
      junit.match(
        /<error message="not run: its set-up &quot;before all: boot the board to dom0&quot; failed: dom0 not reachable/g,
      )?.length,
      4,
    );
    assert.equal(junit.match(/\[\[ATTACHMENT\|/g)?.length, 4);
    const results = read(run.opts.runDir.allureResults, '-result.json') as Result[];
    assert.deepEqual(results.map((x) => [x.name, x.status]).sort(), [
      ['firmware test one', 'broken'],
      ['firmware test two', 'broken'],
      ['iommu-detection test one', 'broken'],
      ['iommu-detection test two', 'broken'],
    ]);
    assert.ok(results.every((x) => /DOM0_TIMEOUT|dom0 not reachable/.test(x.statusDetails.message ?? '')));
    const summary = summarySchema.parse(JSON.parse(readFileSync(run.opts.runDir.summary, 'utf8')));
    assert.deepEqual(Object.keys(summary.suites).sort(), ['firmware', 'iommu-detection']);
    assert.equal(summary.suites.firmware?.broken, 2);
  });
});
