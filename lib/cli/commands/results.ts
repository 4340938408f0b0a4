// `iommu-lab results reports/*`: one table of runs across runs and benches, from summary.json
// files only, and optionally a static HTML page with the throughput and boot-time trends.
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.ts';
import { readSummaries } from '../../report/across/read-summaries.ts';
import { formatTable, toRow } from '../../report/across/rows.ts';
import { trendPage } from '../../report/across/trend-page.ts';

export function register(program: Command): void {
  program
    .command('results')
    .description('one table of runs (rig, firmware, verdict per suite, throughput, boot time) from their summary.json')
    .argument('<dirs...>', 'report folders or summary.json files (e.g. reports/*)')
    .option('--html <file>', 'also write a static page with the trends per rig')
    .option('--json', 'print the rows as JSON')
    .action((dirs: string[], f: { html?: string; json?: boolean }) => {
      const { found, skipped } = readSummaries(dirs);
      for (const s of skipped) console.error(`iommu-lab: results: skipped ${s}`);
      if (!found.length) throw new UsageError('results: no summary.json among the given paths');
      const rows = found.map(toRow);
      const table = formatTable(rows);
      console.log(f.json ? JSON.stringify(rows, null, 2) : table);
      if (f.html) {
        // Each run's HTML report when it was made (iommu-lab report), else its summary.json;
        // relative to the page, so the folder can be archived or served as a whole.
        const page = dirname(resolve(f.html));
        for (const r of rows) {
          const html = join(dirname(r.path), 'allure-report', 'index.html');
          r.report = relative(page, existsSync(html) ? html : r.path);
        }
        writeFileSync(f.html, trendPage(rows, table));
        console.error(`iommu-lab: results: wrote ${f.html}`);
      }
    });
}
