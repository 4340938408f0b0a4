// Results across runs read only summary.json files — so they work on artifacts collected from
// many runners. A folder without one, or with a broken one, is reported, never fatal.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RunSummary } from '../summary.ts';

export interface FoundSummary {
  path: string;
  summary: RunSummary;
}

export function readSummaries(paths: string[]): { found: FoundSummary[]; skipped: string[] } {
  const found: FoundSummary[] = [];
  const skipped: string[] = [];
  for (const p of paths) {
    const file = existsSync(p) && statSync(p).isDirectory() ? join(p, 'summary.json') : p;
    try {
      const s = JSON.parse(readFileSync(file, 'utf8')) as RunSummary;
      if (typeof s.rig !== 'string' || typeof s.startedAt !== 'string' || !s.suites) throw new Error('not a summary');
      found.push({ path: file, summary: s });
    } catch (e) {
      skipped.push(`${file}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  found.sort((a, b) => a.summary.startedAt.localeCompare(b.summary.startedAt));
  return { found, skipped };
}
