import assert from 'node:assert/strict';
import { toJUnit } from '../../lib/report/junit.ts';
import type { TestOutcome } from '../../lib/report/results.ts';

const outcomes: TestOutcome[] = [
  { suite: 'iommu-detection', title: 'enables AMD-Vi', state: 'passed', durationMs: 12 },
  {
    suite: 'iommu-detection',
    title: 'enables I/O virtualisation',
    state: 'failed',
    durationMs: 3,
    message: 'I/O virtualisation is disabled\ndiagnosis NO_IOMMU',
  },
  {
    suite: 'device-assignment',
    title: 'before all: boot',
    state: 'broken',
    durationMs: 5,
    message: 'dom0 <unreachable> & "gone"',
    code: 'DOM0_TIMEOUT',
  },
  {
    suite: 'device-assignment',
    title: 'returns the NIC',
    state: 'skipped',
    durationMs: 0,
    message: 'skipped: bench broken',
  },
];

describe('report/junit', () => {
  const xml = toJUnit(outcomes);

  it('counts failures and errors separately', () => {
    assert.match(xml, /<testsuites name="iommu-lab" tests="4" failures="1" errors="1" skipped="1">/);
  });

  it('reports a failed assertion as <failure> and an infrastructure problem as <error>', () => {
    assert.match(
      xml,
      /name="enables I\/O virtualisation" time="0\.003"><failure message="I\/O virtualisation is disabled" type="failed">/,
    );
    assert.match(xml, /<error message="dom0 &lt;unreachable&gt; &amp; &quot;gone&quot;" type="DOM0_TIMEOUT">/);
  });

  it('keeps skip reasons', () => {
    assert.match(xml, /<skipped message="skipped: bench broken"\/>/);
  });

  it('strips control characters a console may leave in messages', () => {
    const x = toJUnit([{ suite: 's', title: 't', state: 'failed', durationMs: 0, message: 'a\u0007b\u001b[31mc' }]);
    assert.ok(!/[\u0007\u001b]/.test(x));
  });
});
