// `iommu-lab report [--dir <run>] [--open]`: the run's HTML report, one index.html that opens
// from disk (Allure 3, no Java), with the rig's history for trends.
import { appendFileSync, existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.ts';
import { markdownSummary, openMetrics, SUMMARY_CSS, summaryPage } from '../../report/ci-summary.ts';
import { generateHtmlReport, openHtmlReport } from '../../report/html-report.ts';
import { foldEarlierAttempt } from '../../report/junit-attempts.ts';
import { type RunDir, runDirPaths } from '../../report/run-dir-layout.ts';
import type { RunSummary } from '../../report/summary-schema.ts';

interface Flags {
  dir: string;
  open?: boolean;
  history?: string | false;
  html: boolean;
  page?: boolean;
  metrics?: string;
  markdown?: string;
  earlierAttempt?: string;
}

/** A retried job: the earlier attempt's failures into this attempt's junit.xml (flaky or rerun). */
function foldAttempt(dir: RunDir, earlierDir: string): void {
  const summary = join(earlierDir, 'summary.json');
  if (!existsSync(summary)) throw new UsageError(`--earlier-attempt: no summary.json in ${earlierDir}`);
  if (!existsSync(dir.junit)) throw new UsageError(`--earlier-attempt: no junit.xml in ${dir.root}`);
  const earlier = JSON.parse(readFileSync(summary, 'utf8')) as RunSummary;
  const { xml, folded } = foldEarlierAttempt(readFileSync(dir.junit, 'utf8'), earlier, earlierDir);
  writeFileSync(dir.junit, xml);
  console.log(`junit.xml: ${folded} test(s) carry the earlier attempt (${earlierDir})`);
}

/**
 * The CI-native files, from summary.json alone: written before the Allure report, so a failure
 * there (or no allure-results at all, after a set-up that never ran) still leaves them.
 */
function writeCiFiles(dir: RunDir, f: Flags): void {
  if (!f.page && !f.metrics && !f.markdown) return;
  if (!existsSync(dir.summary)) throw new UsageError(`no summary.json in ${dir.root}: nothing to summarise`);
  const s = JSON.parse(readFileSync(dir.summary, 'utf8')) as RunSummary;
  if (f.page) {
    const rel = (p: string) => relative(dir.root, p);
    writeFileSync(join(dir.root, 'summary.css'), SUMMARY_CSS);
    const page = summaryPage(s, {
      'HTML report (Allure)': rel(join(dir.root, 'allure-report', 'index.html')),
      'junit.xml': rel(dir.junit),
      'console.log': rel(dir.transcript),
      'summary.json': rel(dir.summary),
    });
    writeFileSync(join(dir.root, 'summary.html'), page);
    console.log(`summary page: ${join(dir.root, 'summary.html')}`);
  }
  if (f.metrics) writeFileSync(f.metrics, openMetrics(s));
  // Appended: $GITHUB_STEP_SUMMARY may already hold other steps' summaries.
  if (f.markdown) appendFileSync(f.markdown, markdownSummary(s));
}

export function register(program: Command): void {
  program
    .command('report')
    .description("turn a run's allure-results into one HTML file that opens from disk (Allure 3, no Java)")
    .option('--dir <run-dir>', 'the run folder', 'reports/latest')
    .option('--open', 'serve and open the report after generating it')
    .option('--history <file>', "the rig's Allure history file (default: <reports>/history/<rig>.jsonl)")
    .option('--no-history', 'keep no history for this report')
    .option('--page', 'also write summary.html (+ summary.css): one page, no script, for a strict CSP (Jenkins)')
    .option('--metrics <file>', 'also write OpenMetrics figures (GitLab metrics report)')
    .option('--markdown <file>', 'also append a Markdown summary (e.g. "$GITHUB_STEP_SUMMARY")')
    .option('--no-html', 'skip the Allure report (only --page, --metrics, --markdown)')
    .option(
      '--earlier-attempt <run-dir>',
      "a retried job: put that attempt's failures into this run's junit.xml (flakyFailure / rerunError)",
    )
    .action(async (f: Flags) => {
      if (!existsSync(f.dir)) throw new UsageError(`no run folder at ${f.dir} (run \`iommu-lab run\` first)`);
      const dir = runDirPaths(realpathSync(resolve(f.dir)));
      if (f.earlierAttempt) foldAttempt(dir, f.earlierAttempt);
      writeCiFiles(dir, f);
      if (!f.html) return;
      const historyPath = f.history === false ? null : f.history ? resolve(f.history) : undefined;
      const index = await generateHtmlReport(dir, { historyPath });
      console.log(`report: ${index}`);
      if (f.open) process.exitCode = (await openHtmlReport(dirname(index))) === 0 ? 0 : 2;
    });
}
