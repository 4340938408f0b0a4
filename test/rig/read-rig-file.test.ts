// What a rig path may point at: only a regular file of sane size is read.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRig, RigFileError } from '../../lib/rig/load.ts';
import { baseRig } from './base-rig.ts';

/** Fails instead of hanging when the load blocks (a FIFO without a writer). */
function within<T>(ms: number, p: Promise<T>): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still loading after ${ms} ms`)), ms)),
  ]);
}

describe('rig/read-rig-file', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rig-file-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const refused = async (path: string, reason: RegExp) => {
    const e = await within(3000, loadRig(path)).catch((x: unknown) => x);
    assert.ok(e instanceof RigFileError, String(e));
    assert.match(e.message, reason);
  };

  it('refuses a FIFO at once instead of waiting for a writer', async () => {
    for (const name of ['fifo.json', 'fifo.ts']) {
      execFileSync('mkfifo', [join(dir, name)]);
      await refused(join(dir, name), new RegExp(`${name}: cannot read: a FIFO, not a rig file$`));
    }
  });

  it('refuses a device instead of reading it without end', async () => {
    await refused('/dev/zero', /^\/dev\/zero: cannot read: a character device, not a rig file$/);
  });

  it('refuses a file larger than a rig may be, without reading it', async () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, 700 * 1024 * 1024); // sparse: costs no disk
    await refused(
      big,
      new RegExp(`big\\.json: cannot read: ${700 * 1024 * 1024} bytes, more than a rig file may have \\(1048576\\)$`),
    );
  });

  it('reads a JSON rig that starts with a UTF-8 byte-order mark', async () => {
    const file = join(dir, 'bom.json');
    writeFileSync(file, `\uFEFF${JSON.stringify(baseRig)}`);
    assert.equal((await loadRig(file)).name, 'bench-3');
  });

  it('refuses a directory', async () => {
    const sub = join(dir, 'rigs.json');
    mkdirSync(sub);
    await refused(sub, /rigs\.json: cannot read: a directory, not a rig file$/);
  });
});
