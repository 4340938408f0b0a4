// One bisect step: `iommu-lab run` in a child process with the build flashed as it is (its own
// settings are what is being bisected) and the chosen suites. Exit 0 → good, 1 → bad, 2 (the
// lab) → retried once, then untestable: a lab problem never counts as a bad build.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { EXIT } from '../core/exit-code.ts';
import { PROJECT_ROOT } from '../core/paths.ts';
import type { Build } from './build-list.ts';
import type { BuildVerdict } from './search.ts';

export interface BuildTest {
  build: string;
  verdict: BuildVerdict;
  exitCode: number;
  report: string;
  attempts: number;
}

const CLI = join(PROJECT_ROOT, 'bin', 'iommu-lab.js');

function runOnce(args: string[]): Promise<number> {
  return new Promise((done) => {
    // The child's output is progress for the engineer: it goes to stderr, stdout stays for --json.
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 2, 2] });
    // A child killed by a signal gave no verdict: the lab's problem, like any exit 2.
    child.on('exit', (code) => done(code ?? 2));
    child.on('error', () => done(2));
  });
}

export async function testBuild(
  /** The rig's resolved file (never a name looked up again in rigs/). */
  rig: string,
  build: Build,
  suites: string[],
  reportRoot: string,
  step: number,
): Promise<BuildTest> {
  let exitCode: number = EXIT.lab;
  let report = '';
  let attempts = 0;
  for (attempts = 1; attempts <= 2; attempts++) {
    report = resolve(reportRoot, `step-${step}-try-${attempts}`);
    const args = ['run', '--rig', rig, '--firmware', build.source, '--keep-settings', '--report-dir', report];
    if (build.sha256) args.push('--sha256', build.sha256);
    if (suites.length) args.push('--suite', ...suites);
    exitCode = await runOnce(args);
    if (exitCode !== EXIT.lab) break; // a lab failure gets one more try
  }
  const verdict: BuildVerdict = exitCode === EXIT.ok ? 'good' : exitCode === EXIT.board ? 'bad' : 'untestable';
  return { build: build.label, verdict, exitCode, report, attempts: Math.min(attempts, 2) };
}
