import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchBroken, BootFailure, isBootFailure } from '../../lib/boot/errors.ts';
import { BootStrategy } from '../../lib/boot/strategy.ts';
import { isRigError } from '../../lib/core/errors.ts';
import { sleep } from '../../lib/core/time.ts';
import { runDirPaths } from '../../lib/report/run-dir-layout.ts';
import { validateRig } from '../../lib/rig/load.ts';
import { powerOffAtEnd } from '../../lib/session/end-power.ts';
import { Session } from '../../lib/session/session.ts';
import { ScriptedBoard } from '../helpers/scripted-board.ts';
import { tempDir } from '../helpers/temp-dir.ts';

describe('boot/strategy on a scripted board', function () {
  this.timeout(30_000);
  let board: ScriptedBoard;
  let session: Session;

  let dir: string;

  // The scripted board writes a line every ~20 ms: 2 s of silence is a hang, and the hang tests
  // each wait it out once per attempt.
  async function open(retries: number, silenceMs = 2000, edit: (raw: Record<string, unknown>) => void = () => {}) {
    dir = tempDir('strategy-');
    const raw = board.rig(dir, { power: { minOffMs: 100, timeoutMs: undefined }, boot: { retries, silenceMs } });
    edit(raw);
    session = await Session.open(validateRig(raw, 'scripted.json'), {
      open: ['power', 'console'],
      transcriptPath: runDirPaths(dir).transcript,
    });
    powerOffAtEnd(session);
    return new BootStrategy(session);
  }

  beforeEach(async () => {
    board = new ScriptedBoard();
    await board.start();
  });

  afterEach(async () => {
    await session?.close();
    await board.stop();
  });

  it('walks off → firmware → ipxe → xen → dom0 with one power-on, and reuses that boot', async () => {
    const s = await open(0);
    await s.to('dom0');
    assert.equal(s.state, 'dom0');
    assert.deepEqual(
      s.record.timings.map((t) => t.stage),
      ['firmware', 'ipxe', 'xen', 'dom0'],
    );
    assert.match(s.record.firmwareLog, /BIOS version v4\.19\.0\.1[\s\S]*N for PXE boot[\s\S]*iPXE/);
    assert.match(s.record.xenLog, /Xen version 4\.17\.7[\s\S]*IOMMU 0 Enabled/);
    await s.to('dom0');
    assert.equal(board.powerOns, 1);
  });

  it("on a console that names no version (Dasharo UEFI's prompt) dom0's SMBIOS is read once dom0 answers; on a sign-on it is not", async () => {
    const dmi = /for f in bios_vendor bios_version sys_vendor product_name/;
    const s = await open(0);
    await s.to('dom0');
    assert.equal(s.record.smbios, undefined);
    assert.ok(!board.ssh.execs.some((e) => dmi.test(e.command)), 'PC Engines names its version: no SMBIOS read');
    await session.close();
    await board.stop();
    board = new ScriptedBoard();
    // The edk2 prompt, then the scripted board's own N (it starts "iPXE" on n).
    board.firmware =
      'DEL   to enter Setup\r\nF10   to enter Boot Manager Menu\r\nENTER to boot directly\r\nN for PXE boot\r\n';
    await board.start();
    const u = await open(0);
    await u.to('dom0');
    assert.ok(
      board.ssh.execs.some((e) => dmi.test(e.command)),
      'SMBIOS read from dom0',
    );
    // dom0 here is this host: what its sysfs says is what is recorded (nothing, without DMI).
    const host = existsSync('/sys/class/dmi/id/bios_version')
      ? readFileSync('/sys/class/dmi/id/bios_version', 'utf8').trim() || null
      : undefined;
    assert.equal(u.record.smbios?.biosVersion, host ?? undefined);
  });

  it('records a hang and reaches dom0 on a retry', async () => {
    board.scripts = ['hang-after-xen', 'healthy'];
    const s = await open(1);
    await s.to('dom0');
    assert.equal(board.powerOns, 2);
    assert.equal(s.record.hangs.length, 1);
    assert.equal(s.record.hangs[0]!.attempt, 1);
  });

  it("a panic fails the boot as the board's fault, and later calls do not power it again", async () => {
    board.scripts = ['panic'];
    const s = await open(0);
    await assert.rejects(
      s.to('dom0'),
      (e) => isBootFailure(e) && e.failure === 'BOARD_PANIC' && /Panic on CPU 0/.test(e.message),
    );
    assert.equal(s.state, 'unknown');
    await assert.rejects(s.to('dom0'), BootFailure);
    assert.equal(board.powerOns, 1);
  });

  it("a hang after the firmware spoke, on every attempt, is the board's (BOOT_HANG), not the lab's", async () => {
    board.scripts = ['hang-after-xen', 'hang-after-xen'];
    const s = await open(1);
    await assert.rejects(
      s.to('dom0'),
      (e) => isBootFailure(e) && e.failure === 'BOOT_HANG' && /board hung during/.test(e.message),
    );
    assert.equal(board.powerOns, 2, 'the hang was not retried');
    assert.equal(s.record.hangs.length, 2);
    await assert.rejects(s.to('dom0'), BootFailure);
  });

  it('latches broken after an infrastructure failure: later suites are not run against it', async () => {
    board.scripts = ['silent'];
    const s = await open(0, 2000, (raw) => {
      // Nothing ever comes: the firmware stage's own deadline (5 s) is all this waits for.
      (raw.boot as { timeoutsMs: Record<string, number> }).timeoutsMs.firmware = 2000;
    });
    await assert.rejects(s.to('dom0'), (e: unknown) => isRigError(e, 'CONSOLE_SILENCE', 'CONSOLE_TIMEOUT'));
    await assert.rejects(s.to('dom0'), BenchBroken);
    assert.equal(board.powerOns, 1);
  });

  it('force() adopts a state without touching the board', async () => {
    const s = await open(0);
    s.force('dom0');
    await s.to('dom0');
    assert.equal(board.powerOns, 0);
    assert.ok(s.record.assumed);
  });

  it('after an error the next walk starts from power-off', async () => {
    board.scripts = ['panic', 'healthy'];
    const s = await open(0);
    await assert.rejects(s.to('dom0'));
    const fresh = new BootStrategy(session);
    await fresh.to('dom0');
    assert.equal(board.powerOns, 2);
    assert.equal(board.rte.seen.filter((r) => r.method === 'PATCH' && /"state":0/.test(r.body)).length >= 1, true);
  });

  it("a wrong dom0 password fails at once as the lab's problem, without power-cycling the board", async () => {
    process.env.SCRIPTED_WRONG_PASSWORD = 'not-the-password';
    const s = await open(2, 2000, (raw) => {
      raw.dom0 = board.dom0Target(1000);
      (raw.dom0 as Record<string, unknown>).password = { env: 'SCRIPTED_WRONG_PASSWORD' };
    });
    const t0 = Date.now();
    await assert.rejects(s.to('dom0'), (e: unknown) => isRigError(e, 'SSH_AUTH'));
    assert.equal(board.powerOns, 1, 'the board was power-cycled for a permanent SSH failure');
    assert.ok(Date.now() - t0 < 8000, 'waited for the dom0 deadline');
    await assert.rejects(s.to('dom0'), BenchBroken);
  });

  it("a lost lease stops the run (LOCK_LOST) and never switches off the new holder's board", async () => {
    const s = await open(0, 2000, (raw) => {
      (raw.lock as Record<string, unknown>).ttlMs = 300;
    });
    await s.to('dom0');
    assert.equal(board.rte.gpio.get(0), 1);
    // Another holder takes the lease: the lock file now names someone else.
    const lockFile = join(dir, 'locks', 'bench-3.lock');
    const other = { ...JSON.parse(readFileSync(lockFile, 'utf8')), token: 'someone-else', owner: 'ci-job-42' };
    writeFileSync(lockFile, JSON.stringify(other));
    await sleep(600);
    assert.equal(session.lost?.code, 'LOCK_LOST');
    await assert.rejects(s.to('off'), (e: unknown) => isRigError(e, 'LOCK_LOST'));
    assert.throws(() => session.power, /lost the bench's lock/);
    await session.close();
    assert.equal(board.rte.gpio.get(0), 1, "the new holder's board was switched off");
    assert.equal(JSON.parse(readFileSync(lockFile, 'utf8')).token, 'someone-else', "the new holder's lock was removed");
  });
});
