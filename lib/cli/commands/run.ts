import type { Command } from 'commander';
import { UsageError } from '../../core/errors.ts';
import { parseFlavourArg } from '../../firmware/flavour.ts';
import { executeRun } from '../../mocha/execute.ts';
import { selectSuites } from '../../mocha/suites.ts';
import { DEFAULT_RIG, loadRig } from '../../rig/load.ts';
import { parseGuestTypes } from '../../run/guest-types.ts';
import { Run } from '../../run/run.ts';
import { createRunDir } from '../../session/run-dir.ts';
import { attachProgressUi } from '../kit/ui.ts';

interface RunFlags {
  rig: string;
  suite?: string[];
  grep?: string;
  firmware?: string;
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
}

export function register(program: Command): void {
  program
    .command('run')
    .description('boot the board once and run the IOMMU suites against it (default: every suite on the twin)')
    .option('--rig <name|path>', 'rig name in rigs/ or a rig file', DEFAULT_RIG)
    .option('--suite <name...>', 'only these suites (see --list)')
    .option('--list', 'list the suites and what each proves, then exit')
    .option('--grep <pattern>', 'only tests whose title matches')
    .option('--firmware <path|url>', 'flash this coreboot build first')
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
      if (f.assume && f.firmware)
        throw new UsageError('--assume and --firmware exclude each other (flashing needs a power cycle)');
      if ((f.sha256 || f.keepSettings || f.flavour) && !f.firmware)
        throw new UsageError('--sha256, --flavour and --keep-settings need --firmware');
      const flavour = f.flavour !== undefined ? parseFlavourArg(f.flavour) : undefined;
      const waitLock = f.waitLock === undefined ? 0 : Number(f.waitLock);
      if (!Number.isFinite(waitLock) || waitLock < 0 || waitLock > 86_400)
        throw new UsageError(`--wait-lock takes seconds from 0 to 86400, got "${f.waitLock}"`);
      const guests = f.guests ? parseGuestTypes(f.guests) : undefined;
      const rig = f.twin ? await (await import('../../bench/twin-provider.ts')).twinRigOf(f.rig) : await loadRig(f.rig);
      const suites = await selectSuites(f.suite);
      if (!suites.length) throw new UsageError('no suites found');
      const runDir = createRunDir(rig.name, f.reportDir);
      const detach = attachProgressUi();
      try {
        const run = new Run({
          rig,
          runDir,
          keepOn: Boolean(f.keepOn),
          assume: f.assume as 'dom0' | undefined,
          firmware: f.firmware
            ? { source: f.firmware, sha256: f.sha256, keepSettings: f.keepSettings, flavour }
            : undefined,
          boots,
          waitLockMs: waitLock * 1000,
          force: f.force,
          guests,
        });
        process.exitCode = await executeRun(run, { suites, grep: f.grep });
      } finally {
        detach();
      }
    });
}
