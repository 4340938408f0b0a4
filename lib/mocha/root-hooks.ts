// The mocha root hooks of one run: open the run's bench once before the first suite and always
// close it after the last one. Made for a given Run (a closure), never found through a global.
import { RigError } from '../core/errors.ts';
import { progress } from '../core/progress.ts';
import { attachGlobalFile, enableReporting } from '../core/step.ts';
import type { Run } from '../run/run.ts';

export function rootHooksFor(run: Run) {
  return {
    async beforeAll(this: Mocha.Context) {
      this.timeout(0);
      enableReporting(true);
      await run.open();
    },

    async afterAll(this: Mocha.Context) {
      this.timeout(0);
      const failures = await run.close();
      for (const f of failures) progress.emit('warn', f);
      // After the close: the transcript then holds the board's last words, power-off included.
      await attachGlobalFile('console transcript', run.opts.runDir.transcript).catch(() => {});
      // A board left powered or a lock left held is the lab's failure: the run is broken (exit 2).
      if (failures.length)
        throw new RigError(`the bench was not restored: ${failures.join('; ')}`, {
          code: 'BENCH_NOT_RESTORED',
          part: 'session',
        });
    },
  };
}
