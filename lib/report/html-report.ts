// `iommu-lab report`: a run's allure-results → one index.html that opens from disk, with the
// run's facts from its summary.json and the rig's history (reports/history/<rig>.jsonl by
// default) so trends show across runs. Generating the same run again replaces its history
// entry instead of adding a second one. Analytics are cut out and the page is checked to name
// no external host.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { UsageError } from '../core/errors.ts';
import { reportConfig } from './allure-config.ts';
import { externalHosts, stripAnalytics } from './privacy.ts';
import type { RunDir } from './run-dir-layout.ts';
import { type RunSummary, summarySchema } from './summary-schema.ts';

export interface HtmlReportOptions {
  /** The rig's history file; undefined: reports/history/<rig>.jsonl beside the run; null: none. */
  historyPath?: string | null;
  /** Where allure's output goes (default <run>/allure-report). */
  output?: string;
}

// The allure package exports no subpaths: find its CLI beside the package it resolves to.
export function allureBin(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('allure'));
  while (!existsSync(join(dir, 'cli.js')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'cli.js');
}

export function runAllure(args: string[], cwd: string, stdio: 'inherit' | 'pipe' = 'pipe'): Promise<number> {
  return new Promise((res) => {
    const p = spawn(process.execPath, [allureBin(), ...args], { cwd, stdio });
    // Allure's own chatter is not the user's business unless it fails.
    let out = '';
    p.stdout?.on('data', (d) => (out += d));
    p.stderr?.on('data', (d) => (out += d));
    p.on('exit', (c) => {
      if (c !== 0 && out) process.stderr.write(out);
      res(c ?? 2);
    });
  });
}

function readSummary(path: string): RunSummary | undefined {
  if (!existsSync(path)) return undefined;
  const parsed = summarySchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  return parsed.success ? parsed.data : undefined;
}

/** Drops the entries an earlier generation of the same run left in the history file. */
export function forgetRun(historyPath: string, reportName: string): void {
  if (!existsSync(historyPath)) return;
  const nameOf = (l: string) => {
    try {
      return (JSON.parse(l) as { name?: string }).name;
    } catch {
      return undefined; // a line we cannot read is kept as it is: it is Allure's file
    }
  };
  const keep = readFileSync(historyPath, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && nameOf(l) !== reportName);
  writeFileSync(historyPath, keep.length ? `${keep.join('\n')}\n` : '');
}

export function reportName(s: RunSummary | undefined): string {
  return s ? `iommu-lab ${s.rig} ${s.startedAt.replace('T', ' ').slice(0, 19)}` : 'iommu-lab';
}

/** Generates the single-file report; returns the path of its index.html. */
export async function generateHtmlReport(dir: RunDir, o: HtmlReportOptions = {}): Promise<string> {
  if (!existsSync(dir.allureResults)) throw new UsageError(`${dir.root} has no allure-results/`);
  const summary = readSummary(dir.summary);
  const name = reportName(summary);
  const output = o.output ?? join(dir.root, 'allure-report');
  const historyPath =
    o.historyPath === null
      ? undefined
      : (o.historyPath ?? (summary ? join(dirname(dir.root), 'history', `${summary.rig}.jsonl`) : undefined));
  if (historyPath) {
    mkdirSync(dirname(historyPath), { recursive: true });
    forgetRun(historyPath, name);
  }
  // A fresh folder: nothing but index.html from an earlier multi-file report may linger.
  rmSync(output, { recursive: true, force: true });
  const work = mkdtempSync(join(tmpdir(), 'iommu-lab-allure-'));
  try {
    const config = join(work, 'allurerc.json');
    writeFileSync(config, JSON.stringify(reportConfig({ name, output, historyPath }), null, 2));
    const code = await runAllure(['generate', dir.allureResults, '--config', config], work);
    if (code !== 0) throw new UsageError(`allure generate failed (exit ${code})`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const index = join(output, 'index.html');
  const html = stripAnalytics(readFileSync(index, 'utf8'));
  writeFileSync(index, html);
  const hosts = externalHosts(html);
  if (hosts.length) {
    rmSync(index);
    throw new Error(`the generated report named external hosts (${hosts.join(', ')}): removed, not published`);
  }
  return index;
}

/** Serves the generated report and opens it in the default browser (until Ctrl-C). */
export async function openHtmlReport(output: string): Promise<number> {
  const work = mkdtempSync(join(tmpdir(), 'iommu-lab-allure-open-'));
  try {
    return await runAllure(['open', output], work, 'inherit');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
