// Who is to blame for a boot attempt that failed, in one table (labgrid's strategy latch, its
// never_retry): pure, so every outcome of the fault matrix is a row of test/boot/classify.test.ts.
import { isConsoleDeath } from '../console/death.ts';
import { isRigError } from '../core/errors.ts';
import { isHang } from './errors.ts';

export type BootVerdict =
  /** The board stopped making progress: another power cycle may get further. */
  | { kind: 'retry' }
  /** Silent firmware after this run flashed a build: the known-good image decides (flash-for-run). */
  | { kind: 'recover' }
  /** The board's: a test failure (exit 1). */
  | { kind: 'board'; code: 'BOARD_PANIC' | 'BOOT_HANG' }
  /** The bench's, the rig's or the host's: the strategy latches broken (exit 2). */
  | { kind: 'lab' }
  /** Not a bench outcome (a programming error): passed on as it is, nothing latched. */
  | { kind: 'other' };

export interface AttemptContext {
  /** The edge being walked: 'firmware' | 'ipxe' | 'xen' | 'dom0'. */
  stage: string;
  attempt: number;
  attempts: number;
  /** This run flashed a build and can restore the known-good image. */
  canRecover: boolean;
  /** The run lost its lease: it must stop driving the bench, whatever the console said. */
  lost: boolean;
}

export function classify(e: unknown, a: AttemptContext): BootVerdict {
  if (a.lost) return { kind: 'lab' };
  const hang = isHang(e);
  const death = isConsoleDeath(e);
  if ((hang || death) && a.attempt < a.attempts) return { kind: 'retry' };
  if (hang && a.stage === 'firmware' && a.canRecover) return { kind: 'recover' };
  if (death) return { kind: 'board', code: 'BOARD_PANIC' };
  // Silence after the firmware spoke (power and console proved working this very boot): the
  // board hangs. The lab's is only a silence before any sign of life.
  if (isRigError(e, 'CONSOLE_SILENCE') && a.stage !== 'firmware') return { kind: 'board', code: 'BOOT_HANG' };
  if (isRigError(e)) return { kind: 'lab' };
  return { kind: 'other' };
}
