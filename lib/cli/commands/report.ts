// `iommu-lab report [--dir <run>] [--open]`: the run's HTML report, one index.html that opens
// from disk (Allure 3, no Java), with the rig's history for trends.
import { existsSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.ts';
import { generateHtmlReport, openHtmlReport } from '../../report/html-report.ts';
import { runDirPaths } from '../../session/run-dir.ts';

interface Flags {
  dir: string;
  open?: boolean;
  history?: string | false;
}

export function register(program: Command): void {
  program
    .command('report')
    .description("turn a run's allure-results into one HTML file that opens from disk (Allure 3, no Java)")
    .option('--dir <run-dir>', 'the run folder', 'reports/latest')
    .option('--open', 'serve and open the report after generating it')
    .option('--history <file>', "the rig's Allure history file (default: <reports>/history/<rig>.jsonl)")
    .option('--no-history', 'keep no history for this report')
    .action(async (f: Flags) => {
      if (!existsSync(f.dir)) throw new UsageError(`no run folder at ${f.dir} (run \`iommu-lab run\` first)`);
      const dir = runDirPaths(realpathSync(resolve(f.dir)));
      const historyPath = f.history === false ? null : f.history ? resolve(f.history) : undefined;
      const index = await generateHtmlReport(dir, { historyPath });
      console.log(`report: ${index}`);
      if (f.open) process.exitCode = (await openHtmlReport(dirname(index))) === 0 ? 0 : 2;
    });
}
