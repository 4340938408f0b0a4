import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { openConsole } from '../../lib/console/open.ts';
import { transcriptBody } from '../../lib/console/transcript.ts';
import { isRigError } from '../../lib/core/errors.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('console/tty', () => {
  const dir = tempDir('console-tty-');
  const board = join(dir, 'board'); // the board's side of the null-modem
  const ours = join(dir, 'ttyUSB0'); // what the rig's console.path names
  let socat: ChildProcess;
  let boardFd: number;

  before(async () => {
    socat = spawn('socat', [`pty,raw,echo=0,link=${board}`, `pty,raw,echo=0,link=${ours}`]);
    for (let i = 0; i < 50 && !(existsSync(board) && existsSync(ours)); i++) await tick(20);
    boardFd = openSync(board, 'r+');
  });
  after(() => {
    closeSync(boardFd);
    socat.kill();
  });

  const cfg = { kind: 'tty' as const, path: ours, baudRate: 115200 };

  it('reads from the moment it opens, writes slowly, records a byte-exact transcript', async () => {
    const transcriptPath = join(dir, 'console.log');
    const c = await openConsole(cfg, { transcriptPath });
    try {
      const sent = Buffer.concat([
        Buffer.from('coreboot-4.19 ✓ ', 'utf8'),
        Buffer.from([0xff, 0x00]),
        Buffer.from('\r\nboot: '),
      ]);
      for (let i = 0; i < sent.length; i += 3) writeSync(boardFd, sent.subarray(i, i + 3));
      const m = await c.expect('boot: ', { name: 'boot prompt', timeout: 3000 });
      assert.match(m.before, /^coreboot-4\.19 ✓ /);
      await c.sendSlowly('autoboot\n', { chunk: 4, delayMs: 10 });
      await tick(50);
      const buf = Buffer.alloc(64);
      assert.equal(buf.subarray(0, readSync(boardFd, buf)).toString(), 'autoboot\n');
      await c.close();
      assert.ok(transcriptBody(readFileSync(transcriptPath)).equals(sent));
      assert.match(
        readFileSync(transcriptPath, 'utf8'),
        new RegExp(`^# iommu-lab console transcript: ${ours} @115200`),
      );
    } finally {
      await c.close();
    }
  });

  it('a port held by another process is busy at open time, naming its pid', async () => {
    const holder = spawn('/usr/bin/python3', [
      '-c',
      `import os, fcntl, time\nfd = os.open(${JSON.stringify(ours)}, os.O_RDWR | os.O_NOCTTY)\nfcntl.flock(fd, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(30)`,
    ]);
    try {
      await new Promise((r) => holder.stdout?.once('data', r));
      const err = await openConsole(cfg, { transcriptPath: join(dir, 'busy.log') }).catch((e) => e);
      assert.ok(isRigError(err));
      assert.equal(err.code, 'CONSOLE_BUSY');
      assert.equal(err.message, `console ${ours}: is busy: held by pid ${holder.pid} (python3)`);
    } finally {
      // Gone before the next test opens the port: a dying holder's flock makes that one busy too.
      const gone = holder.exitCode === null ? once(holder, 'exit') : Promise.resolve();
      holder.kill();
      await gone;
    }
  });

  it('a missing device says so', async () => {
    const err = await openConsole(
      { ...cfg, path: join(dir, 'ttyUSB9') },
      { transcriptPath: join(dir, 'missing.log') },
    ).catch((e) => e);
    assert.equal(err.code, 'CONSOLE_MISSING');
  });

  it('two consoles never share one tty', async () => {
    const first = await openConsole(cfg, { transcriptPath: join(dir, 'first.log') });
    try {
      const err = await openConsole(cfg, { transcriptPath: join(dir, 'second.log') }).catch((e) => e);
      assert.equal(err.code, 'CONSOLE_BUSY');
      assert.match(err.message, /is busy: held by/);
    } finally {
      await first.close();
    }
  });
});
