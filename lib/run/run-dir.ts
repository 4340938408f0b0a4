// Each run writes its evidence into one folder (its layout: lib/report/run-dir-layout.ts), made
// here: a new one per run, `reports/latest` pointing at the newest, or a reused --report-dir.
import { existsSync, lstatSync, readdirSync, renameSync, symlinkSync, unlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { UsageError } from '../core/errors.ts';
import { makeDir } from '../core/make-dir.ts';
import { type RunDir, runDirPaths } from '../report/run-dir-layout.ts';

export function createRunDir(rigName: string, reportDir?: string): RunDir {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').replace('Z', '');
  const root = resolve(reportDir ?? join('reports', `${stamp}-${rigName}`));
  const dir = runDirPaths(root);
  if (reportDir) setAsideOldResults(dir.allureResults, stamp);
  makeDir(dir.allureResults, 'the report folder');
  if (!reportDir) pointLatestAt(root);
  return dir;
}

/**
 * A reused --report-dir starts with an empty allure-results/: an earlier run's results (one of
 * them perhaps cut short) would otherwise join this run's report, and a broken one made every
 * later run BROKEN (#24 N10). They are moved aside, not deleted: they are someone's evidence.
 */
function setAsideOldResults(allureResults: string, stamp: string): void {
  if (!existsSync(allureResults) || !lstatSync(allureResults).isDirectory()) return;
  if (!readdirSync(allureResults).length) return;
  const aside = `${allureResults}.before-${stamp}`;
  try {
    renameSync(allureResults, aside);
    console.error(`iommu-lab: the earlier run's allure-results in this report folder moved to ${aside}`);
  } catch (e) {
    throw new UsageError(
      `cannot move the earlier allure-results aside in ${dirname(allureResults)}: ${(e as NodeJS.ErrnoException).code}: give another --report-dir`,
    );
  }
}

/**
 * reports/latest is a relative link to the newest run (the folder still works copied, mounted
 * elsewhere or archived by CI). Only a link is replaced: a real folder there (a CI artifact
 * restore dereferences links) is someone's copy, left as it is, and the run goes on (#24 N11).
 */
function pointLatestAt(root: string): void {
  const latest = resolve('reports', 'latest');
  const st = lstatSync(latest, { throwIfNoEntry: false });
  if (st && !st.isSymbolicLink()) {
    console.error(
      `iommu-lab: reports/latest is a ${st.isDirectory() ? 'folder' : 'file'}, not a link: left as it is, not pointed at this run`,
    );
    return;
  }
  try {
    if (st) unlinkSync(latest);
    symlinkSync(relative(dirname(latest), root), latest);
  } catch {
    // A convenience only.
  }
}
