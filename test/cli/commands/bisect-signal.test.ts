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
import { freePort } from '../../helpers/free-port.ts';
import { makeImageSet } from '../../pxe/image-set.ts';

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
        boot: {
          ...(rig.boot as object),
          // Its own image set: the twin's (.cache/twin/images) may not be built yet (a fresh clone).
          server: {
            ...(rig.boot as { server: object }).server,
            listen: { host: '127.0.0.1', port: await freePort() },
            root: makeImageSet().root,
            files: { xen: 'xen', dom0Kernel: 'vmlinuz', dom0Initrd: 'dom0.cpio.gz' },
          },
          retries: 0,
          timeoutsMs: { firmware: 60_000 },
          silenceMs: 60_000,
        },
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
      // The step is flashed, verified and waiting for the banner (its console connected) when the
      // signal comes: its run says so ("== firmware") on stderr.
      await new Promise<void>((res, rej) => {
        child.stderr.on('data', () => /^\[\s*\d+s\] == firmware$/m.test(err) && res());
        child.on('exit', () => rej(new Error(`bisect ended before a step waited for the firmware:\n${err}`)));
      });
      assert.ok(sockets.length > 0, 'the step connected to the console');
      assert.ok(!b.chip().equals(good), "the step's build is on the chip");
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
