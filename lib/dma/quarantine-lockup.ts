// The quarantine context deliberately makes the quarantined NIC's DMA fault (basic quarantine:
// Xen docs/misc/xen-command-line.pandoc, `iommu=quarantine`: "Since there are systems where doing
// so can cause host lockup, an alternative form is available"). So a board lost during that step
// is not a board hang and not a broken probe: it is "inconclusive: host locked up in quarantine"
// (QUARANTINE_LOCKUP, broken, exit 2 — never a pass, never the firmware's failure). The step is
// judged here: when it went wrong, dom0 is asked whether it is still there.
import { isBootFailure } from '../boot/errors.ts';
import { RigError } from '../core/errors.ts';
import type { RemoteShell } from '../remote/types.ts';
import type { IsolationVerdict } from './verdict.ts';

/** How long a live dom0 gets to answer `true`, and to take a new SSH connection. */
export const ALIVE_MS = { answer: 15_000, reconnect: 30_000 };

/** Why dom0 is gone, or null when it answers (after one reconnect if its connection had died). */
export async function hostGone(dom0: RemoteShell, ms = ALIVE_MS): Promise<string | null> {
  const answers = async () => {
    const r = await dom0.run('true', { timeoutMs: ms.answer });
    if (r.timedOut) throw new Error(`\`true\` did not return within ${ms.answer} ms`);
    return r.exitCode === 0;
  };
  try {
    if (await answers()) return null;
  } catch {
    // a dead connection: a live host takes a new one
  }
  try {
    await dom0.reconnect(ms.reconnect);
    return (await answers()) ? null : 'dom0 answers, but `true` failed';
  } catch (e) {
    // The watched dom0 shell turns a console panic into a BootFailure (lib/session/board-watch.ts).
    return isBootFailure(e) ? `its console shows: ${e.message}` : (e as Error).message.split('\n')[0]!;
  }
}

export function quarantineLockup(bdf: string, why: string, cause?: unknown): RigError {
  return new RigError(
    `inconclusive: host locked up in quarantine: the board stopped answering while ${bdf}'s DMA was made to fault in d[IO] (${why}); the quarantine's isolation is not judged`,
    { code: 'QUARANTINE_LOCKUP', cause },
  );
}

/**
 * Runs the quarantine step. A thrown error or a broken verdict with dom0 gone is the lockup;
 * with dom0 alive it is what it was (`broken(e)` for a throw). A leak proved before the board
 * was lost stays a leak; an isolated verdict needed a live dom0 to the end.
 */
export interface QuarantineStep {
  bdf: string;
  dom0: RemoteShell;
  work: () => Promise<IsolationVerdict>;
  /** What a thrown error is when dom0 is still there (the suite: DMA_PROBE_FAILED). */
  broken: (e: unknown) => Error;
  /** Called once before a lockup is thrown: the board is not where the boot left it. */
  onLockup: () => void;
  ms?: typeof ALIVE_MS;
}

export async function judgeQuarantineStep(s: QuarantineStep): Promise<IsolationVerdict> {
  const lockup = (e: RigError) => {
    s.onLockup();
    return e;
  };
  let v: IsolationVerdict;
  try {
    v = await s.work();
  } catch (e) {
    const gone = await hostGone(s.dom0, s.ms);
    throw gone ? lockup(quarantineLockup(s.bdf, gone, e)) : s.broken(e);
  }
  if (v.outcome === 'broken') {
    const gone = await hostGone(s.dom0, s.ms);
    if (gone) throw lockup(quarantineLockup(s.bdf, `${gone}; the probe had said: ${v.summary}`));
  }
  return v;
}
