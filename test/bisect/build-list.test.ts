// Bisect's builds are checked before anything is flashed (#24 N14): a missing file, a bad
// checksum suffix in either case, control characters — each one line, at once.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseBuild } from '../../lib/bisect/build-list.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const BIN = resolve(import.meta.dirname, '../../bin/iommu-lab.js');
const HEX = 'ab'.repeat(32);

describe('bisect/build-list', () => {
  it('takes a path that exists or an http(s) URL, with #sha256= in any case', () => {
    const f = join(tempDir('bisect-builds-'), 'v4.19.rom');
    writeFileSync(f, 'x');
    assert.deepEqual(parseBuild(`${f}#SHA256=${HEX.toUpperCase()}`), {
      source: f,
      sha256: HEX,
      label: `${f}#SHA256=${HEX.toUpperCase()}`,
    });
    assert.equal(parseBuild('https://example.org/a.rom').source, 'https://example.org/a.rom');
  });

  it('refuses a missing file, a short checksum and control characters', () => {
    assert.throws(() => parseBuild('/nonexistent/v4.18.rom'), /build "\/nonexistent\/v4\.18\.rom" not found/);
    assert.throws(() => parseBuild('https://x/a.rom#SHA256=abc'), /#sha256= needs 64 hex digits/);
    assert.throws(() => parseBuild('a\u001b[2J.rom'), /control characters/);
  });

  it('the CLI refuses missing builds and an unknown suite before touching the bench: exit 2, one line', function () {
    this.timeout(20_000);
    const f = join(tempDir('bisect-cli-'), 'good.rom');
    writeFileSync(f, 'x');
    for (const [args, why] of [
      [[f, '/nonexistent/bad.rom'], /bisect: build "\/nonexistent\/bad\.rom" not found/],
      [[f, f, '--suite', 'no-such-suite'], /unknown suite "no-such-suite"/],
    ] as const) {
      const r = spawnSync(process.execPath, [BIN, 'bisect', ...args], {
        encoding: 'utf8',
        env: { ...process.env, CI: 'true' },
      });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, why);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });
});
