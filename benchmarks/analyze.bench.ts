// `npm run bench -- analyze [--mib N]`: `iommu-lab analyze` as a user runs it, on an N MiB
// (default 64) serial transcript written to a temporary file: the real apu2 Xen 4.8 log and the
// blog's libxl errors, repeated (one boot per repetition). Figures: throughput (MiB/s of CPU
// time, the machine may be shared) and peak memory of the whole process (/usr/bin/time), against
// a one-pass regex baseline over the same file measured in the same run: one regex for the
// headline symptoms, read in the same 1 MiB chunks. The ratio is what to compare across machines.
// Of the peak, ~80 MiB is there before a byte is read (node ~40, tsx's loader thread ~40: measure
// `analyze` on a one-line file); the analysis itself keeps ~8 MiB live (node --trace-gc).
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  createReadStream,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';

const MiB = 1024 * 1024;
const root = fileURLToPath(new URL('../', import.meta.url));
const BASELINE =
  /I\/O virtualisation (?:en|dis)abled|AMD-Vi: (?:Error|IOMMU not found)|cannot be assigned - no IOMMU|IO_PAGE_FAULT/g;

/** Writes the corpus piece by piece (never whole in memory); returns its size. */
export function writeCorpus(path: string, targetBytes: number): number {
  const logs = join(root, 'test/fixtures/logs');
  const boot = readFileSync(join(logs, 'apu2-xen-4.8.3-iommu-enabled.xl-dmesg.log'));
  const err = readFileSync(join(logs, 'blog-no-iommu.log'));
  const piece = Buffer.concat([boot, Buffer.from('\n'), err, Buffer.from('\n')]);
  const fd = openSync(path, 'w');
  let size = 0;
  try {
    const block = Buffer.concat(Array.from({ length: Math.max(1, Math.floor(MiB / piece.length)) }, () => piece));
    while (size < targetBytes) size += writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
  return size;
}

const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;

async function baseline(path: string): Promise<{ ms: number; wallMs: number; hits: number }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let hits = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: MiB })) {
    const text = carry + decoder.write(chunk as Buffer);
    const cut = text.lastIndexOf('\n') + 1;
    const whole = text.slice(0, cut);
    carry = text.slice(cut);
    BASELINE.lastIndex = 0;
    while (BASELINE.exec(whole)) hits++;
  }
  return { ms: cpuMs(process.cpuUsage(c0)), wallMs: performance.now() - t0, hits };
}

/** The CLI in its own process: CPU seconds, wall seconds, peak RSS (KiB), exit code. */
function cli(path: string): { ms: number; wallMs: number; maxRssKiB: number | null; code: number | null } {
  const argv = [join(root, 'bin/iommu-lab.js'), 'analyze', '--json', path];
  if (!existsSync('/usr/bin/time')) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, argv, { stdio: 'ignore' });
    const wallMs = performance.now() - t0;
    return { ms: wallMs, wallMs, maxRssKiB: null, code: r.status };
  }
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', process.execPath, ...argv], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 * MiB,
  });
  const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`analyze did not run: ${r.stderr.slice(-500)}`);
  return { wallMs: +m[1] * 1000, ms: (+m[2] + +m[3]) * 1000, maxRssKiB: +m[4], code: r.status };
}

export async function run(args: string[] = []): Promise<void> {
  const at = args.indexOf('--mib');
  const mib = at >= 0 ? Number(args[at + 1]) : 64;
  if (!(mib > 0)) throw new Error(`--mib wants a size in MiB, got ${args[at + 1]}`);
  const dir = mkdtempSync(join(tmpdir(), 'iommu-lab-analyze-bench-'));
  try {
    const path = join(dir, 'corpus.log');
    const size = writeCorpus(path, mib * MiB);
    const rate = (ms: number) => size / MiB / (ms / 1000);
    // Three runs of each, the median taken: on a shared 2-core machine one run varies by a tenth,
    // and peak RSS by a few MiB (V8's young generation grows at its own pace).
    const median = <T>(xs: T[], by: (x: T) => number) => [...xs].sort((p, q) => by(p) - by(q))[1];
    const base = median([await baseline(path), await baseline(path), await baseline(path)], (x) => x.ms);
    const runs = [cli(path), cli(path), cli(path)];
    const ours = median(runs, (x) => x.ms);
    const peak = median(runs, (x) => x.maxRssKiB ?? 0).maxRssKiB;
    const r = rate(ours.ms);
    const b = rate(base.ms);
    console.log(`corpus: ${(size / MiB).toFixed(0)} MiB (${path}), ${base.hits} baseline matches`);
    console.log(`baseline (one regex, one pass, 1 MiB chunks): ${b.toFixed(1)} MiB/s`);
    console.log(
      `analyze (CLI, --json): ${r.toFixed(1)} MiB/s of CPU time (${(ours.wallMs / 1000).toFixed(1)} s wall), ` +
        `peak RSS ${peak === null ? '? (no /usr/bin/time)' : `${(peak / 1024).toFixed(0)} MiB`} (medians of 3 runs; ` +
        `peaks ${runs.map((x) => (x.maxRssKiB === null ? '?' : (x.maxRssKiB / 1024).toFixed(0))).join('/')} MiB), exit ${ours.code}`,
    );
    console.log(`ratio analyze/baseline: ${(r / b).toFixed(3)} (targets: >= 50 MiB/s, <= 128 MiB peak at 1 GiB)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('reproduce: npm run bench -- analyze [--mib 1024]');
}
