// A report file (summary.json, junit.xml, environment.properties) is written whole or not at
// all: into a new temporary file beside it (O_EXCL: never through a link planted there), synced,
// then renamed over the name. A rename replaces a symlink at the name instead of writing where it
// points, and a full disk leaves the old file or none, never a truncated one a CI would read
// as a result (#24 N18). The text passes through redact() on the way: secrets and the
// credentials of any URL in it (a --firmware URL's token) never reach the disk (#24 N4).
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { redact } from '../core/redact.ts';

export function writeReportFile(path: string, text: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const data = Buffer.from(redact(text), 'utf8');
  const fd = openSync(temp, 'wx', 0o644);
  try {
    try {
      for (let done = 0; done < data.length; ) done += writeSync(fd, data, done, data.length - done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}
