// The health record beside a local lease: written atomically, read back, and an unreadable
// record never makes a bench look bad.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { healthStore } from '../../lib/lock/health.ts';
import { tempDir } from '../helpers/temp-dir.ts';

describe('lock/health', () => {
  it('keeps good and bad with when, why and by whom, beside the lock file', async () => {
    const dir = tempDir('health-');
    const store = healthStore({ name: 'bench-4', lock: { kind: 'local', dir, ttlMs: 60_000 } });
    assert.equal(store.where, join(dir, 'bench-4.health.json'));
    assert.equal(await store.read(), undefined);
    const bad = { state: 'bad' as const, at: '2026-12-01T10:00:00Z', why: 'no console output', by: 'ci-job-9' };
    await store.write(bad);
    assert.deepEqual(await store.read(), bad);
    await store.write({ ...bad, state: 'good', why: 'known-good image booted to dom0, AMD-Vi enabled' });
    assert.equal((await store.read())?.state, 'good');
  });

  it('reads a damaged or foreign record as no record', async () => {
    const dir = tempDir('health-');
    const store = healthStore({ name: 'bench-4', lock: { kind: 'local', dir, ttlMs: 60_000 } });
    writeFileSync(store.where, '{"state":"bad"');
    assert.equal(await store.read(), undefined);
    writeFileSync(store.where, '{"state":"broken","at":"x"}');
    assert.equal(await store.read(), undefined);
  });
});
