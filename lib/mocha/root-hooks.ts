// Mocha root hooks: open the session once for the whole run, hand it to the suites through
// lab(), and always tear it down. Works under `iommu-lab run` and under plain `npx mocha`.

import { progress } from '../core/progress.ts';
import { attachGlobalFile, enableReporting } from '../core/step.ts';
import { DEFAULT_RIG, loadRig } from '../rig/load.ts';
import { Lab, maybeLab, type RunOptions, runOptions, setLab } from '../session/lab.ts';
import { createRunDir } from '../session/run-dir.ts';
import { Session } from '../session/session.ts';
import { onShutdown } from '../session/shutdown.ts';
import { flashForRun } from './flash-for-run.ts';

async function optionsFromEnv(): Promise<RunOptions> {
  const rig = await loadRig(process.env.IOMMU_LAB_RIG ?? DEFAULT_RIG);
  return {
    rig,
    runDir: createRunDir(rig.name, process.env.IOMMU_LAB_REPORT_DIR),
    keepOn: process.env.IOMMU_LAB_KEEP_ON === '1',
    boots: Number(process.env.IOMMU_LAB_BOOTS ?? 3),
  };
}

let removeShutdown: (() => void) | undefined;

async function closeLab(): Promise<void> {
  const l = maybeLab();
  if (!l) return;
  setLab(undefined);
  const failures = await l.session.close();
  for (const f of failures) progress.emit('warn', f);
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(0);
    enableReporting(true);
    const opts = runOptions() ?? (await optionsFromEnv());
    const session = await Session.open(opts.rig, {
      runDir: opts.runDir,
      keepOn: opts.keepOn,
      assumed: Boolean(opts.assume),
    });
    const l = new Lab(session, opts);
    setLab(l);
    removeShutdown = onShutdown(closeLab);
    if (opts.firmware) await flashForRun(l, opts.firmware);
  },

  async afterAll(this: Mocha.Context) {
    this.timeout(0);
    const l = maybeLab();
    await closeLab();
    // After the close: the transcript then holds the board's last words, power-off included.
    if (l) await attachGlobalFile('console transcript', l.opts.runDir.transcript).catch(() => {});
    removeShutdown?.();
  },
};
