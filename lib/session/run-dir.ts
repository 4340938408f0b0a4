// Each run writes its evidence into one folder: allure-results/, junit.xml, summary.json,
// console.log. `reports/latest` points at the newest.
import { rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { makeDir } from '../core/make-dir.ts';

export interface RunDir {
  root: string;
  allureResults: string;
  junit: string;
  summary: string;
  transcript: string;
}

export function runDirPaths(root: string): RunDir {
  return {
    root,
    allureResults: join(root, 'allure-results'),
    junit: join(root, 'junit.xml'),
    summary: join(root, 'summary.json'),
    transcript: join(root, 'console.log'),
  };
}

export function createRunDir(rigName: string, reportDir?: string): RunDir {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').replace('Z', '');
  const root = resolve(reportDir ?? join('reports', `${stamp}-${rigName}`));
  const dir = runDirPaths(root);
  makeDir(dir.allureResults, 'the report folder');
  if (!reportDir) {
    const latest = resolve('reports', 'latest');
    rmSync(latest, { force: true });
    try {
      // Relative: the reports folder still works when copied, mounted elsewhere or archived by CI.
      symlinkSync(relative(dirname(latest), root), latest);
    } catch {
      // A convenience only.
    }
  }
  return dir;
}
