import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type Mocha from 'mocha';
import { BootFailure } from '../../lib/boot/errors.ts';
import { RigError } from '../../lib/core/errors.ts';
import { collectOutcomes, suiteVerdicts, type TestOutcome } from '../../lib/report/results.ts';

const o = (suite: string, state: TestOutcome['state']): TestOutcome => ({ suite, title: 't', state, durationMs: 0 });

describe('report/results', () => {
  it("records each failure with the verdict of its owner and the error's code", () => {
    const runner = new EventEmitter();
    const out = collectOutcomes(runner as unknown as Mocha.Runner);
    const root = { root: true } as Mocha.Suite;
    const test = (title: string) => ({ title, duration: 5, parent: { title: 'firmware', parent: root } });
    runner.emit('fail', test('boots'), new BootFailure('no boot', 'xen', ''));
    runner.emit('fail', test('relay'), new RigError('relay', { code: 'POWER_HTTP', part: 'power' }));
    runner.emit('pass', test('banner'));
    assert.deepEqual(
      out.map((x) => [x.suite, x.title, x.state, x.code]),
      [
        ['firmware', 'boots', 'failed', 'ERR_ASSERTION'],
        ['firmware', 'relay', 'broken', 'POWER_HTTP'],
        ['firmware', 'banner', 'passed', undefined],
      ],
    );
  });

  it('a suite takes its worst verdict', () => {
    assert.deepEqual(suiteVerdicts([o('a', 'passed'), o('a', 'failed'), o('b', 'skipped'), o('b', 'passed')]), {
      a: 'failed',
      b: 'passed',
    });
  });
});
