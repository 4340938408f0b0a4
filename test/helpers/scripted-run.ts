// The bench of the tests that execute whole runs: a scripted board and a temp folder of its own
// for each test of the describe block it is called in, and a Run on that board with short boot
// timeouts and no retries, its reports in <dir>/report. KEEP=1 keeps the folders.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunDir, runDirPaths } from '../../lib/report/run-dir-layout.ts';
import { validateRig } from '../../lib/rig/load.ts';
import { Run } from '../../lib/run/run.ts';
import { ScriptedBoard } from './scripted-board.ts';

export interface ScriptedBench {
  board: ScriptedBoard;
  dir: string;
}

/** Registers the beforeEach/afterEach that start and stop the board and make and remove the folder. */
export function scriptedBench(prefix: string): ScriptedBench {
  const bench = {} as ScriptedBench;
  beforeEach(async () => {
    bench.board = new ScriptedBoard();
    await bench.board.start();
    bench.dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    await bench.board.stop();
    if (!process.env.KEEP) rmSync(bench.dir, { recursive: true, force: true });
  });
  return bench;
}

export function scriptedRun(b: ScriptedBench, o: { dom0Ms?: number; runDir?: RunDir } = {}): Run {
  const raw = b.board.rig(b.dir, { boot: { retries: 0, timeoutsMs: { xen: 500, dom0: o.dom0Ms ?? 8000 } } });
  return new Run({
    rig: validateRig(raw, 'scripted.json'),
    runDir: o.runDir ?? runDirPaths(join(b.dir, 'report')),
    keepOn: false,
    boots: 1,
  });
}
