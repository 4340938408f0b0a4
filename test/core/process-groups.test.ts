// A child that exec() put in its own process group still goes when we go: a signal we die of is
// passed on to it, and what survives it is killed when we exit.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { liveInGroup } from '../helpers/processes.ts';

const EXEC = resolve(import.meta.dirname, '../../lib/core/exec.ts');

/** A node process that runs `script` through exec() and writes the child's group id to `pidFile`. */
function runner(script: string, pidFile: string, ownSigterm: boolean): ChildProcess {
  const code = `
const { exec } = await import(${JSON.stringify(EXEC)});
${ownSigterm ? 'process.on("SIGTERM", () => process.exit(3));' : ''}
await exec(['sh', '-c', ${JSON.stringify(script)}, ${JSON.stringify(pidFile)}]);`;
  return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: 'ignore' });
}

async function groupOf(pidFile: string): Promise<number> {
  for (let i = 0; i < 200 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 100)); // the file is written, the sleep started
  return Number(readFileSync(pidFile, 'utf8'));
}

const ended = (c: ChildProcess) =>
  new Promise<[number | null, NodeJS.Signals | null]>((r) => c.on('exit', (code, sig) => r([code, sig])));

/** The group's processes still alive after up to 10 s (a loaded machine reaps slowly: 1 s failed once beside a twin soak). */
async function survivors(pgid: number): Promise<number[]> {
  for (let i = 0; i < 200 && liveInGroup(pgid).length; i++) await new Promise((r) => setTimeout(r, 50));
  return liveInGroup(pgid);
}

describe('core/process-groups', function () {
  this.timeout(20_000);
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'iommu-lab-groups-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('passes a Ctrl-C on to the group, then dies of it as Node would', async () => {
    const pidFile = join(dir, 'pid');
    const c = runner('echo $$ > "$0"; sleep 30', pidFile, false);
    const pgid = await groupOf(pidFile);
    assert.ok(liveInGroup(pgid).length > 0, 'the group runs');
    c.kill('SIGINT');
    assert.deepEqual(await ended(c), [null, 'SIGINT']);
    assert.deepEqual(await survivors(pgid), []);
  });

  it('kills what ignores the signal when the process exits (its own handler exits)', async () => {
    const pidFile = join(dir, 'pid');
    const c = runner('trap "" TERM; echo $$ > "$0"; sleep 30', pidFile, true);
    const pgid = await groupOf(pidFile);
    c.kill('SIGTERM');
    assert.deepEqual(await ended(c), [3, null]);
    assert.deepEqual(await survivors(pgid), []);
  });
});
