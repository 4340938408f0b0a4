// Scoped teardown (the Playwright fixtures model): what was set up is undone in reverse
// order, each step bounded in time, and one failing step never skips the others.
import { errorMessage, RigError } from '../core/errors.ts';
import { progress } from '../core/progress.ts';

interface Entry {
  name: string;
  fn: () => Promise<void>;
  timeoutMs: number;
}

export class TeardownStack {
  private entries: Entry[] = [];
  private running: Promise<string[]> | undefined;

  push(name: string, fn: () => Promise<void>, timeoutMs = 30_000): void {
    this.entries.push({ name, fn, timeoutMs });
  }

  get size(): number {
    return this.entries.length;
  }

  /** Runs every entry once, newest first; returns the failures as messages. Safe to call twice. */
  run(): Promise<string[]> {
    this.running ??= this.runAll();
    return this.running;
  }

  private async runAll(): Promise<string[]> {
    const failures: string[] = [];
    while (this.entries.length) {
      const e = this.entries.pop()!;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          e.fn(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`timed out after ${e.timeoutMs} ms`)), e.timeoutMs);
          }),
        ]);
      } catch (err) {
        const msg = `teardown "${e.name}" failed: ${errorMessage(err)}`;
        failures.push(msg);
        progress.emit('warn', msg);
      } finally {
        clearTimeout(timer);
      }
    }
    return failures;
  }
}

/**
 * Teardown failures as the one error they amount to: a board left powered or a lock left held is
 * the lab's failure, and must end the run or command as broken (exit 2). None when all went well.
 */
export function notRestored(failures: readonly string[]): RigError | undefined {
  if (!failures.length) return undefined;
  return new RigError(`the bench was not restored: ${failures.join('; ')}`, {
    code: 'BENCH_NOT_RESTORED',
    part: 'session',
  });
}
