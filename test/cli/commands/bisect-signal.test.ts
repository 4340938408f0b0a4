// A signal to `bisect` mid-step (#24 N2): the step's `run` gets it and cleans up (its lock freed),
// the known-good image goes back on the chip, the partial result is printed, and bisect exits
// 128 + the signal — never silently, never leaving the step running or the build on the chip.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { makeFlashBench, writeImage } from '../../flash/flasher/bench-fixture.ts';
import { buildTestImage } from '../../flash/image/build-image.ts';

const BIN = resolve(import.meta.dirname, '../../../bin/iommu-lab.js');

describe('cli: bisect stopped by a signal', function () {
  this.timeout(90_000);

  it('SIGTERM during a step: the step is stopped, the first build restored, the partial JSON printed, exit 143', async () => {
    const b = makeFlashBench();
    const good = buildTestImage({ layout: 'fmap', version: 'v4.18.0.1' });
    const bad = buildTestImage({ layout: 'fmap', version: 'v4.19.0.1' });
    b.setChip(good);
    // A board that never speaks: the step's run waits for the firmware banner until the signal.
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s.on('error', () => {})));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const locks = join(b.dir, 'locks');
    const { provider: _p, ...rig } = b.rig as unknown as Record<string, unknown>;
    const rigFile = join(b.dir, 'rig.json');
    writeFileSync(
      rigFile,
      JSON.stringify({
        ...rig,
        power: { kind: 'command', on: ['true'], off: ['true'], minOffMs: 0 },
        console: { kind: 'tcp', host: '127.0.0.1', port: (silent.address() as AddressInfo).port, protocol: 'raw' },
        boot: { ...(rig.boot as object), retries: 0, timeoutsMs: { firmware: 60_000 }, silenceMs: 60_000 },
        lock: { kind: 'local', dir: locks },
      }),
    );
    const builds = [writeImage(b, 'good.rom', good), writeImage(b, 'mid.rom', bad), writeImage(b, 'bad.rom', bad)];
    const child = spawn(
      process.execPath,
      [BIN, 'bisect', '--json', '--rig', rigFile, '--report-dir', join(b.dir, 'r'), ...builds],
      {
        env: { ...process.env, CI: 'true', IOMMU_LAB_CACHE: b.cacheRoot },
      },
    );
    try {
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      // The step is flashed and waiting for the banner (its console connected) when the signal comes.
      const t0 = Date.now();
      while (!sockets.length || b.chip().equals(good)) {
        assert.ok(Date.now() - t0 < 60_000, `no step flashed its build and reached the console:\n${err}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // Past its verify: the run now waits for the banner.
      await new Promise((r) => setTimeout(r, 3_000));
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
      silent.close();
      for (const s of sockets) s.destroy();
      assert.equal(code, 143, err);
      const partial = JSON.parse(out);
      assert.equal(partial.interrupted, 'SIGTERM');
      assert.equal(partial.restored, true);
      assert.ok(b.chip().equals(good), 'the first (known-good) build is back on the chip');
      // The step's run cleaned up: no lock left behind.
      assert.deepEqual(existsSync(locks) ? readdirSync(locks).filter((f) => f.endsWith('.lock')) : [], []);
    } finally {
      child.kill('SIGKILL');
      silent.close();
      for (const s of sockets) s.destroy();
      b.cleanup();
    }
  });
});
