// Renews a lease while the run lives. The timer is unref'd: a lease must never keep a finished
// process alive; a process that dies stops renewing, which is how a contender sees it is gone.
import { errorMessage } from '../core/errors.ts';
import { progress } from '../core/progress.ts';
import { withoutSteps } from '../core/step.ts';

export interface Renewal {
  stop(): void;
}

/** `renew` resolves false when the lease is no longer ours (taken over, removed by hand). */
export function startRenewal(what: string, intervalMs: number, renew: () => Promise<boolean>): Renewal {
  let busy = false;
  let stopped = false;
  const timer = setInterval(async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      if (!(await withoutSteps(renew)) && !stopped) {
        stopped = true;
        clearInterval(timer);
        progress.emit('warn', `${what}: the lease is no longer ours (taken over or removed); stopped renewing it`);
      }
    } catch (e) {
      // One missed renewal is harmless (the TTL spans three); keep trying.
      progress.emit('warn', `${what}: could not renew the lease: ${errorMessage(e)}`);
    } finally {
      busy = false;
    }
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
