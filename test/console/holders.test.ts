import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeHolders, findHolders, findOpeners } from '../../lib/console/holders.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/** A real process that opens `file`, and flocks it when asked. */
async function hold(file: string, lock: boolean) {
  const code = `import fcntl, time\nf = open(${JSON.stringify(file)})\n${lock ? 'fcntl.flock(f, fcntl.LOCK_EX)\n' : ''}print(1, flush=True)\ntime.sleep(30)`;
  const child = spawn('/usr/bin/python3', ['-c', code]);
  await new Promise((r) => child.stdout.once('data', r));
  return child;
}

const stop = (child: ChildProcess) =>
  new Promise((r) => {
    child.once('exit', r);
    child.kill();
  });

describe('console/holders', () => {
  const file = join(tempDir('holders-'), 'dev');
  writeFileSync(file, '');

  it('names the owner of the lock rather than every process that has the device open', async () => {
    const opener = await hold(file, false);
    const locker = await hold(file, true);
    try {
      assert.deepEqual(await findHolders(file), [{ pid: locker.pid, name: 'python3' }]);
      assert.deepEqual((await findOpeners(file)).map((h) => h.pid).sort(), [opener.pid, locker.pid].sort());
    } finally {
      await stop(opener);
      await stop(locker);
    }
  });

  it('without a lock, lists the processes that have it open', async () => {
    const opener = await hold(file, false);
    try {
      const holders = await findHolders(file);
      assert.equal(describeHolders(holders), `held by pid ${opener.pid} (python3)`);
    } finally {
      await stop(opener);
    }
    assert.deepEqual(await findHolders(join(file, 'missing')), []);
  });
});
