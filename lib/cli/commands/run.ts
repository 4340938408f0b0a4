import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { checkSourceArgs } from '../../../flash/supply/source.ts';
import { UsageError } from '../../core/errors.ts';
import { escapeRegExp } from '../../core/escape-regexp.ts';
import { registerUrlCredentials } from '../../core/redact.ts';
import { parseFlavourArg } from '../../firmware/flavour.ts';
import { type DeclaredTest, declaredTests } from '../../mocha/declared.ts';
import { notPassedIn, rerunSelection, writeTestPlan } from '../../mocha/rerun-plan.ts';
import { type FoundSuite, selectSuites } from '../../mocha/suites.ts';
import { runDirPaths } from '../../report/run-dir-layout.ts';
import { loadRig } from '../../rig/load.ts';
import type { Rig } from '../../rig/schema.ts';
import { executeRun } from '../../run/execute.ts';
import { parseGuestTypes } from '../../run/guest-types.ts';
import { Run, type RunOptions } from '../../run/run.ts';
import { createRunDir } from '../../run/run-dir.ts';
import { rigOption } from '../kit/rig-option.ts';
import { attachProgressUi } from '../kit/ui.ts';

interface RunFlags {
  rig: string;
  suite?: string[];
  grep?: string;
  firmware?: string;
  firmwareFile?: string;
  sha256?: string;
  keepOn?: boolean;
  reportDir?: string;
  assume?: string;
  boots: string;
  list?: boolean;
  waitLock?: string;
  keepSettings?: boolean;
  flavour?: string;
  force?: boolean;
  guests?: string[];
  twin?: boolean;
  dryRun?: boolean;
  rerunFailed?: string;
}

/** `--dry-run`: the declared tests --suite and --grep leave, read from the suites; nothing opened. */
/** A Run that only declares tests (nothing is opened through it). */
const planRun = (rig: Rig, guests: RunOptions['guests']) =>
  new Run({ rig, runDir: runDirPaths(resolve('reports', 'dry-run')), keepOn: false, boots: 1, guests });

function printPlan(
  suites: FoundSuite[],
  rig: Rig,
  grep: string | undefined,
  guests: RunOptions['guests'],
  only?: DeclaredTest[],
): void {
  const re = grep === undefined ? undefined : new RegExp(escapeRegExp(grep));
  const tests = (only ?? declaredTests(suites, planRun(rig, guests))).filter(
    (t) => !re || re.test(t.titlePath.replace(/ > /g, ' ')),
  );
  for (const t of tests) console.log(`${t.suite.padEnd(20)} ${(t.id ?? '-').padEnd(40)} ${t.title}`);
  console.log(
    `${tests.length} tests in ${new Set(tests.map((t) => t.suite)).size} suites on rig ${rig.name} (dry run: nothing opened)`,
  );
}

