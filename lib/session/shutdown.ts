// However the run ends — normal end, Ctrl-C, SIGTERM from a cancelled CI job, a crash —
// the registered cleanup runs once: board powered off, lock released, transcript flushed.
import { EXIT, exitCodeForSignal } from '../core/exit-code.ts';
import { progress } from '../core/progress.ts';

type Cleanup = () => Promise<unknown>;
const cleanups = new Set<Cleanup>();
let installed = false;
let exiting = false;

export function onShutdown(fn: Cleanup): () => void {
  install();
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

export async function runShutdown(): Promise<void> {
  const fns = [...cleanups].reverse();
  cleanups.clear();
  for (const fn of fns) await fn().catch(() => {});
}

function install(): void {
  if (installed) return;
  installed = true;
  const die = (code: number, why: string) => {
    if (exiting) return;
    exiting = true;
    progress.emit('warn', `${why}: cleaning up the bench before exiting`);
    // A second signal while cleaning up must not kill the cleanup; a hard cap bounds it.
    const cap = setTimeout(() => process.exit(code), 90_000);
    cap.unref();
    runShutdown().finally(() => process.exit(code));
  };
  process.on('SIGINT', () => die(exitCodeForSignal('SIGINT'), 'interrupted (SIGINT)'));
  process.on('SIGTERM', () => die(exitCodeForSignal('SIGTERM'), 'terminated (SIGTERM)'));
  process.on('SIGHUP', () => die(exitCodeForSignal('SIGHUP'), 'hang-up (SIGHUP)'));
  process.on('uncaughtException', (e) => {
    console.error(`iommu-lab: crashed: ${e.stack ?? e}`);
    die(EXIT.lab, 'crash');
  });
  process.on('unhandledRejection', (e) => {
    console.error(`iommu-lab: crashed (unhandled rejection): ${(e as Error)?.stack ?? e}`);
    die(EXIT.lab, 'crash');
  });
}
