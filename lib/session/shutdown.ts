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
  const crash = (e: unknown, what: string) => {
    if (exiting) return; // one report: the first failure is the cause, later ones its echoes
    const full = diskFull(e);
    if (full) console.error(`iommu-lab: ${rigErrorLine(full)}`);
    else console.error(`iommu-lab: ${what}: ${(e as Error)?.stack ?? e}`);
    die(EXIT.lab, full ? 'the disk is full' : 'crash', 'crash');
  };
  process.on('uncaughtException', (e) => crash(e, 'crashed'));
  process.on('unhandledRejection', (e) => crash(e, 'crashed (unhandled rejection)'));
}

/**
 * A write that failed for lack of space (or a read-only disk) anywhere — a library's report
 * writer included (allure-js writes from its own promises): the host's problem, not a bug of
 * iommu-lab, so one line and no stack.
 */
function diskFull(e: unknown): RigError | undefined {
  const err = e as NodeJS.ErrnoException;
  const why = { ENOSPC: 'no space left on the device', EDQUOT: 'disk quota exceeded', EROFS: 'read-only file system' }[
    err?.code ?? ''
  ];
  if (!why) return undefined;
  return new RigError(
    `cannot write ${err.path ?? 'a report file'}: ${why} (${err.code}); stopped, as the run's evidence would be lost`,
    {
      code: 'REPORT_WRITE',
      part: 'host',
    },
  );
}
