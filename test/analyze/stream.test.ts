import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { analyzeText } from '../../lib/analyze/analyze.ts';
import { analyzeStream, type BootReport } from '../../lib/analyze/stream.ts';
import { AMD_VI_MESSAGES } from '../../lib/xen/amd-vi-messages.ts';
import { logFixture } from '../fixtures/logs.ts';
import { textFixtures } from '../fixtures/text-files.ts';

/** The input in chunks of `chunk` bytes, as a file or a pipe would give it. */
async function boots(text: string | Buffer, chunk = 1 << 20, windowBytes?: number): Promise<BootReport[]> {
  const buf = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk) chunks.push(buf.subarray(i, i + chunk));
  const out: BootReport[] = [];
  await analyzeStream(Readable.from(chunks), 'in', { name: 'in', windowBytes }, (r) => out.push(r));
  return out;
}

/** One message for each of lib/xen/xen-log.ts LINE_PATTERNS. */
const LINE_EXAMPLES = [
  'Command line: iommu=verbose',
  'Interrupt remapping enabled',
  ' - Dom0 mode: Relaxed',
  'HVM: SVM enabled',
  'HVM: Hardware Assisted Paging (HAP) detected',
  '*** LOADING DOMAIN 0 ***',
  'PCI add device 0000:01:00.0',
  'AMD-Vi: IOMMU 0000:00:00.2 enabled by firmware',
  'AMD-Vi: IVHD: IOMMU @ 0xfeb80000 cap 0x40 seg 0 devid 0x2',
  'AMD-Vi: IO_PAGE_FAULT: 0000:01:00.0 d0 addr 000000fdf8010140 flags 0x8 I',
  'Panic on CPU 0:',
  'AMD-Vi: IOMMU not found!',
];

const pick = (r: { kinds: unknown; facts: unknown; findings: unknown }) => [r.kinds, r.facts, r.findings];

describe('analyze/stream', () => {
  it('gives the same kinds, facts and findings as the whole-text analysis on every text fixture (one boot each)', async () => {
    let n = 0;
    for (const [path, text] of textFixtures()) {
      // analyze's own golden reports (golden.test.ts) are its output, not logs; some quote several boots.
      if (path.includes('/analyze-golden/')) continue;
      const buf = Buffer.from(text, 'utf8');
      if (buf.toString('latin1').trim() === '') continue;
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

  it('gives the whole-text answer on short logs where one line decides (a line skipped by its marks would change it)', async () => {
    // Each log is tiny, so the deciding line has no neighbour to hide a wrong skip behind
    // (lib/analyze/line-marks.ts: a line is skipped by an analyzer whose literals it does not hold).
    const banner = '(XEN) Xen version 4.17.0 (x@y) (gcc) debug=n';
    const logs = [
      '(XEN) CPU1: No irq handler for vector e7 (IRQ -2147483648)\n(XEN) Brought up 4 CPUs',
      '(XEN) CPU1: No irq handler for vector e7 (IRQ -2147483648)\n[    0.000000] Linux version 6.1.0',
      '(XEN) CPU1: No irq handler for vector e7 (IRQ -2147483648)\ndebian login:',
      `${banner}\n(XEN) I/O virtualisation enabled`,
      `${banner}\n(XEN) I/O virtualisation disabled`,
      `${banner}\n(XEN) AMD-Vi: IOMMU 0 Enabled.`,
      `${banner}\n(XEN) ACPI: RSDP 000F3BF0, 0024 (r2 CORE  )\n(XEN) ACPI: XSDT CFEAC0E0, 006C (r1 CORE)\n(XEN) System RAM`,
      'PC Engines apu2\ncoreboot build 20200101',
      ...LINE_EXAMPLES.map((l) => `${banner}\n(XEN) ${l}`),
      ...AMD_VI_MESSAGES.map((m) => `${banner}\n(XEN) ${m.wording}`),
    ];
    for (const log of logs) {
      const got = await boots(log);
      assert.equal(got.length, 1, log);
      assert.deepEqual(pick(got[0]), pick(analyzeText(log, 'in')), log);
    }
  });

  it('reads no further while the output is behind (pause), so a slow reader of stdout cannot pile it up', async () => {
    let pulled = 0;
    const chunks = function* () {
      for (let i = 0; i < 50; i++) {
        pulled++;
        yield Buffer.from(`(XEN) Xen version 4.17.0 (x@y) (gcc) debug=n\n(XEN) line ${i}\n`.repeat(200));
      }
    };
    let release!: () => void;
    let paused: Promise<void> | null = new Promise<void>((r) => {
      release = r;
    });
    let boots = 0;
    const done = analyzeStream(
      Readable.from(chunks(), { highWaterMark: 1 }),
      'in',
      { name: 'in', pause: () => paused },
      () => boots++,
    );
    await new Promise((r) => setTimeout(r, 100));
    const whilePaused = pulled;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(pulled, whilePaused, 'the input was read on while the output was behind');
    assert.ok(pulled < 10, `${pulled} of 50 chunks read before the first pause`);
    paused = null;
    release();
    await done;
    assert.equal(pulled, 50);
    assert.equal(boots, 50 * 200);
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
