// `iommu-lab bisect --rig R GOOD … BAD`: the first bad build of an ordered series in ⌈log2 n⌉
// runs. The known-good image goes back on the chip at the end and the bench's health is checked.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { sessionFlasher } from '../../../flash/flasher/part.ts';
import { knownGoodPath } from '../../../flash/supply/known-good.ts';
import { parseBuild } from '../../bisect/build-list.ts';
import { bisect } from '../../bisect/search.ts';
import { type BuildTest, testBuild } from '../../bisect/test-build.ts';
import { UsageError } from '../../core/errors.ts';
import { EXIT } from '../../core/exit-code.ts';
import { progress } from '../../core/progress.ts';
import { redactWrites } from '../../core/redact.ts';
import { selectSuites } from '../../mocha/suites.ts';
import { loadRigWithInput } from '../../rig/load.ts';
import { resolveRigSecrets } from '../../rig/rig-secrets.ts';
import { checkHealth } from '../../run/health-check.ts';
import { onShutdown } from '../../session/shutdown.ts';
import { rigOption } from '../kit/rig-option.ts';
import { withSession } from '../kit/with-session.ts';

interface Flags {
  rig: string;
  suite?: string[];
  json?: boolean;
  reportDir?: string;
}

export function register(program: Command): void {
  program
    .command('bisect')
    .description('find the first bad build of an ordered series (first known good, last known bad)')
    .argument('<builds...>', 'paths or URLs in order, each optionally with #sha256=<hex>')
    .addOption(rigOption())
    .option('--suite <name...>', 'suites that decide good or bad (default iommu-detection)')
    .option('--report-dir <dir>', 'where each step keeps its report')
    .option('--json', 'print {firstBad, lastGood, tested} as JSON')
    .action(async (args: string[], f: Flags) => {
      // Everything bisect prints (its JSON, each step's line, the child runs' stderr it passes
      // on) names the builds: their URLs' credentials are masked on the way out (#24 N4).
      redactWrites(process.stdout);
      redactWrites(process.stderr);
      const builds = args.map(parseBuild);
      if (builds.length < 2) throw new UsageError('bisect: give at least two builds (first good … last bad)');
      // The resolved file, not the name: a rig file outside rigs/ (or one sharing a name with a
      // rig there) must drive this bench in every step, as the final restore does.
      const { rig, file: rigFile } = await loadRigWithInput(f.rig);
      await resolveRigSecrets(rig);
      const suites = f.suite ?? ['iommu-detection'];
      await selectSuites(suites);
      const root = resolve(f.reportDir ?? join('reports', `bisect-${new Date().toISOString().replace(/[:.]/g, '-')}`));
      mkdirSync(root, { recursive: true });
      const tests: BuildTest[] = [];
      const tested = () => tests.map(({ build, verdict, exitCode, report }) => ({ build, verdict, exitCode, report }));
      // Leave the bench as a bench should be: the known-good image on the chip, and healthy.
      // Without a kept known-good image, the series' first build (known good by definition) goes back.
      const restore = async () => {
        if (!rig.flasher) return;
        await withSession(rig, { open: ['power'] }, async (s) => {
          const flasher = await sessionFlasher(s);
          if (existsSync(knownGoodPath(rig.name))) await flasher.restoreKnownGood();
          else await flasher.flash(builds[0]!.source, { sha256: builds[0]!.sha256, settings: {} });
        });
      };
      // A signal (Ctrl-C, a cancelled CI job) reaches the step's run too, which powers the board
      // off and frees the lock; then the known-good image goes back and the partial result is
      // printed, before the process exits 130/143 (#24 N2).
      let step: ChildProcess | undefined;
      let stopping = false;
      // Once stopping, the search goes no further: the shutdown owns the bench and exits.
      const halt = () => new Promise<never>(() => {});
      onShutdown(async (why) => {
        stopping = true;
        if (step && step.exitCode === null && step.signalCode === null) {
          const exited = once(step, 'exit');
          if (why.startsWith('SIG')) step.kill(why as NodeJS.Signals);
          await exited;
        }
        let restored = false;
        await restore().then(
          () => (restored = true),
          (e) =>
            console.error(`iommu-lab: bisect: the known-good image could not be restored: ${(e as Error).message}`),
        );
        const partial = { interrupted: why, restored, tested: tested() };
        if (f.json) console.log(JSON.stringify(partial, null, 2));
        else
          console.error(
            `iommu-lab: bisect stopped by ${why} after ${tests.length} build(s); known-good image ${restored ? 'restored' : 'NOT restored: the bench needs a human'}`,
          );
      });
      const outcome = await bisect(builds.length, async (i) => {
        progress.emit('stage', `bisect ${tests.length + 1}: ${builds[i]!.label}`);
        if (stopping) return halt();
        const t = await testBuild(
          rigFile,
          builds[i]!,
          suites,
          root,
          tests.length + 1,
          (c) => {
            step = c;
          },
          () => stopping,
        );
        if (stopping) return halt();
        tests.push(t);
        console.error(`iommu-lab: bisect: ${t.build}: ${t.verdict} (exit ${t.exitCode}, ${t.attempts} run(s))`);
        return t.verdict;
      });
      if (stopping) return halt();
      await restore();
      const health = await checkHealth(rig, join(root, 'health-console.log'));
      const result = {
        firstBad: outcome.firstBad === undefined ? null : builds[outcome.firstBad]!.label,
        lastGood: outcome.lastGood === undefined ? null : builds[outcome.lastGood]!.label,
        candidates: outcome.candidates.map((i) => builds[i]!.label),
        tested: tested(),
        health: health.state,
      };
      if (f.json) console.log(JSON.stringify(result, null, 2));
      else {
        console.log(
          result.firstBad
            ? `first bad build: ${result.firstBad} (last good: ${result.lastGood})`
            : `first bad build not found: untestable builds leave ${result.candidates.join(', ')}`,
        );
        console.log(
          `${tests.length} build(s) tested; bench health after restoring the known-good image: ${health.state}`,
        );
      }
      process.exitCode = health.state === 'good' && result.firstBad ? EXIT.ok : EXIT.lab;
    });
}
