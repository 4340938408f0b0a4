import assert from 'node:assert/strict';
import { suiteVerdicts, type TestOutcome } from '../../lib/report/results.ts';

const o = (suite: string, state: TestOutcome['state']): TestOutcome => ({ suite, title: 't', state, durationMs: 0 });

describe('report/results', () => {
  it('a suite takes its worst verdict', () => {
    assert.deepEqual(suiteVerdicts([o('a', 'passed'), o('a', 'failed'), o('b', 'skipped'), o('b', 'passed')]), {
      a: 'failed',
      b: 'passed',
    });
  });
});
