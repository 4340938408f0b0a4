// However the run ends — normal end, Ctrl-C, SIGTERM from a cancelled CI job, a crash —
// the registered cleanup runs once: board powered off, lock released, transcript flushed.
import { RigError, rigErrorLine } from '../core/errors.ts';
import { EXIT, exitCodeForSignal } from '../core/exit-code.ts';
import { progress } from '../core/progress.ts';

/** Gets why the process is going down: 'SIGTERM', 'SIGINT', 'SIGHUP' or 'crash'. */
type Cleanup = (why: string) => Promise<unknown>;
const cleanups = new Set<Cleanup>();
let installed = false;
let exiting = false;

export function onShutdown(fn: Cleanup): () => void {
  install();
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

export async function runShutdown(why = 'shutdown'): Promise<void> {
  const fns = [...cleanups].reverse();
  cleanups.clear();
  for (const fn of fns) await fn(why).catch(() => {});
}

function install(): void {
  if (installed) return;
  installed = true;
  const die = (code: number, why: string, signal: string) => {
    if (exiting) return;
    exiting = true;
    if (signal === 'crash') progress.emit('warn', `${why}: cleaning up the bench before exiting`);
    // A signal is the user's (or the CI job's) doing: one line naming it, as every error gets.
    else
      console.error(
        `iommu-lab: ${rigErrorLine(new RigError(`${why}: cleaning up the bench (board off, lock released) before exiting`, { code: 'INTERRUPTED', part: 'session' }))}`,
      );
    // A second signal while cleaning up must not kill the cleanup; a hard cap bounds it.
    const cap = setTimeout(() => process.exit(code), 90_000);
    cap.unref();
    runShutdown(signal).finally(() => process.exit(code));
  };
  process.on('SIGINT', () => die(exitCodeForSignal('SIGINT'), 'interrupted (SIGINT)', 'SIGINT'));
  process.on('SIGTERM', () => die(exitCodeForSignal('SIGTERM'), 'terminated (SIGTERM)', 'SIGTERM'));
  process.on('SIGHUP', () => die(exitCodeForSignal('SIGHUP'), 'hang-up (SIGHUP)', 'SIGHUP'));
  process.on('uncaughtException', (e) => {
    console.error(`iommu-lab: crashed: ${e.stack ?? e}`);
    die(EXIT.lab, 'crash', 'crash');
  });
  process.on('unhandledRejection', (e) => {
    console.error(`iommu-lab: crashed (unhandled rejection): ${(e as Error)?.stack ?? e}`);
    die(EXIT.lab, 'crash', 'crash');
  });
}
