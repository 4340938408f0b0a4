// Renews a lease while the run lives. The timer is unref'd: a lease must never keep a finished
// process alive; a process that dies stops renewing, which is how a contender sees it is gone.
// A lease that is no longer ours — taken over, removed by hand, or not renewed for longer than
// its TTL (a contender may have taken it over by now) — is lost: `onLost` tells the owner, who
// must stop driving the bench.
import { errorMessage } from '../core/errors.ts';
import { progress } from '../core/progress.ts';
import { withoutSteps } from '../core/step.ts';

export interface Renewal {
  stop(): void;
}

export interface RenewalOptions {
  /** The lease's TTL: renewals failing for longer than this lose the lease. */
  ttlMs: number;
  onLost: (why: string) => void;
}

/** `renew` resolves false when the lease is no longer ours (taken over, removed by hand). */
export function startRenewal(
  what: string,
  intervalMs: number,
  renew: () => Promise<boolean>,
  opts?: RenewalOptions,
): Renewal {
  let busy = false;
  let stopped = false;
  let lastRenewed = Date.now();
  const lose = (why: string) => {
    stopped = true;
    clearInterval(timer);
    progress.emit('warn', `${what}: ${why}; stopped renewing it`);
    opts?.onLost(why);
  };
  const timer = setInterval(async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      if (await withoutSteps(renew)) lastRenewed = Date.now();
      else if (!stopped) lose('the lease is no longer ours (taken over or removed)');
    } catch (e) {
      // One missed renewal is harmless (the TTL spans three); a TTL's worth of them is not.
      progress.emit('warn', `${what}: could not renew the lease: ${errorMessage(e)}`);
      if (opts && !stopped && Date.now() - lastRenewed > opts.ttlMs)
        lose(`the lease was not renewed for ${Math.round((Date.now() - lastRenewed) / 1000)} s, longer than its TTL`);
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
