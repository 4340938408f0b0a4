// Which iommu-lab produced a report: name, version (package.json) and the git commit of its
// checkout, so a result can be traced to the code that judged it. Read once per process.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../core/paths.ts';

export interface ToolInfo {
  name: 'iommu-lab';
  version: string;
  commit: string | null;
}

let cached: ToolInfo | undefined;

export function toolVersion(): string {
  return (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

function gitCommit(): string | null {
  try {
    const out = execFileSync('git', ['-C', PROJECT_ROOT, 'rev-parse', 'HEAD'], {
      encoding: 'utf8',
      timeout: 5_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return /^[0-9a-f]{40}$/.test(out) ? out : null;
  } catch {
    return null; // not a git checkout (an unpacked release) or no git: say so, never guess
  }
}

export function toolInfo(): ToolInfo {
  cached ??= { name: 'iommu-lab', version: toolVersion(), commit: gitCommit() };
  return cached;
}

export function hostName(): string {
  return hostname();
}
