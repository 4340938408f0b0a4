// `iommu-lab results` as a real process on real files: a bad summary is skipped and named (never
// a stack, never no table), an unknown schemaVersion is refused, a device or a FIFO named by a
// glob is refused at once (#24 N8), escape sequences in a summary are shown, not obeyed (#24
// N13), and the page never lands on an input (#24 N9).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../helpers/temp-dir.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const results = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/iommu-lab.js', 'results', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

function summary(rig: string, startedAt: string, extra: Record<string, unknown> = {}) {
  return {
    schemaVersion: 2,
    rig,
    startedAt,
    verdict: 'passed',
    firmware: { version: 'v4.19.0.1' },
    suites: { 'iommu-detection': { verdict: 'passed', tests: 8 } },
    measurements: [{ suite: 'guest-nic-traffic', name: 'passthrough hvm tx', value: 900, unit: 'Mbit/s' }],
    ...extra,
  };
}

function runs(): string {
  const dir = tempDir('results-cli-');
  const put = (name: string, body: unknown) => {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'summary.json'), typeof body === 'string' ? body : JSON.stringify(body));
  };
  put('good', summary('apu2-rte', '2026-11-01T10:00:00Z'));
  put(
    'mistyped',
    summary('apu2-rte', '2026-11-02T10:00:00Z', { measurements: [{ name: 'x', value: '9', unit: 'Mbit/s' }] }),
  );
  put('suites-null', summary('apu2-rte', '2026-11-03T10:00:00Z', { suites: null }));
  put('future', summary('apu2-rte', '2026-11-04T10:00:00Z', { schemaVersion: 99 }));
  put('escapes', summary('evil\x1b]0;pwned\x07\x1b[2J', '2026-11-05T10:00:00Z'));
  return dir;
}

describe('cli/commands/results', function () {
  this.timeout(60_000);

  it('skips and names each bad summary, refuses an unknown schemaVersion, and still shows the table (#24 N8)', () => {
    const dir = runs();
    const r = results(...['good', 'mistyped', 'suites-null', 'future', 'escapes'].map((n) => join(dir, n)));
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.err, /\n\s+at /, 'a stack');
    assert.match(r.err, /skipped .*mistyped\/summary\.json: measurements\.0\.value: .*number/);
    assert.match(r.err, /skipped .*suites-null\/summary\.json: suites: /);
    assert.match(r.err, /skipped .*future\/summary\.json: schemaVersion 99 is not one this iommu-lab reads \(1, 2\)/);
    const lines = r.out.trim().split('\n');
    assert.equal(lines.length, 3, r.out);
    assert.match(lines[1]!, /apu2-rte\s+v4\.19\.0\.1\s+-\s+passed/);
  });

  it('shows escape sequences from a summary as text (#24 N13)', () => {
    const dir = runs();
    const r = results(join(dir, 'escapes'), '--json');
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out + r.err, /\x1b|\x07/);
    assert.equal(JSON.parse(r.out)[0].rig, 'evil\\e]0;pwned\\x07\\e[2J');
  });

  it('refuses /dev/zero and a FIFO at once, without reading them (#24 N8)', () => {
    const dir = runs();
    const fifo = join(dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    const t0 = Date.now();
    const r = results('/dev/zero', fifo, join(dir, 'good'));
    assert.equal(r.code, 0, r.err);
    assert.ok(Date.now() - t0 < 15_000, `took ${Date.now() - t0} ms`);
    assert.match(r.err, /skipped \/dev\/zero: not a regular file/);
    assert.match(r.err, /skipped .*fifo\.json: not a regular file/);
  });

  it('refuses to write the page over an input or to a .json name, and leaves the inputs intact (#24 N9)', () => {
    const dir = runs();
    const first = join(dir, 'good', 'summary.json');
    const before = readFileSync(first, 'utf8');
    // What a shell glob gives: --html takes the first summary as its file.
    const glob = results('--html', first, join(dir, 'escapes', 'summary.json'));
    assert.equal(glob.code, 2);
    assert.match(glob.err, /^iommu-lab: results: --html .*summary\.json ends in \.json/);
    const dirIn = results('--html', join(dir, 'good'), join(dir, 'good'));
    assert.equal(dirIn.code, 2);
    assert.match(dirIn.err, /is one of the inputs/);
    assert.equal(readFileSync(first, 'utf8'), before);
    const ok = results('--html', join(dir, 'trend.html'), join(dir, 'good'));
    assert.equal(ok.code, 0, ok.err);
    assert.match(readFileSync(join(dir, 'trend.html'), 'utf8'), /<html/i);
  });
});
