// Tests that need a program from Debian (xmllint, chromium, python3-jsonschema) skip with the
// reason and the remedy in their title when it is missing, so the output says what was not run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const JUNIT_XSD = fileURLToPath(new URL('../fixtures/junit/junit-10.xsd', import.meta.url));

export function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v "$1"`, 'sh', cmd], { stdio: 'ignore' }).status === 0;
}

/** Skips with the reason in the test's title, where mocha's output shows it. */
export function skipWithout(ctx: Mocha.Context, what: string, remedy: string): never {
  ctx.test!.title += ` — SKIPPED: ${what} (${remedy})`;
  ctx.skip();
}

export function requireXmllint(ctx: Mocha.Context): void {
  if (!onPath('xmllint')) skipWithout(ctx, 'no xmllint on PATH', 'apt-get install libxml2-utils');
}

/** `xmllint --schema junit-10.xsd` on the text; its complaint, '' when valid. */
export function junitXsdErrors(xml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'junit-'));
  try {
    writeFileSync(join(dir, 'junit.xml'), xml);
    const r = spawnSync('xmllint', ['--noout', '--schema', JUNIT_XSD, join(dir, 'junit.xml')], { encoding: 'utf8' });
    return r.status === 0 ? '' : r.stderr;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
