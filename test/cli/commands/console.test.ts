// `iommu-lab console` as an engineer uses it: a real TCP console, a real CLI process.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '../../../lib/core/time.ts';
import { baseRig } from '../../rig/base-rig.ts';

describe('cli: console', function () {
  this.timeout(60_000);

  it('relays both ways, keeps a transcript, and quits on Ctrl-]', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-cli-'));
    let board: Socket | undefined;
    const received: Buffer[] = [];
    const server = createServer((s) => {
      board = s;
      s.on('data', (d) => received.push(d));
    });
    const typed = () => Buffer.concat(received);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const rig = {
      ...structuredClone(baseRig),
      console: { kind: 'tcp', host: '127.0.0.1', port: (server.address() as AddressInfo).port },
      lock: { kind: 'local', dir },
    };
    delete (rig as { flasher?: unknown }).flasher;
    writeFileSync(join(dir, 'rig.json'), JSON.stringify(rig));
    const transcript = join(dir, 'console.log');
    const cli = spawn(
      process.execPath,
      ['bin/iommu-lab.js', 'console', '--rig', join(dir, 'rig.json'), '--transcript', transcript],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let out = '';
    cli.stdout.on('data', (d) => (out += d));
    cli.stderr.on('data', (d) => (out += d));
    // The CLI's start-up takes seconds on a loaded machine: wait for its connection, or its end.
    const connected = once(server, 'connection');
    const ended = once(cli, 'exit').then(([code]) => assert.fail(`exit ${code} before connecting: ${out}`));
    await Promise.race([connected, ended]);
    ended.catch(() => {});
    assert.ok(board, `no connection: ${out}`);
    board.write('SeaBIOS (version rel-1.16.3)\r\n');
    // Keystrokes as a terminal sends them: UTF-8 "é" (c3 a9), and a byte that is no UTF-8 at all.
    const keys = Buffer.concat([Buffer.from('xl info café\n'), Buffer.from([0xff, 0x0a])]);
    cli.stdin.write(keys);
    for (let i = 0; i < 100 && !(typed().length >= keys.length && out.includes('SeaBIOS')); i++) await sleep(50);
    cli.stdin.write('\x1d');
    const [code] = await once(cli, 'exit');
    server.close();
    try {
      assert.equal(code, 0, out);
      assert.match(out, /SeaBIOS \(version rel-1\.16\.3\)/);
      assert.equal(typed().toString('hex'), keys.toString('hex'), 'bytes re-encoded on the way to the board');
      assert.match(readFileSync(transcript, 'utf8'), /SeaBIOS \(version rel-1\.16\.3\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("masks a rig's secret the board prints before any SSH connection, in the terminal and the transcript (#24 N3)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-cli-'));
    let board: Socket | undefined;
    const server = createServer((s) => {
      board = s;
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const rig = {
      ...structuredClone(baseRig),
      console: { kind: 'tcp', host: '127.0.0.1', port: (server.address() as AddressInfo).port },
      lock: { kind: 'local', dir },
      dom0: { ...baseRig.dom0, password: { env: 'N3_DOM0_PASSWORD' } },
    };
    delete (rig as { flasher?: unknown }).flasher;
    writeFileSync(join(dir, 'rig.json'), JSON.stringify(rig));
    const transcript = join(dir, 'console.log');
    const cli = spawn(
      process.execPath,
      ['bin/iommu-lab.js', 'console', '--rig', join(dir, 'rig.json'), '--transcript', transcript],
      { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, N3_DOM0_PASSWORD: 'hunter2-on-the-console' } },
    );
    let out = '';
    cli.stdout.on('data', (d) => (out += d));
    cli.stderr.on('data', (d) => (out += d));
    for (let i = 0; i < 200 && !board; i++) await sleep(50);
    assert.ok(board, `no connection: ${out}`);
    // A console autologin script echoing the password, split across two writes.
    board.write('login: root\r\nPassword: hunter2-on');
    await sleep(100);
    board.write('-the-console\r\nWelcome\r\n');
    for (let i = 0; i < 100 && !out.includes('Welcome'); i++) await sleep(50);
    cli.stdin.write('\x1d');
    const [code] = await once(cli, 'exit');
    server.close();
    try {
      assert.equal(code, 0, out);
      assert.match(out, /Password: \*\*\*\r?\nWelcome/);
      const log = readFileSync(transcript, 'utf8');
      assert.match(log, /Password: \*\*\*/);
      assert.doesNotMatch(`${out}${log}`, /hunter2/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
