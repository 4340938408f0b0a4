// `npm run bench -- console`: the console expect engine over a realistic 64 MiB console stream fed
// in 1-4 KiB chunks with 20 patterns armed, at 1x and 2x the input (cost must grow linearly), and
// the same workload through Python pexpect: default settings (quadratic in the buffer) and
// searchwindowsize=4096 (linear, but blind to a match longer than the window).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_DEATH_PATTERNS } from '../lib/console/death.ts';
import { ExpectBuffer } from '../lib/console/expect-buffer.ts';
import { buildStream, EXTRA_PATTERNS, MARKER, markerId, type Stream } from './console-stream.ts';

const KiB = 1024;
const MiB = 1024 * KiB;
const GAP = 512 * KiB; // markers every 512 KiB in the main workload
const PATTERNS = [MARKER, ...DEFAULT_DEATH_PATTERNS, ...EXTRA_PATTERNS];
const mbps = (bytes: number, ms: number) => (bytes / 1e6 / (ms / 1000)).toFixed(1);
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface Run {
  /** CPU time of the process (user + system): the machine may be shared, wall time is noisy. */
  ms: number;
  wallMs: number;
  found: [number, number][];
}

/** Feeds the stream chunk by chunk while a wait is armed, as the transport's reader does. */
export async function ours(s: Stream): Promise<Run> {
  const b = new ExpectBuffer({ description: 'bench', deathLingerMs: 0 });
  const found: [number, number][] = [];
  const eof = new Error('eof');
  const consumer = (async () => {
    for (;;) {
      const m = await b
        .expect(MARKER, { name: 'marker', timeout: 600_000, deathPatterns: EXTRA_PATTERNS })
        .catch((e) => (e === eof ? null : Promise.reject(e)));
      if (!m) return;
      found.push([markerId(m.groups), m.offset]);
    }
  })();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let pos = 0;
  for (const n of s.chunks) {
    while (!b.waiting) await new Promise((r) => setImmediate(r));
    b.push(s.data.subarray(pos, pos + n));
    pos += n;
  }
  while (!b.waiting) await new Promise((r) => setImmediate(r));
  b.end(eof);
  await consumer;
  const c = process.cpuUsage(c0);
  return { ms: (c.user + c.system) / 1000, wallMs: performance.now() - t0, found };
}

function pexpect(s: Stream, dir: string, window: number | null): Run {
  const path = join(dir, `stream-${s.data.length}.bin`);
  writeFileSync(path, s.data);
  const input = JSON.stringify({ path, window, maxread: 2048, patterns: PATTERNS.map((p) => p.source) });
  const r = spawnSync('/usr/bin/python3', [new URL('./console-expect-pexpect.py', import.meta.url).pathname], {
    input,
    maxBuffer: 64 * MiB,
  });
  rmSync(path);
  if (r.status !== 0) throw new Error(`pexpect run failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout.toString());
  if (out.deaths) throw new Error(`pexpect saw ${out.deaths} death patterns`);
  return { ms: out.cpu * 1000, wallMs: out.seconds * 1000, found: out.found };
}

/** Markers found at their exact offsets, and the ones lost (by kind). */
function check(s: Stream, r: Run): { ok: number; lost: string } {
  const got = new Map(r.found);
  const lost = s.markers.filter((m) => got.get(m.id) !== m.end);
  const kinds = [...new Set(lost.map((m) => m.kind))].map((k) => `${lost.filter((m) => m.kind === k).length} ${k}`);
  return { ok: s.markers.length - lost.length, lost: lost.length ? kinds.join(', ') : 'none' };
}

function row(label: string, s: Stream, r: Run): void {
  const c = check(s, r);
  console.log(
    `  ${label.padEnd(44)} ${sec(r.ms).padStart(8)} ${mbps(s.data.length, r.ms).padStart(7)} MB/s` +
      ` (wall ${sec(r.wallMs)})` +
      `  markers ${c.ok}/${s.markers.length}, lost: ${c.lost}`,
  );
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'console-bench-'));
  try {
    console.log(
      `20 patterns armed: 1 marker pattern, ${DEFAULT_DEATH_PATTERNS.length} default death patterns, ${EXTRA_PATTERNS.length} extra`,
    );
    console.log('markers: short line / 6000-byte line / multi-line block, half cut by a chunk boundary');
    console.log('times are CPU seconds of the searching process (wall time in parentheses)\n');

    await ours(buildStream(16 * MiB, GAP)); // JIT warm-up, not reported
    console.log(`iommu-lab engine, a marker every ${GAP / KiB} KiB:`);
    const t: number[] = [];
    for (const mib of [64, 128]) {
      const s = buildStream(mib * MiB, GAP);
      const r = await ours(s);
      t.push(r.ms);
      row(`${mib} MiB, ${s.chunks.length} chunks, ${s.spanning} markers span chunks`, s, r);
    }
    console.log(`  time ratio 2x/1x = ${(t[1] / t[0]).toFixed(2)} (linear: 2)\n`);

    console.log('iommu-lab engine, one wait across the whole stream (the case pexpect goes quadratic on):');
    const w: number[] = [];
    for (const mib of [64, 128]) {
      const s = buildStream(mib * MiB, mib * MiB);
      const r = await ours(s);
      w.push(r.ms);
      row(`${mib} MiB`, s, r);
    }
    console.log(`  time ratio 2x/1x = ${(w[1] / w[0]).toFixed(2)} (linear: 2)\n`);

    console.log('pexpect, default settings (searches the whole buffer on every read), one wait:');
    let last: { mib: number; ms: number } | undefined;
    for (let mib = 0.25; mib <= 4; mib *= 2) {
      const s = buildStream(mib * MiB, mib * MiB);
      const r = pexpect(s, dir, null);
      row(`${mib} MiB${last ? `, time x${(r.ms / last.ms).toFixed(1)} for 2x input` : ''}`, s, r);
      last = { mib, ms: r.ms };
      if (r.ms * 4 > 10_000) break; // the next size would take ~4x as long
    }
    if (last) {
      const est = last.ms * (64 / last.mib) ** 2;
      console.log(`  extrapolated (quadratic) to one 64 MiB wait: ~${(est / 3600e3).toFixed(1)} h\n`);
    }

    console.log(`pexpect, searchwindowsize=4096, a marker every ${GAP / KiB} KiB:`);
    const p: number[] = [];
    for (const mib of [16, 32]) {
      const s = buildStream(mib * MiB, GAP);
      const r = pexpect(s, dir, 4096);
      p.push(r.ms);
      row(`${mib} MiB`, s, r);
    }
    console.log(`  time ratio 2x/1x = ${(p[1] / p[0]).toFixed(2)}; the 6000-byte markers are longer than the window\n`);
    console.log('reproduce: npm run bench -- console');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
