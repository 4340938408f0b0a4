// The health gate on real parts: the scripted board's local lock, its record beside the lease.
import assert from 'node:assert/strict';
import { isRigError } from '../../lib/core/errors.ts';
import { progress } from '../../lib/core/progress.ts';
import { validateRig } from '../../lib/rig/load.ts';
import { gateOnHealth, markHealth } from '../../lib/session/health-gate.ts';
import { Session } from '../../lib/session/session.ts';
import { ScriptedBoard } from '../helpers/scripted-board.ts';
import { tempDir } from '../helpers/temp-dir.ts';

describe('session/health-gate: a bench marked bad is out of service', function () {
  this.timeout(20_000);
  let board: ScriptedBoard;
  let rig: ReturnType<typeof validateRig>;

  beforeEach(async () => {
    board = new ScriptedBoard();
    await board.start();
    rig = validateRig(board.rig(tempDir('health-gate-')), 'scripted.json');
  });
  afterEach(() => board.stop());

  async function markedBad(): Promise<void> {
    const s = await Session.open(rig, { open: [] });
    await markHealth(s, 'bad', 'known-good image silent');
    await s.close();
  }

  it('refuses the bench once the lock is held, naming when, who and why, and releases the lock', async () => {
    await markedBad();
    const s = new Session(rig, { open: ['power'], afterLock: () => gateOnHealth(s, 'refuse') });
    await assert.rejects(
      s.start(),
      (e) =>
        isRigError(e, 'BENCH_UNHEALTHY') &&
        /marked bad since \S+ by \S+@\S+ pid \d+: known-good image silent/.test(e.message) &&
        /iommu-lab health --rig/.test(e.message),
    );
    // Refused before any part opened, and the lock is free again: the next session gets the bench.
    const next = await Session.open(rig, { open: [] });
    await next.close();
  });

  it('with --force (warn) the bench is used and the warning says so', async () => {
    await markedBad();
    const warnings: string[] = [];
    const onWarn = (m: string) => warnings.push(m);
    progress.on('warn', onWarn);
    try {
      const s = new Session(rig, { open: [], afterLock: () => gateOnHealth(s, 'warn') });
      await s.start();
      await s.close();
    } finally {
      progress.off('warn', onWarn);
    }
    assert.ok(
      warnings.some((w) => /marked bad .* \(used anyway: --force\)/.test(w)),
      warnings.join('\n'),
    );
  });

  it('a bench marked good again passes the gate', async () => {
    await markedBad();
    const s1 = await Session.open(rig, { open: [] });
    await markHealth(s1, 'good', 'known-good image booted to dom0');
    await s1.close();
    const s = new Session(rig, { open: [], afterLock: () => gateOnHealth(s, 'refuse') });
    await s.start();
    await s.close();
  });
});
