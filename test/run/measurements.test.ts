// Two runs in one process (a bisect, a test harness) keep their own measurements and owners.
import assert from 'node:assert/strict';
import { RunMeasurements } from '../../lib/run/measurements.ts';

describe('run/measurements: one run, its own measurements', () => {
  it('keeps each run to itself: values, thresholds and the test that took them', async () => {
    const a = new RunMeasurements();
    const b = new RunMeasurements();
    a.testing('guest-nic-traffic > passes traffic');
    await a.record({
      suite: 'guest-nic-traffic',
      name: 'passthrough tx',
      value: 208.3,
      unit: 'Mbit/s',
      threshold: '≥ 150',
    });
    await b.record({ suite: 'boot-stability', name: 'hangs or panics', value: 0, unit: 'count' });
    b.testing('boot-stability > boots');
    await b.record({ suite: 'boot-stability', name: 'power-on to dom0 (max)', value: 61, unit: 's' });
    assert.deepEqual(
      a.list().map((m) => [m.name, m.test, m.threshold]),
      [['passthrough tx', 'guest-nic-traffic > passes traffic', { min: 150 }]],
    );
    assert.deepEqual(
      b.list().map((m) => [m.name, m.test]),
      [
        ['hangs or panics', undefined],
        ['power-on to dom0 (max)', 'boot-stability > boots'],
      ],
    );
    a.testing(undefined);
    await a.record({ suite: 'guest-nic-traffic', name: 'in a hook', value: 1, unit: 'count' });
    assert.equal(a.list()[1]?.test, undefined, 'a measurement in a hook belongs to no test');
  });
});
