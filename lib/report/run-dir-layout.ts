// Where a run's evidence lies inside its folder: allure-results/, junit.xml, summary.json,
// console.log. What the reports read and write; making the folder is the run's (lib/run/run-dir.ts).
import { join } from 'node:path';

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
