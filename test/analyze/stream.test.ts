import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { analyzeText } from '../../lib/analyze/analyze.ts';
import { looksBinary } from '../../lib/analyze/read-input.ts';
import { analyzeStream, type BootReport } from '../../lib/analyze/stream.ts';
import { logFixture } from '../fixtures/logs.ts';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));

function* walk(dir: string): Generator<string> {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) yield* walk(p);
    else yield p;
  }
}

/** The input in chunks of `chunk` bytes, as a file or a pipe would give it. */
async function boots(text: string | Buffer, chunk = 1 << 20, windowBytes?: number): Promise<BootReport[]> {
  const buf = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk) chunks.push(buf.subarray(i, i + chunk));
  const out: BootReport[] = [];
  await analyzeStream(Readable.from(chunks), 'in', { name: 'in', windowBytes }, (r) => out.push(r));
  return out;
}

const pick = (r: { kinds: unknown; facts: unknown; findings: unknown }) => [r.kinds, r.facts, r.findings];

describe('analyze/stream', () => {
  it('gives the same kinds, facts and findings as the whole-text analysis on every text fixture (one boot each)', async () => {
    let n = 0;
    for (const path of walk(fixtures)) {
      // analyze's own golden reports (golden.test.ts) are its output, not logs; some quote several boots.
      if (path.includes('/analyze-golden/')) continue;
      const buf = readFileSync(path);
      if (looksBinary(buf) || buf.toString('latin1').trim() === '') continue;
      const whole = analyzeText(buf.toString('utf8'), 'in');
      // Small chunks: every line of a large fixture crosses a chunk edge somewhere.
      const got = await boots(buf, 4093);
      assert.equal(got.length, 1, `${path}: ${got.map((b) => b.lines.join('-')).join(' ')}`);
      assert.deepEqual(pick(got[0]), pick(whole), path);
      n++;
    }
    assert.ok(n > 60, `only ${n} fixtures`);
  });

  it('gives the same result as the whole-text analysis on randomly mutated inputs (serial noise, CR, escapes, U+2028)', async () => {
    let s = 20261207;
    const r = () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s / 2 ** 32;
    };
    const ALPHABET =
      '(XEN) [ ]:.0123456789abcdefAMD-Vi\n\r\t\x1b{}"\\libxl: error PCI 0000:02:00.0 IOMMU \u00ff\u2028€';
    const sources = ['twin-4.17-no-iommu.serial.log', 'blog-no-iommu.log', 'iperf3-tcp.json'].map(logFixture);
    let compared = 0;
    for (let i = 0; i < 60; i++) {
      const chars = [...sources[i % sources.length]];
      for (let e = 0; e < 30; e++)
        chars.splice(Math.floor(r() * chars.length), Math.floor(r() * 3), ALPHABET[Math.floor(r() * ALPHABET.length)]);
      const text = chars.join('');
      // Inputs the reader refuses (mostly binary) and those the noise cut into boots are not comparable.
      const got = await boots(text, 1 + Math.floor(r() * 5000)).catch(() => [] as BootReport[]);
      if (got.length !== 1) continue;
      assert.deepEqual(pick(got[0]), pick(analyzeText(text, 'in')), `case ${i}`);
      compared++;
    }
    assert.ok(compared > 40, `only ${compared} single-boot cases`);
  });

  it('N19: gives each boot of a transcript its own headline and findings', async () => {
    const off = logFixture('twin-4.17-no-iommu.serial.log');
    const on = logFixture('twin-4.17-iommu-enabled.serial.log');
    const got = await boots(`${off}\n${on}`);
    assert.equal(got.length, 2);
    assert.equal(got[0].facts.iommu, 'disabled');
    assert.ok(got[0].findings.some((f) => f.code === 'NO_IOMMU'));
    assert.equal(got[1].facts.iommu, 'enabled');
    assert.deepEqual(got[1].findings, []);
    // Each boot is the analysis of its own lines, numbered as in the whole transcript.
    const offLines = off.split('\n').length;
    assert.deepEqual(got[1].lines, [offLines + 1, offLines + on.split('\n').length - (on.endsWith('\n') ? 1 : 0)]);
    assert.deepEqual(pick(got[0]), pick(analyzeText(off, 'in')));
    const shifted = analyzeText(`${'\n'.repeat(offLines)}${on}`, 'in');
    assert.deepEqual(pick(got[1]), pick(shifted));
  });

  it('cuts a boot longer than the window into parts instead of holding it whole', async () => {
    const log = logFixture('apu2-xen-4.8.3-iommu-enabled.xl-dmesg.log');
    const flood = '(XEN) AMD-Vi: IO_PAGE_FAULT: domain = 0, device id = 0x2600, fault address = 0xfdf8010140\n'.repeat(
      3000,
    );
    const got = await boots(log + flood, 1 << 16, 64 * 1024);
    assert.ok(got.length >= 4, `${got.length} parts`);
    assert.ok(got.every((b) => b.boot === 1));
    assert.deepEqual(
      got.map((b) => b.part),
      got.map((_, i) => i + 1),
    );
    assert.equal(got[0].facts.iommu, 'enabled');
    const faults = got.flatMap((b) => b.findings.filter((f) => f.code === 'IOMMU_PAGE_FAULT'));
    assert.equal(
      faults.reduce((s, f) => s + f.count, 0),
      3000,
    );
  });
});
