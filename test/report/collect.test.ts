// Outcomes from a real mocha run with allure-mocha writing real results: a failed `before all`
// lists every test under it (broken for a lab cause, failed for the board's), in Allure too;
// skips keep their reason per test; hooks are named and timed; ids are stable.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AllureMochaReporter from 'allure-mocha';
import Mocha from 'mocha';
import { BootFailure } from '../../lib/boot/errors.ts';
import { RigError } from '../../lib/core/errors.ts';
import { writeSkipReasons } from '../../lib/report/allure-results.ts';
import { type Collected, collectOutcomes } from '../../lib/report/collect.ts';
import { skipBecause } from '../../lib/run/suite-kit.ts';

async function runSuites(resultsDir: string, declare: () => void, grep?: string): Promise<Collected> {
  const mocha = new Mocha({
    reporter: AllureMochaReporter as unknown as string,
    reporterOptions: { resultsDir },
    grep,
  });
  mocha.suite.emit('pre-require', globalThis, join(process.cwd(), 'suites/probe.spec.ts'), mocha);
  declare();
  let c!: Collected;
  await new Promise<void>((res) => {
    c = collectOutcomes(mocha.run(() => res()));
  });
  return c;
}

type AllureResult = { name: string; status: string; fullName: string; statusDetails: { message?: string } };
const results = (dir: string): AllureResult[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));

