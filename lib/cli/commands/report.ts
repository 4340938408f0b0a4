import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.ts';
import { runDirPaths } from '../../session/run-dir.ts';

// The allure package exports no subpaths: find its CLI beside the package it resolves to.
function allureBin(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('allure'));
  while (!existsSync(join(dir, 'cli.js')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'cli.js');
}

export function register(program: Command): void {
  program
    .command('report')
    .description("turn a run's allure-results into an HTML report (Allure 3, no Java)")
    .option('--dir <run-dir>', 'the run folder', 'reports/latest')
    .option('--open', 'serve and open the report after generating it')
    .action(async (f: { dir: string; open?: boolean }) => {
      if (!existsSync(f.dir)) throw new UsageError(`no run folder at ${f.dir} (run \`iommu-lab run\` first)`);
      const dir = runDirPaths(realpathSync(resolve(f.dir)));
      if (!existsSync(dir.allureResults)) throw new UsageError(`${f.dir} has no allure-results/`);
      const out = join(dir.root, 'allure-report');
      const args = [allureBin(), 'generate', dir.allureResults, '--output', out, '--report-name', 'iommu-lab'];
      if (f.open) args.push('--open');
      const code = await new Promise<number>((res) =>
        spawn(process.execPath, args, { stdio: 'inherit' }).on('exit', (c) => res(c ?? 2)),
      );
      if (code !== 0) throw new UsageError(`allure generate failed (exit ${code})`);
      console.log(`report: ${join(out, 'index.html')}`);
    });
}
