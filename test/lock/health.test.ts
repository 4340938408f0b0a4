// The health record beside a local lease: written atomically, read back; a damaged record (cut
// short, foreign, a folder or a FIFO in its place) reads as bad, never as healthy, and at once
// (#24 N12); its fields are printable (#24 N13).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
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

  it('reads a damaged or foreign record as bad, saying so and how to clear it (#24 N12)', async () => {
    const dir = tempDir('health-');
    const store = healthStore({ name: 'bench-4', lock: { kind: 'local', dir, ttlMs: 60_000 } });
    for (const text of ['{"state":"bad"', '{"state":"broken","at":"x"}', '', 'null']) {
      writeFileSync(store.where, text);
      const h = await store.read();
      assert.equal(h?.state, 'bad', text);
      assert.match(h!.why, /health record .*bench-4\.health\.json is damaged .*iommu-lab health/);
    }
  });

  it('reads a folder or a FIFO in place of the record as bad, at once (#24 N12)', async () => {
    const dir = tempDir('health-');
    const store = healthStore({ name: 'bench-4', lock: { kind: 'local', dir, ttlMs: 60_000 } });
    mkdirSync(store.where);
    assert.match((await store.read())!.why, /damaged \(not a regular file\)/);
    const fifoDir = tempDir('health-');
    const fifoStore = healthStore({ name: 'bench-4', lock: { kind: 'local', dir: fifoDir, ttlMs: 60_000 } });
    execFileSync('mkfifo', [fifoStore.where]);
    const t0 = Date.now();
    const h = await fifoStore.read();
    assert.ok(Date.now() - t0 < 2000);
    assert.equal(h?.state, 'bad');
    assert.match(h!.why, /not a regular file/);
  });

  it('refuses to write over a folder in one line naming it (#24 N12)', async () => {
    const dir = tempDir('health-');
    const store = healthStore({ name: 'bench-4', lock: { kind: 'local', dir, ttlMs: 60_000 } });
    mkdirSync(store.where);
    await assert.rejects(
      store.write({ state: 'good', at: '2026-12-01T10:00:00Z', why: 'ok', by: 'me' }),
      (e: Error & { code?: string }) =>
        e.code === 'BENCH_HEALTH_RECORD' && /bench-4\.health\.json: E/.test(e.message) && !e.message.includes('\n'),
    );
  });

  it('makes escape sequences in a record printable (#24 N13)', async () => {
    const dir = tempDir('health-');
    const store = healthStore({ name: 'bench-4', lock: { kind: 'local', dir, ttlMs: 60_000 } });
    writeFileSync(
      store.where,
      JSON.stringify({ state: 'bad', at: '2026\x1b[2J', why: 'x\x1b]0;owned\x07', by: 'ci\x9b31m' }),
    );
    const h = await store.read();
    assert.deepEqual(h, { state: 'bad', at: '2026\\e[2J', why: 'x\\e]0;owned\\x07', by: 'ci\\x9b31m' });
  });
});
