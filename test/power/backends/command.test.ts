import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRigError } from '../../../lib/core/errors.ts';
import { openPower } from '../../../lib/power/open.ts';
import { alive } from '../../helpers/processes.ts';

describe('power/command', () => {
  let dir = '';
  let stateFile = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'power-cmd-'));
    stateFile = join(dir, 'state');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // A "PDU" that keeps its relay state in a file, the way a lab script would.
  const cfg = () => ({
    kind: 'command' as const,
    on: ['sh', '-c', 'echo on > "$1"', 'pdu', stateFile],
    off: ['sh', '-c', 'echo off > "$1"', 'pdu', stateFile],
    state: ['cat', stateFile],
    minOffMs: 100,
    timeoutMs: 5000,
  });

  it('runs the on/off programs and reads the state program', async () => {
    const p = await openPower(cfg());
    assert.match(p.description, /^power command /);
    await p.on();
    assert.equal(readFileSync(stateFile, 'utf8'), 'on\n');
    assert.equal(await p.state(), 'on');
    await p.off();
    assert.equal(await p.state(), 'off');
    await p.cycle();
    assert.equal(await p.state(), 'on');
  });

  it('passes rig values as single arguments, never through a shell', async () => {
    const marker = join(dir, 'pwned');
    const p = await openPower({
      ...cfg(),
      on: ['sh', '-c', 'printf %s "$1" > "$2"', 'pdu', `x; touch ${marker}`, stateFile],
      state: undefined,
    });
    await p.on();
    assert.equal(readFileSync(stateFile, 'utf8'), `x; touch ${marker}`);
    assert.equal(existsSync(marker), false);
  });

  it('says unknown without a state program', async () => {
    assert.equal(await (await openPower({ ...cfg(), state: undefined })).state(), 'unknown');
  });

  it('turns a failing program into a RigError with its exit code and stderr', async () => {
    const p = await openPower({ ...cfg(), off: ['sh', '-c', 'echo "outlet 4: no such outlet" >&2; exit 3'] });
    const e = await p.off().catch((x: unknown) => x);
    assert.ok(isRigError(e));
    assert.equal(e.code, 'POWER_COMMAND');
    assert.equal(e.phase, 'off');
    assert.match(e.message, /`sh -c .*` exited 3\noutlet 4: no such outlet$/);
  });

  it('reports a program that is not installed', async () => {
    const e = await (await openPower({ ...cfg(), on: ['/nonexistent/pdu-ctl', 'on'] })).on().catch((x: unknown) => x);
    assert.ok(isRigError(e));
    assert.equal(e.code, 'POWER_COMMAND');
    assert.match(e.message, /cannot start `\/nonexistent\/pdu-ctl on`: ENOENT \(not installed/);
  });

  it('kills a program that hangs after the timeout', async () => {
    const p = await openPower({ ...cfg(), on: ['sleep', '30'], timeoutMs: 200 });
    const t0 = performance.now();
    const e = await p.on().catch((x: unknown) => x);
    assert.ok(isRigError(e));
    assert.equal(e.code, 'POWER_TIMEOUT');
    assert.ok(performance.now() - t0 < 5000);
  });

  it('calls state output other than on/off a bad reply', async () => {
    const p = await openPower({ ...cfg(), state: ['echo', 'maybe'] });
    await assert.rejects(p.state(), (e: unknown) => isRigError(e) && /printed "maybe\\n"/.test(e.message));
  });

  it('gives the programs a cleaned environment: no secrets, only the safe set and what the rig names', async () => {
    const envFile = join(dir, 'env');
    process.env.TEST_DOM0_PASSWORD = 'dom0-secret-value';
    process.env.TEST_PDU_OUTLET = '4';
    try {
      const p = await openPower({
        ...cfg(),
        on: ['sh', '-c', 'env > "$1"', 'pdu', envFile],
        state: undefined,
        env: ['TEST_PDU_OUTLET'],
      });
      await p.on();
    } finally {
      delete process.env.TEST_DOM0_PASSWORD;
      delete process.env.TEST_PDU_OUTLET;
    }
    const names = readFileSync(envFile, 'utf8')
      .split('\n')
      .map((l) => l.split('=')[0])
      .filter((n) => n && n !== 'PWD' && n !== 'SHLVL' && n !== '_');
    assert.ok(names.includes('PATH'), names.join(' '));
    assert.ok(names.includes('TEST_PDU_OUTLET'));
    assert.ok(!names.includes('TEST_DOM0_PASSWORD'));
    assert.deepEqual(
      names.filter(
        (n) => !/^(PATH|HOME|USER|LOGNAME|SHELL|LANG|LANGUAGE|TZ|TERM|TMPDIR|LC_\w+|TEST_PDU_OUTLET)$/.test(n),
      ),
      [],
    );
  });

  it('close() kills a program still running, with what it started (its process group)', async () => {
    const pidFile = join(dir, 'pid');
    const p = await openPower({
      ...cfg(),
      on: ['sh', '-c', 'sleep 60 & echo $! > "$1"; wait', 'pdu', pidFile],
      timeoutMs: 60_000,
    });
    const on = p.on().catch((x: unknown) => x);
    for (let i = 0; i < 100 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 20));
    const sleeper = Number(readFileSync(pidFile, 'utf8'));
    await p.close!();
    const e = await on;
    assert.ok(isRigError(e));
    assert.match(e.message, /was stopped/);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(alive(sleeper), false, 'the program the script started still runs');
  });
});
