// The mocha root hooks of one run: open the run's bench once before the first suite and always
// close it after the last one. Made for a given Run (a closure), never found through a global.
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
      for (const f of await run.close()) progress.emit('warn', f);
      // After the close: the transcript then holds the board's last words, power-off included.
      await attachGlobalFile('console transcript', run.opts.runDir.transcript).catch(() => {});
    },
  };
}
