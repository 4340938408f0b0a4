// However a run ends — SIGTERM from a cancelled CI job, Ctrl-C — the board is powered off, the
// lock released and the console transcript kept. Real parts: an RTE HTTP server, a TCP console,
// a lock file, and a real child process that gets the signal.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { sleep } from '../../lib/core/time.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { rteServer } from '../power/http-servers.ts';
import { baseRig } from '../rig/base-rig.ts';

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('session lifecycle on signals', function () {
  this.timeout(60_000);
  let rte: ReturnType<typeof rteServer>;
  let consoleServer: Server;
  let board: Socket | undefined;
  let dir: string;
  let child: ChildProcess | undefined;

  beforeEach(async () => {
    dir = tempDir('lifecycle-');
    rte = rteServer();
    const url = await rte.start();
    consoleServer = createServer((s) => (board = s));
    await new Promise<void>((r) => consoleServer.listen(0, '127.0.0.1', r));
    const rig = structuredClone(baseRig) as Record<string, unknown> & typeof baseRig;
    Object.assign(rig, {
      power: { kind: 'rte', url, relayGpio: 0, minOffMs: 0 },
      console: { kind: 'tcp', host: '127.0.0.1', port: (consoleServer.address() as AddressInfo).port },
      lock: { kind: 'local', dir: join(dir, 'locks') },
      boot: { ...rig.boot, timeoutsMs: { firmware: 30_000 } },
    });
    delete (rig as { flasher?: unknown }).flasher;
    writeFileSync(join(dir, 'rig.json'), JSON.stringify(rig));
    mkdirSync(join(dir, 'run'));
  });

  afterEach(async () => {
    child?.kill('SIGKILL');
    board?.destroy();
    await new Promise((r) => consoleServer.close(r));
    await rte.stop();
  });

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    it(`${signal} mid-boot: power off, lock released, transcript kept, exit ${code}`, async () => {
      child = spawn(
        process.execPath,
        ['--import', 'tsx', 'test/session/lifecycle-child.ts', join(dir, 'rig.json'), join(dir, 'run')],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (out += d));
      await until(() => rte.gpio.get(0) === 1, 30_000, `power on (child output: ${out})`);
      const lockFile = join(dir, 'locks', 'bench-3.lock');
      assert.ok(existsSync(lockFile), 'lock not held while the run lives');
      await until(() => board !== undefined, 10_000, 'console connection');
      board!.write('coreboot-4.19.0.1 Tue Nov 25 PC Engines apu2\r\nSeaBIOS (version rel-1.16.3)\r\n');
      await sleep(300);
      child.kill(signal);
      const [exit] = await once(child, 'exit');
      assert.equal(exit, code, out);
      assert.equal(rte.gpio.get(0), 0, 'board left powered');
      assert.ok(!existsSync(lockFile), 'lock left behind');
      const transcript = readFileSync(join(dir, 'run', 'console.log'), 'utf8');
      assert.match(transcript, /SeaBIOS \(version rel-1\.16\.3\)/);
      const summary = JSON.parse(readFileSync(join(dir, 'run', 'summary.json'), 'utf8'));
      assert.equal(summary.interrupted, signal);
      assert.equal(summary.verdict, 'broken');
      assert.ok(existsSync(join(dir, 'run', 'junit.xml')), 'no junit.xml after the signal');
      child = undefined;
    });
  }

  it('SIGTERM while the power switch hangs on power-on: lock released, exit 143', async () => {
    rte.mode = 'hang';
    // Each hung request waits out the switch's timeout, on and off, with retries: 1 s, not the 5 s default.
    const rigFile = join(dir, 'rig.json');
    const rig = JSON.parse(readFileSync(rigFile, 'utf8'));
    writeFileSync(rigFile, JSON.stringify({ ...rig, power: { ...rig.power, timeoutMs: 1000 } }));
    child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/session/lifecycle-child.ts', join(dir, 'rig.json'), join(dir, 'run')],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const lockFile = join(dir, 'locks', 'bench-3.lock');
    await until(() => rte.seen.length > 0, 30_000, `a power request (child output: ${out})`);
    assert.ok(existsSync(lockFile), 'lock not held while the run lives');
    child.kill('SIGTERM');
    const [exit] = await once(child, 'exit');
    assert.equal(exit, 143, out);
    assert.ok(!existsSync(lockFile), 'lock left behind');
    child = undefined;
  });
});
