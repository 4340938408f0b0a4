import { AssertionError } from 'node:assert';
import assert from 'node:assert/strict';
import { BootFailure } from '../../lib/boot/errors.ts';
import { RigError } from '../../lib/core/errors.ts';
import { classify, exitCodeFor, suiteVerdicts, type TestOutcome } from '../../lib/report/results.ts';

const o = (suite: string, state: TestOutcome['state']): TestOutcome => ({ suite, title: 't', state, durationMs: 0 });

describe('report/results', () => {
  it('classifies assertions as failed, rig errors and unexpected errors as broken', () => {
    assert.equal(classify(new AssertionError({ message: 'x' })), 'failed');
    assert.equal(classify(new BootFailure('no boot', 'xen', '')), 'failed');
    assert.equal(classify(new RigError('relay', { code: 'POWER_HTTP', part: 'power' })), 'broken');
    assert.equal(classify(new TypeError('bug')), 'broken');
  });

  it('exit code: 0 passed, 1 failed only, 2 any broken or nothing run', () => {
    assert.equal(exitCodeFor([o('a', 'passed'), o('b', 'skipped')]), 0);
    assert.equal(exitCodeFor([o('a', 'passed'), o('b', 'failed')]), 1);
    assert.equal(exitCodeFor([o('a', 'failed'), o('b', 'broken')]), 2);
    assert.equal(exitCodeFor([o('a', 'skipped')]), 2);
    assert.equal(exitCodeFor([]), 2);
  });

  it('a suite takes its worst verdict', () => {
    assert.deepEqual(suiteVerdicts([o('a', 'passed'), o('a', 'failed'), o('b', 'skipped'), o('b', 'passed')]), {
      a: 'failed',
      b: 'passed',
    });
  });
});
