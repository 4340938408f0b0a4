// Releases a bench lock however the process ends. The session releases the lock itself in its
// ordered teardown (power off first, then unlock); these handlers cover the paths that skip it.
//   normal end       'beforeExit': async release (works for the SSH lock too)
//   process.exit()   'exit': synchronous release (the local lock file; nothing async runs there)
//   SIGINT/SIGTERM/SIGHUP: release, then if nobody else handles the signal, die of it as usual
//   uncaught error   with `ownUncaught` (the CLI): print it, release, exit 2. Without it (mocha,
//                    which reports uncaught errors itself) only the synchronous release runs, and
//                    an SSH lease lapses after its TTL because renewals stop with the process.
import { redact } from '../core/redact.ts';
import type { BenchLock } from './types.ts';

export interface ExitHandlerOptions {
  /** Bound on the release in a signal/error handler, so a dead controller cannot hang the exit. */
  timeoutMs?: number;
  ownUncaught?: boolean;
  signals?: NodeJS.Signals[];
}

type SyncReleasable = BenchLock & { releaseSync?(): void };

/** Returns a function that removes the handlers again. */
export function installExitHandlers(lock: SyncReleasable, opts: ExitHandlerOptions = {}): () => void {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const signals = opts.signals ?? ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const bounded = () =>
    Promise.race([lock.release().catch(() => {}), new Promise<void>((r) => setTimeout(r, timeoutMs).unref())]);

  const onBeforeExit = () => void bounded();
  const onExit = () => lock.releaseSync?.();
  const onMonitor = () => lock.releaseSync?.();
  const onSignal = async (sig: NodeJS.Signals) => {
    await bounded();
    if (process.listenerCount(sig) === 1) {
      uninstall();
      process.kill(process.pid, sig);
    }
  };
  const onUncaught = async (err: unknown) => {
    process.stderr.write(
      `uncaught error: ${redact(err instanceof Error ? (err.stack ?? err.message) : String(err))}\n`,
    );
    await bounded();
    process.exit(2);
  };

  process.on('beforeExit', onBeforeExit);
  process.on('exit', onExit);
  for (const s of signals) process.on(s, onSignal);
  if (opts.ownUncaught) process.on('uncaughtException', onUncaught);
  else process.on('uncaughtExceptionMonitor', onMonitor);

  function uninstall(): void {
    process.off('beforeExit', onBeforeExit);
    process.off('exit', onExit);
    for (const s of signals) process.off(s, onSignal);
    process.off('uncaughtException', onUncaught);
    process.off('uncaughtExceptionMonitor', onMonitor);
  }
  return uninstall;
}
