// What suites need beyond mocha: boot to a state (skipping with the cause when the bench is
// already known broken) and skips that keep their reason for the report.
import type { BootState } from '../boot/states.ts';
import { recordSkipReason } from '../report/skip-reasons.ts';
import type { Run } from './run.ts';

export function skipBecause(ctx: Mocha.Context, reason: string): never {
  recordSkipReason(ctx.test, reason);
  ctx.skip();
}

/** Boots (or reuses the run's boot); after an earlier failure the suite is skipped with that cause. */
export async function bootTo(ctx: Mocha.Context, run: Run, state: BootState): Promise<void> {
  ctx.timeout(0);
  const boot = run.boot;
  const earlier = boot.brokenBy ?? boot.failedBy;
  if (earlier) skipBecause(ctx, `skipped: ${earlier.message.split('\n')[0]}`);
  await boot.to(state);
}
