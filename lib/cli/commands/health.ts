// `iommu-lab health --rig R`: boot the known-good image to dom0 with AMD-Vi and record the
// bench as good or bad where every client of it sees it. Exit 0 good, 2 bad (a lab problem).
import type { Command } from 'commander';
import { EXIT } from '../../core/exit-code.ts';
import { loadRig } from '../../rig/load.ts';
import { checkHealth } from '../../run/health-check.ts';
import { createRunDir } from '../../run/run-dir.ts';
import { rigOption } from '../kit/rig-option.ts';
import { attachProgressUi } from '../kit/ui.ts';

export function register(program: Command): void {
  program
    .command('health')
    .description('boot the known-good image to dom0 with AMD-Vi and mark the bench good or bad')
    .addOption(rigOption())
    .option('--report-dir <dir>', 'where to keep the console transcript')
    .action(async (f: { rig: string; reportDir?: string }) => {
      const rig = await loadRig(f.rig);
      const dir = createRunDir(`${rig.name}-health`, f.reportDir);
      const detach = attachProgressUi();
      try {
        const v = await checkHealth(rig, dir.transcript);
        console.log(`${rig.name}: health ${v.state.toUpperCase()} — ${v.why} (transcript ${dir.transcript})`);
        process.exitCode = v.state === 'good' ? EXIT.ok : EXIT.lab;
      } finally {
        detach();
      }
    });
}