export function register(program: Command): void {
  program
    .command('run')
    .description('boot the board once and run the IOMMU suites against it (default: every suite on the twin)')
    .addOption(rigOption('rig name in rigs/ or a rig file'))
    .option('--suite <name...>', 'only these suites (see --list)')
    .option('--list', 'list the suites and what each proves, then exit')
    .option('--grep <pattern>', 'only tests whose title matches')
    .option(
      '--firmware <path|url|release>',
      'flash this coreboot build first; a Dasharo release is dasharo-seabios|dasharo-uefi:<version>:<board>',
    )
    .option('--firmware-file <rom>', "your copy of a Dasharo release's ROM, checked against its published .sha256")
    .option('--sha256 <hex>', 'expected SHA-256 of --firmware')
    .option('--force', 'run on a bench marked bad by its health record')
    .option(
      '--flavour <name>',
      'pcengines|dasharo-seabios|dasharo-uefi|coreboot, for a --firmware that does not tell it',
    )
    .option('--keep-settings', "flash --firmware with its own settings (e.g. IOMMU off), not the rig's")
    .option('--keep-on', 'leave the board powered at the end')
    .option('--report-dir <dir>', 'where to write allure-results, junit.xml, summary.json, console.log')
    .option('--assume <state>', 'the board is already booted to this state (dom0): do not power it')
    .option('--boots <n>', 'full boots for boot-stability', '3')
    .option('--guests <type...>', 'only these guest types (hvm, pv; default: all the rig lists)')
    .option(
      '--twin',
      "run the rig's suites on the QEMU twin: its endpoints and the emulator's limits replaced (docs/twin.md)",
    )
    .option(
      '--rerun-failed <report-dir>',
      'only the tests that failed or broke in that run folder (an Allure test plan)',
    )
    .option('--dry-run', 'list the tests this run would execute (suite, id, title), without touching the bench')
    .option('--wait-lock <seconds>', 'queue on a held bench this long (default: refuse a held bench at once)')
    .action(async (f: RunFlags) => {
      if (f.list) {
        for (const s of await selectSuites(undefined)) console.log(`${s.meta.name.padEnd(20)} ${s.meta.proves}`);
        return;
      }
      const boots = Number(f.boots);
      if (!Number.isInteger(boots) || boots < 1)
        throw new UsageError(`--boots must be a positive integer, got "${f.boots}"`);
      if (f.assume && f.assume !== 'dom0') throw new UsageError(`--assume supports only "dom0", got "${f.assume}"`);
      // An empty variable in a pipeline (--firmware "$BUILD") must not run the old firmware and pass.
      if (f.firmware !== undefined && !f.firmware.trim())
        throw new UsageError('--firmware is empty: give the build to flash (a path or URL), or leave --firmware out');
      // Its credentials (user:token@, ?private_token=, a presigned URL's X-Amz-*) are masked in
      // everything the run prints and writes (#24 N4).
      if (f.firmware) registerUrlCredentials(f.firmware);
      if (f.assume && f.firmware)
        throw new UsageError('--assume and --firmware exclude each other (flashing needs a power cycle)');
      if ((f.sha256 || f.keepSettings || f.flavour || f.firmwareFile) && !f.firmware)
        throw new UsageError('--sha256, --flavour, --firmware-file and --keep-settings need --firmware');
      // A release's words and ROM file (or a --firmware-file without a release) are refused before anything opens.
      if (f.firmware) checkSourceArgs(f.firmware, { file: f.firmwareFile, sha256: f.sha256 });
      const flavour = f.flavour !== undefined ? parseFlavourArg(f.flavour) : undefined;
      const waitLock = f.waitLock === undefined ? 0 : Number(f.waitLock);
      if (!Number.isFinite(waitLock) || waitLock < 0 || waitLock > 86_400)
        throw new UsageError(`--wait-lock takes seconds from 0 to 86400, got "${f.waitLock}"`);
      const guests = f.guests ? parseGuestTypes(f.guests) : undefined;
      const rig = f.twin ? await (await import('../../bench/twin-provider.ts')).twinRigOf(f.rig) : await loadRig(f.rig);
      const suites = await selectSuites(f.suite);
      if (!suites.length) throw new UsageError('no suites found');
      let rerun: DeclaredTest[] | undefined;
      if (f.rerunFailed) {
        rerun = rerunSelection(declaredTests(suites, planRun(rig, guests)), notPassedIn(f.rerunFailed));
        // An empty Allure plan means "run everything": say so and touch nothing instead.
        if (!rerun.length) {
          console.log(`iommu-lab: nothing to rerun: no test of these suites failed or broke in ${f.rerunFailed}`);
          return;
        }
      }
      if (f.dryRun) {
        printPlan(suites, rig, f.grep, guests, rerun);
        return;
      }
      const runDir = createRunDir(rig.name, f.reportDir);
      const plan = rerun && {
        path: writeTestPlan(rerun, join(runDir.root, 'testplan.json')),
        planned: new Set(rerun.map((t) => t.titlePath)),
      };
      const detach = attachProgressUi();
      try {
        const run = new Run({
          rig,
          runDir,
          keepOn: Boolean(f.keepOn),
          assume: f.assume as 'dom0' | undefined,
          firmware: f.firmware
            ? { source: f.firmware, file: f.firmwareFile, sha256: f.sha256, keepSettings: f.keepSettings, flavour }
            : undefined,
          boots,
          waitLockMs: waitLock * 1000,
          force: f.force,
          guests,
        });
        process.exitCode = await executeRun(run, { suites, grep: f.grep, plan });
      } finally {
        detach();
      }
    });
}
