import assert from 'node:assert/strict';
import { TeardownStack } from '../../lib/session/teardown.ts';

describe('session/teardown', () => {
  it('runs newest first, survives a failing step, and runs once', async () => {
    const order: string[] = [];
    const t = new TeardownStack();
    t.push('unlock', async () => void order.push('unlock'));
    t.push('close console', async () => {
      order.push('console');
      throw new Error('port gone');
    });
    t.push('power off', async () => void order.push('off'));
    const [a, b] = await Promise.all([t.run(), t.run()]);
    assert.deepEqual(order, ['off', 'console', 'unlock']);
    assert.deepEqual(a, ['teardown "close console" failed: port gone']);
    assert.equal(a, b);
  });

  it('bounds a step that never finishes', async () => {
    const t = new TeardownStack();
    let after = false;
    t.push('after', async () => {
      after = true;
    });
    t.push('hangs', () => new Promise(() => {}), 50);
    const failures = await t.run();
    assert.match(failures[0]!, /hangs" failed: timed out after 50 ms/);
    assert.ok(after);
  });
});
