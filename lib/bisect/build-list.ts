// Bisect's builds as given on the command line: a path or URL, optionally `#sha256=<hex>` so a
// URL series carries its checksums (a fragment is never sent to the server).
import { existsSync } from 'node:fs';
import { UsageError } from '../core/errors.ts';
import { registerUrlCredentials } from '../core/redact.ts';

export interface Build {
  source: string;
  sha256?: string;
  /** As the user wrote it, for reports. */
  label: string;
}

export function parseBuild(arg: string): Build {
  if (/[\0-\x1f\x7f]/.test(arg)) throw new UsageError(`bisect: build "${JSON.stringify(arg)}" has control characters`);
  const m = /^(.*)#sha256=([0-9a-fA-F]{64})$/i.exec(arg);
  if (/#sha256=/i.test(arg) && !m) throw new UsageError(`bisect: "${arg}": #sha256= needs 64 hex digits`);
  const build = m ? { source: m[1]!, sha256: m[2]!.toLowerCase(), label: arg } : { source: arg, label: arg };
  registerUrlCredentials(build.source);
  // Checked before anything is flashed: a missing file would otherwise be an "untestable" step
  // after a boot, and a series of them could still name a "first bad build".
  if (!/^https?:\/\//i.test(build.source) && !existsSync(build.source))
    throw new UsageError(`bisect: build "${build.source}" not found (a path or an http(s) URL)`);
  return build;
}
