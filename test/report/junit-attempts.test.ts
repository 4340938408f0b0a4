// A retried job's JUnit keeps the first attempt: a test that failed then passed is flaky, one that
// failed twice carries the earlier failure as a rerun — valid for the Jenkins xUnit schema.
import assert from 'node:assert/strict';
import { toJUnit } from '../../lib/report/junit.ts';
import { foldEarlierAttempt } from '../../lib/report/junit-attempts.ts';
import type { TestOutcome } from '../../lib/report/results.ts';
import { junitXsdErrors, requireXmllint } from '../helpers/tools.ts';

const now: TestOutcome[] = [
  { suite: 'guest-nic-traffic', title: 'passes traffic <hvm>', state: 'passed', durationMs: 5 },
  {
    suite: 'device-assignment',
    title: 'seizes the NIC',
    state: 'broken',
    durationMs: 1,
    message: 'dom0 gone',
    code: 'DOM0_TIMEOUT',
  },
  { suite: 'firmware', title: 'runs the flashed build', state: 'skipped', durationMs: 0, message: 'no --firmware' },
  { suite: 'firmware', title: 'names the board', state: 'passed', durationMs: 1 },
];
const earlier = {
  tests: [
    {
      suite: 'guest-nic-traffic',
      title: 'passes traffic <hvm>',
      state: 'failed' as const,
      message: 'no traffic\nat all',
      code: 'GUEST_NO_TRAFFIC',
    },
    {
      suite: 'device-assignment',
      title: 'seizes the NIC',
      state: 'broken' as const,
      message: 'lock lost',
      code: 'LOCK_LOST',
    },
    { suite: 'firmware', title: 'runs the flashed build', state: 'broken' as const, message: 'x' },
    { suite: 'firmware', title: 'names the board', state: 'passed' as const },
  ],
};
const meta = {
  name: 'iommu-lab r',
  startedAt: new Date(0),
  durationMs: 1,
  hostname: 'h',
  properties: {},
  transcript: 'console.log',
};

describe('report/junit-attempts: the earlier attempt of a retried job in JUnit', () => {
  const { xml, folded } = foldEarlierAttempt(toJUnit(now, meta), earlier, 'reports/7/attempt-1');

  it('a test that failed and then passed is flaky; one that broke twice carries a rerunError', () => {
    assert.equal(folded, 2);
    assert.match(
      xml,
      /name="passes traffic &lt;hvm&gt;" time="0\.005"><flakyFailure message="no traffic" type="GUEST_NO_TRAFFIC"><stackTrace>no traffic\nat all<\/stackTrace><system-out>earlier attempt: reports\/7\/attempt-1<\/system-out><\/flakyFailure><\/testcase>/,
    );
    assert.match(
      xml,
      /<error message="dom0 gone" type="DOM0_TIMEOUT">dom0 gone<\/error><rerunError message="lock lost" type="LOCK_LOST">.*<\/rerunError><system-out>\[\[ATTACHMENT\|console\.log\]\]<\/system-out><\/testcase>/,
    );
    assert.match(xml, /name="runs the flashed build" time="0\.000"><skipped message="no --firmware"\/><\/testcase>/);
    assert.match(xml, /name="names the board" time="0\.001"\/>/);
  });

  it('is valid against the Jenkins xUnit junit-10.xsd', function () {
    requireXmllint(this);
    assert.equal(junitXsdErrors(xml), '');
  });

  it('folding twice changes nothing', () => {
    const again = foldEarlierAttempt(xml, earlier, 'reports/7/attempt-1');
    assert.equal(again.folded, 0);
    assert.equal(again.xml, xml);
  });
});
