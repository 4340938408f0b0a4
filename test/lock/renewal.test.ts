import assert from 'node:assert/strict';
import { progress } from '../../lib/core/progress.ts';
import { step } from '../../lib/core/step.ts';
import { sleep } from '../../lib/core/time.ts';
import { startRenewal } from '../../lib/lock/renewal.ts';

describe('lock/renewal', () => {
  const events: string[] = [];
  const onWarn = (m: string) => events.push(`warn ${m}`);
  const onStep = (m: string) => events.push(`step ${m}`);
  beforeEach(() => {
    events.length = 0;
    progress.on('warn', onWarn).on('step', onStep);
  });
  afterEach(() => progress.off('warn', onWarn).off('step', onStep));

  it('renews on an interval, without steps, until stopped', async () => {
    let n = 0;
    const r = startRenewal('lock X', 30, () => step('renew', {}, async () => ++n > 0));
    await sleep(200);
    r.stop();
    const at = n;
    await sleep(100);
    assert.ok(at >= 3, `renewed ${at} times`);
    assert.equal(n, at, 'no renewal after stop()');
    assert.deepEqual(events, []);
  });

  it('keeps trying after a failed renewal and stops once the lease is no longer ours', async () => {
    const answers: (boolean | Error)[] = [new Error('ssh: connection reset'), true, false, true];
    let calls = 0;
    startRenewal('lock X', 20, async () => {
      const a = answers[calls++]!;
      if (a instanceof Error) throw a;
      return a;
    });
    await sleep(250);
    assert.equal(calls, 3);
    assert.deepEqual(events, [
      'warn lock X: could not renew the lease: ssh: connection reset',
      'warn lock X: the lease is no longer ours (taken over or removed); stopped renewing it',
    ]);
  });
});