describe('report/collect on a real mocha run', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'iommu-lab-collect-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the console reporter gets one line per failure: no stack, no "Caused by" chain (lab and board alike)', async () => {
    const lab = new RigError('console: connection lost: read ECONNRESET', {
      code: 'CONSOLE_LOST',
      part: 'console',
      cause: new Error('read ECONNRESET'),
    });
    const board = new BootFailure('board hung during dom0: silent for 30 s', 'dom0', '(XEN) ...', 'BOOT_HANG');
    const guest = new RigError('pv guest did not answer SSH within 60 s; xl list: paused', {
      code: 'GUEST_NO_ANSWER',
      part: 'guest',
    });
    await runSuites(dir, () => {
      describe('device-assignment', () => {
        it('gives the NIC to a PV guest', () => {
          throw guest;
        });
      });
      describe('firmware', () => {
        before('boot the board to dom0', () => {
          throw lab;
        });
        it('names the board', () => {});
      });
      describe('iommu-detection', () => {
        it('enables AMD-Vi', () => {
          throw board;
        });
      });
    });
    assert.equal(lab.stack, 'console error (CONSOLE_LOST): console: connection lost: read ECONNRESET');
    assert.equal(lab.cause, undefined);
    assert.match(board.stack!, /^boot failure \(BOOT_HANG\): board hung during dom0/);
    assert.doesNotMatch(board.stack!, /^\s+at /m);
    // A RigError the board owns: named like the board's other failures, not as the lab's error.
    assert.equal(
      guest.stack,
      'guest failure (GUEST_NO_ANSWER): pv guest did not answer SSH within 60 s; xl list: paused',
    );
  });

  it('a lab failure in before all: every test of the suite broken with the cause, in Allure too', async () => {
    const c = await runSuites(dir, () => {
      describe('device-assignment', () => {
        before('boot the board to dom0', () => {
          throw new RigError('dom0 not reachable over SSH within 60 s', { code: 'DOM0_TIMEOUT', part: 'dom0' });
        });
        it('loads xen-pciback', () => {});
        it('lists the NIC', () => {});
        describe('guests', () => {
          it('gives the NIC to a PV guest', () => {});
        });
      });
    });
    assert.deepEqual(
      c.outcomes.map((o) => [o.id, o.state, o.code]),
      [
        ['device-assignment/loads-xen-pciback', 'broken', 'DOM0_TIMEOUT'],
        ['device-assignment/lists-the-nic', 'broken', 'DOM0_TIMEOUT'],
        ['device-assignment/guests-gives-the-nic-to-a-pv-guest', 'broken', 'DOM0_TIMEOUT'],
      ],
    );
    assert.match(
      c.outcomes[0]!.message!,
      /^not run: its set-up "before all: boot the board to dom0" failed: dom0 not reachable/,
    );
    assert.equal(c.outcomes[0]!.file, 'suites/probe.spec.ts');
    const r = results(dir);
    assert.deepEqual(r.map((x) => [x.name, x.status]).sort(), [
      ['gives the NIC to a PV guest', 'broken'],
      ['lists the NIC', 'broken'],
      ['loads xen-pciback', 'broken'],
    ]);
    assert.match(r[0]!.statusDetails.message!, /dom0 not reachable over SSH/);
    assert.deepEqual(
      c.hooks.map((h) => [h.suite, h.name, h.failed]),
      [['device-assignment', 'before all: boot the board to dom0', true]],
    );
  });

  it('the console reporter, which prints at the end, shows the cause with the hook only: each test says "not run" in one line', async () => {
    const mocha = new Mocha({
      reporter: AllureMochaReporter as unknown as string,
      reporterOptions: { resultsDir: dir },
    });
    mocha.suite.emit('pre-require', globalThis, join(process.cwd(), 'suites/probe.spec.ts'), mocha);
    describe('firmware', () => {
      before('boot the board to dom0', () => {
        throw new RigError('dom0 not reachable over SSH within 60 s', { code: 'DOM0_TIMEOUT', part: 'dom0' });
      });
      it('names the board', () => {});
      it('runs the build', () => {});
    });
    const seen: { title: string; atEmit: string; err: Error }[] = [];
    let c!: Collected;
    await new Promise<void>((res) => {
      const runner = mocha.run(() => res());
      c = collectOutcomes(runner);
      runner.on('fail', (t, err: Error) => seen.push({ title: t.title, atEmit: err.message, err }));
    });
    const tests = seen.filter((x) => !x.title.includes('hook'));
    assert.equal(tests.length, 2);
    // Every listener got the whole cause when the failure was emitted …
    for (const x of tests) assert.match(x.atEmit, /failed: dom0 not reachable over SSH/);
    for (const o of c.outcomes) assert.match(o.message!, /failed: dom0 not reachable over SSH/);
    // … and what mocha's reporter prints at the end says it once, with the hook.
    for (const x of tests) assert.doesNotMatch(`${x.err.message}\n${x.err.stack}`, /dom0 not reachable/);
    const hook = seen.find((x) => x.title.includes('hook'))!;
    assert.match(hook.err.message, /dom0 not reachable over SSH/);
  });

  it("the board's failure in before all (it did not boot): the tests fail, as the board's", async () => {
    const c = await runSuites(dir, () => {
      describe('firmware', () => {
        before(() => {
          throw new BootFailure('board did not boot: Panic on CPU 0', 'xen', '(XEN) Panic on CPU 0');
        });
        it('names the board', () => {});
      });
    });
    assert.deepEqual(
      c.outcomes.map((o) => o.state),
      ['failed'],
    );
    assert.equal(results(dir)[0]!.status, 'failed');
  });

  it('honours --grep: tests it left out are not blamed on the hook', async () => {
    const c = await runSuites(
      dir,
      () => {
        describe('iommu-detection', () => {
          before(() => {
            throw new RigError('no dom0', { code: 'DOM0_TIMEOUT', part: 'dom0' });
          });
          it('has an IVRS ACPI table', () => {});
          it('enables AMD-Vi', () => {});
        });
      },
      'IVRS',
    );
    assert.deepEqual(
      c.outcomes.map((o) => o.title),
      ['has an IVRS ACPI table'],
    );
  });

  it('an after all failure with every test done is its own entry, named for the hook', async () => {
    const c = await runSuites(dir, () => {
      describe('guest-nic-traffic', () => {
        after('give the NIC back to dom0', () => {
          throw new RigError('pci-assignable-remove failed', { code: 'POWER_COMMAND', part: 'dom0' });
        });
        it('passes traffic', () => {});
      });
    });
    assert.deepEqual(
      c.outcomes.map((o) => [o.title, o.state, o.hook ?? false]),
      [
        ['passes traffic', 'passed', false],
        ['after all: give the NIC back to dom0', 'broken', true],
      ],
    );
  });

  it('keeps the reason of each skip, per test and per hook, and writes it into Allure', async () => {
    const c = await runSuites(dir, () => {
      describe('firmware', () => {
        it('runs the flashed build', function () {
          skipBecause(this, 'no --firmware given: nothing to compare the running version with');
        });
        it('has network boot enabled', function () {
          skipBecause(this, 'board was already booted (--assume)');
        });
      });
      describe('boot-stability', () => {
        before(function () {
          skipBecause(this, 'board was adopted with --assume');
        });
        it('reaches dom0 on every boot', () => {});
      });
    });
    assert.deepEqual(
      c.outcomes.map((o) => [o.title, o.state, o.message]),
      [
        ['runs the flashed build', 'skipped', 'no --firmware given: nothing to compare the running version with'],
        ['has network boot enabled', 'skipped', 'board was already booted (--assume)'],
        ['reaches dom0 on every boot', 'skipped', 'board was adopted with --assume'],
      ],
    );
    assert.ok(
      results(dir).every((r) => r.statusDetails.message === 'Test skipped'),
      'allure-mocha changed',
    );
    assert.equal(writeSkipReasons(dir, c.skipReasons), 3);
    const byName = Object.fromEntries(results(dir).map((r) => [r.name, r.statusDetails.message]));
    assert.equal(byName['has network boot enabled'], 'board was already booted (--assume)');
    assert.equal(byName['reaches dom0 on every boot'], 'board was adopted with --assume');
  });

  it('times named hooks per suite and gives duplicate titles distinct ids', async () => {
    const c = await runSuites(dir, () => {
      describe('iommu-detection', () => {
        before('read xl dmesg and xl info', () => new Promise((r) => setTimeout(r, 60)));
        const title = 'checks';
        it(title, () => {});
        it(title, () => {});
      });
    });
    const h = c.hooks.find((x) => x.name === 'before all: read xl dmesg and xl info');
    assert.ok(h && h.durationMs >= 50, JSON.stringify(c.hooks));
    assert.deepEqual(
      c.outcomes.map((o) => o.id),
      ['iommu-detection/checks', 'iommu-detection/checks~2'],
    );
    assert.ok(c.suiteStarts['iommu-detection']! > 0);
  });
});
