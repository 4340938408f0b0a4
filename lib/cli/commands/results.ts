// `iommu-lab results reports/*`: one table of runs across runs and benches, from summary.json
// files only, and optionally a static HTML page with the throughput and boot-time trends.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.ts';
import { readSummaries } from '../../report/across/read-summaries.ts';
import { formatTable, toRow } from '../../report/across/rows.ts';
import { trendPage } from '../../report/across/trend-page.ts';
import { writeReportFile } from '../../report/write-report-file.ts';

export function register(program: Command): void {
  program
    .command('results')
    .description('one table of runs (rig, firmware, verdict per suite, throughput, boot time) from their summary.json')
    .argument('<dirs...>', 'report folders or summary.json files (e.g. reports/*)')
    .option('--html <file>', 'also write a static page with the trends per rig')
    .option('--json', 'print the rows as JSON')
    .action((dirs: string[], f: { html?: string; json?: boolean }) => {
      if (f.html) refuseOutput(f.html, dirs);
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
        // Whole or not at all: a failed write never leaves half a page (or touches what is there).
        writeReportFile(resolve(f.html), trendPage(rows, table));
        console.error(`iommu-lab: results: wrote ${f.html}`);
      }
    });
}

/**
 * The page must not land on an input: `results --html` given a glob of summary.json files would otherwise
 * write over the first summary (#24 N9). A .json name is refused outright, and so is any path
 * that is (or links to) one of the inputs or an input folder's summary.json.
 */
function refuseOutput(html: string, inputs: string[]): void {
  if (/\.json$/i.test(html))
    throw new UsageError(
      `results: --html ${html} ends in .json: give the page an .html name (the inputs are summary.json files)`,
    );
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  const out = real(html);
  for (const i of inputs) {
    const isDir = existsSync(i) && statSync(i).isDirectory();
    const taken = isDir ? [real(i), real(join(i, 'summary.json'))] : [real(i)];
    if (taken.includes(out))
      throw new UsageError(`results: --html ${html} is one of the inputs (${i}): give another path`);
  }
}
