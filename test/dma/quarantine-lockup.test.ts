// A board lost while the quarantined NIC's DMA faults (Xen docs: some hosts lock up so) is
// "inconclusive: host locked up in quarantine" (QUARANTINE_LOCKUP): broken, exit 2 — never a pass,
// never a board hang (BOOT_HANG/BOARD_PANIC) and never a broken probe when the host is gone.
import assert from 'node:assert/strict';
import { BootFailure } from '../../lib/boot/errors.ts';
import { codeInfo } from '../../lib/core/error-codes.ts';
import { isRigError, RigError } from '../../lib/core/errors.ts';
import { exitCodeOf, verdictOf } from '../../lib/core/exit-code.ts';
import type { CommandResult } from '../../lib/core/result.ts';
import { hostGone, judgeQuarantineStep } from '../../lib/dma/quarantine-lockup.ts';
import type { IsolationVerdict } from '../../lib/dma/verdict.ts';
import type { RemoteShell } from '../../lib/remote/types.ts';

const BDF = '0000:02:00.0';
const FAST = { answer: 50, reconnect: 50 };
const dropped = () =>
  new RigError('dom0: the connection closed while running `dma-probe`', { code: 'SSH_DROPPED', part: 'remote' });
const probeBroken = (e: unknown) =>
  new RigError(`DMA_PROBE_BROKEN: ${BDF}: ${(e as Error).message}`, {
    code: 'DMA_PROBE_FAILED',
    part: 'guest',
    cause: e,
  });

/** dom0 as the step leaves it: answering, gone, or dead with a panic on its console. */
function dom0(state: 'alive' | 'gone' | 'panicked' | 'dropped-then-back'): RemoteShell & { calls: string[] } {
  const calls: string[] = [];
  let connected = state !== 'dropped-then-back';
  const ok = (): CommandResult => ({ stdout: '', stderr: '', exitCode: 0, timedOut: false }) as CommandResult;
  const dead = () =>
    state === 'panicked'
      ? new BootFailure(
          'the board died under a suite: (XEN) Panic on CPU 0: FATAL PAGE FAULT',
          'dom0',
          '',
          'BOARD_PANIC',
        )
      : dropped();
  return {
    calls,
    description: 'dom0 (test)',
    run: async (cmd) => {
      calls.push(`run ${cmd}`);
      if (state === 'alive' || (state === 'dropped-then-back' && connected)) return ok();
      throw dead();
    },
    check: async () => ok(),
    upload: async () => {},
    download: async () => {},
    reconnect: async () => {
      calls.push('reconnect');
      if (state === 'dropped-then-back') connected = true;
      else if (state !== 'alive') throw dead();
    },
    close: async () => {},
  };
}

const verdict = (outcome: IsolationVerdict['outcome']): IsolationVerdict => ({
  outcome,
  summary: outcome === 'broken' ? 'DMA_PROBE_BROKEN: the target probe printed no report' : `${outcome}`,
  finding: null,
  evidence: [],
  warnings: [],
  faults: [],
  readBack: 'nothing',
});

let lockups = 0;
/** The step as the suite runs it, counting onLockup calls. */
const step = (d: RemoteShell, work: () => Promise<IsolationVerdict>) =>
  judgeQuarantineStep({ bdf: BDF, dom0: d, work, broken: probeBroken, onLockup: () => lockups++, ms: FAST });

function assertLockup(e: unknown): true {
  assert.equal(lockups, 1, 'onLockup called once (the boot strategy forgets the board)');
  lockups = 0;
  assert.ok(isRigError(e, 'QUARANTINE_LOCKUP'), `not QUARANTINE_LOCKUP: ${(e as Error).message}`);
  assert.match(e.message, /^inconclusive: host locked up in quarantine: /);
  assert.match(e.message, new RegExp(BDF));
  assert.equal(verdictOf(e), 'broken', 'never a pass, never the board failing');
  assert.equal(exitCodeOf(e), 2);
  assert.ok(!isRigError(e, 'BOOT_HANG', 'BOARD_PANIC', 'DMA_PROBE_FAILED'));
  return true;
}

describe('dma/quarantine-lockup', () => {
  beforeEach(() => {
    lockups = 0;
  });
  afterEach(() => {
    assert.equal(lockups, 0, 'onLockup called without a lockup');
  });

  it('is its own code, broken (exit 2), naming Xen and the way to judge the quarantine anyway', () => {
    const info = codeInfo('QUARANTINE_LOCKUP')!;
    assert.equal(info.owner, 'lab');
    assert.equal(info.part, 'xen');
    assert.match(info.summary, /^inconclusive: host locked up in quarantine/);
    assert.match(info.summary, /not a lab fault/);
    assert.match(info.remedy ?? '', /quarantine=scratch-page/);
  });

  it('a step that loses dom0 (SSH dropped, no answer after a reconnect) is the lockup', async () => {
    const d = dom0('gone');
    await assert.rejects(
      step(d, async () => Promise.reject(dropped())),
      (e) => assertLockup(e) && /connection closed/.test((e as Error).message),
    );
    assert.deepEqual(d.calls, ['run true', 'reconnect']);
  });

  it('a panic on the console during the step is the lockup too, with the panic line — not BOARD_PANIC', async () => {
    await assert.rejects(
      step(dom0('panicked'), async () => Promise.reject(dropped())),
      (e) => assertLockup(e) && /its console shows: .*Panic on CPU 0/.test((e as Error).message),
    );
  });

  it('a broken verdict (the probe timed out, printed nothing) with dom0 gone is the lockup', async () => {
    await assert.rejects(
      step(dom0('gone'), async () => verdict('broken')),
      (e) => assertLockup(e) && /the probe had said: DMA_PROBE_BROKEN/.test((e as Error).message),
    );
  });

  it('with dom0 alive a failure stays what it was: a broken probe (DMA_PROBE_FAILED), not a lockup', async () => {
    await assert.rejects(
      step(dom0('alive'), async () => Promise.reject(dropped())),
      (e) => isRigError(e, 'DMA_PROBE_FAILED'),
    );
    const v = await step(dom0('alive'), async () => verdict('broken'));
    assert.equal(v.outcome, 'broken');
  });

  it('a dropped SSH connection on a host that takes a new one is not a lockup', async () => {
    const d = dom0('dropped-then-back');
    assert.equal(await hostGone(d, FAST), null);
    assert.deepEqual(d.calls, ['run true', 'reconnect', 'run true']);
  });

  it('keeps a leak proved before the board was lost, and asks nothing after an isolated verdict', async () => {
    const gone = dom0('gone');
    assert.equal((await step(gone, async () => verdict('leaky'))).outcome, 'leaky');
    assert.equal((await step(gone, async () => verdict('isolated'))).outcome, 'isolated');
    assert.deepEqual(gone.calls, [], 'dom0 not even asked');
  });
});
