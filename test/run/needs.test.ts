// A suite's `needs`, checked in one place: on a rig without them every test of the suite is
// skipped with the reason, under its own title, and none of the suite's hooks runs (the board is
// not booted for it). On the scripted board, through the real executeRun.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FoundSuite } from '../../lib/mocha/suites.ts';
import { validateRig } from '../../lib/rig/load.ts';
import { defineSuite } from '../../lib/run/define-suite.ts';
import { executeRun } from '../../lib/run/execute.ts';
import { type Need, unmetNeed } from '../../lib/run/needs.ts';
import { scriptedBench, scriptedRun } from '../helpers/scripted-run.ts';
import { baseRig } from '../rig/base-rig.ts';

describe('run/needs: what a suite needs of the rig', function () {
  this.timeout(60_000);

  it('names the first missing need, and nothing when the rig has them all', () => {
    const full = validateRig(
      { ...structuredClone(baseRig), traffic: { peer: { host: '10.0.0.2' } }, guests: { types: ['pv'] } },
      'full.json',
    );
    assert.equal(unmetNeed(full, ['passthroughNic', 'traffic', 'guests']), undefined);
    const raw = structuredClone(baseRig) as Record<string, unknown> & { capabilities: Record<string, unknown> };
    delete raw.capabilities.passthroughNic;
    const bare = validateRig(raw, 'bare.json');
    const cases: [Need[], RegExp | undefined][] = [
      [[], undefined],
      [['passthroughNic'], /names no passthroughNic/],
      [['traffic'], /has no traffic section/],
      [['guests'], /has no guests section/],
      [['traffic', 'passthroughNic'], /has no traffic section/],
    ];
    for (const [needs, want] of cases) {
      const got = unmetNeed(bare, needs);
      if (want) assert.match(got ?? '', want, needs.join(','));
      else assert.equal(got, undefined);
    }
  });

  const bench = scriptedBench('iommu-lab-needs-');
  const suite = (needs: Need[], hookRan: string[]): FoundSuite =>
    ({
      ...defineSuite({ name: 'needy', order: 1, proves: 'needs', needs, ids: { 'measures it': 'measure' } }, () => {
        describe('needy', () => {
          before(() => void hookRan.push('before'));
          it('measures it', () => void hookRan.push('test'));
          it('measures it again', () => void hookRan.push('test'));
        });
      }),
      file: join(bench.dir ?? '/', 'needy.spec.ts'),
    }) as FoundSuite;

  it('skips every test of a suite whose need the rig lacks, with the reason, and runs none of its hooks', async () => {
    const run = scriptedRun(bench);
    assert.equal(run.rig.traffic, undefined, 'the scripted rig has no traffic section');
    const ran: string[] = [];
    // Exit 2: a run in which no test ran proves nothing (lib/core/exit-code.ts).
    assert.equal(await executeRun(run, { suites: [suite(['traffic'], ran)], consoleReporter: 'dot' }), 2);
    assert.deepEqual(ran, []);
    const s = JSON.parse(readFileSync(run.opts.runDir.summary, 'utf8'));
    const tests = s.tests.filter((t: { suite: string }) => t.suite === 'needy');
    assert.deepEqual(
      tests.map((t: { id: string; state: string }) => [t.id, t.state]),
      [
        ['needy/measure', 'skipped'],
        ['needy/measures-it-again', 'skipped'],
      ],
    );
    for (const t of tests) assert.match(t.message, /^skipped: rig \S+ has no traffic section/);
  });

  it('runs the suite as written when the rig has what it needs', async () => {
    const run = scriptedRun(bench);
    const ran: string[] = [];
    assert.equal(await executeRun(run, { suites: [suite([], ran)], consoleReporter: 'dot' }), 0);
    assert.deepEqual(ran, ['before', 'test', 'test']);
  });
});
