// The mocha root hooks of one run: open the bench, then boot the board once to dom0 — the boot
// has its own place in the report, in the set-up of every test — and always close the bench
// after the last suite. Each hook is named for what it does ("before all: boot the board to
// dom0"). Made for a given Run (a closure), never found through a global.
import { progress } from '../core/progress.ts';
import { attachGlobalFile, enableReporting } from '../core/step.ts';
import { notRestored } from '../session/teardown.ts';
import type { Run } from './run.ts';

type Hook = (this: Mocha.Context) => Promise<void>;

/** Mocha titles a hook after its function's name: `"before all" hook: <name>`. */
function named(name: string, fn: Hook): Hook {
  Object.defineProperty(fn, 'name', { value: name });
  return fn;
}

export function rootHooksFor(run: Run) {
  const flash = run.opts.firmware ? ', flash the build' : '';
  return {
    beforeAll: [
      named(`open the bench (lock, power, console${flash})`, async function () {
        this.timeout(0);
        enableReporting(true);
        await run.open();
      }),
      named('boot the board to dom0', async function () {
        this.timeout(0);
        await run.boot.to('dom0');
      }),
    ],

    afterAll: named('close the bench (board off, lock released)', async function () {
      this.timeout(0);
      const failures = await run.close();
      for (const f of failures) progress.emit('warn', f);
      // After the close: the transcript then holds the board's last words, power-off included.
      await attachGlobalFile('console transcript', run.opts.runDir.transcript).catch(() => {});
      const broken = notRestored(failures);
      if (broken) throw broken;
    }),
  };
}
