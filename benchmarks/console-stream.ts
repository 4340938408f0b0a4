// A realistic console stream for the expect benchmark: Xen boot lines (a real apu2 `xl dmesg`) and
// dom0 shell output (the code blocks of the 3mdeb blog post) in runs, with a moving dom0 clock,
// CRLF line ends, and markers at known offsets. Generated at run time: never committed.
import { fixtureText } from '../test/fixtures/logs.ts';

export type MarkerKind = 'short' | 'long' | 'block';
export interface Marker {
  kind: MarkerKind;
  id: number;
  start: number;
  /** Offset just after the match. */
  end: number;
}
export interface Stream {
  data: Buffer;
  markers: Marker[];
  /** Chunk sizes to feed it in (1-4 KiB, seeded; cut inside every other marker). */
  chunks: number[];
  /** Markers that straddle at least one chunk boundary. */
  spanning: number;
}

/** One pattern finds every marker: a line, a 6000-byte line, or a multi-line block. */
export const MARKER = /@@MARK (\d+) ok@@|@@LONG (\d+) [0-9a-f]+ END@@|@@BLOCK (\d+)\r\n[\s\S]*?@@END \3@@/;
export const markerId = (groups: (string | undefined)[]): number => Number(groups.find((g) => g) ?? NaN);

/** Death-like patterns a real run might arm on top of the defaults (none occurs in the stream). */
export const EXTRA_PATTERNS: RegExp[] = [
  /Oops: \d+/,
  /BUG: unable to handle/,
  /general protection fault/,
  /\(XEN\) FATAL TRAP/,
  /Call Trace:/,
  /segfault at [0-9a-f]+/,
  /Out of memory: Kill/,
  /No bootable device/,
  /soft lockup - CPU#\d+/,
  /Assertion '[^']*' failed/,
  /rcu_sched detected stalls/,
  /AMD-Vi: Event logged \[IO_PAGE_FAULT/,
  /I\/O virtualisation disabled/,
  /Unable to handle kernel NULL pointer dereference/,
  /\(XEN\) Xen call trace:/,
];

function corpus(): { xen: string[]; dom0: string[] } {
  const xen = fixtureText('logs/apu2-xen-4.8.3-iommu-enabled.xl-dmesg.log', 'latin1').split('\n').filter(Boolean);
  const blog = fixtureText('reference/3mdeb-xen-hvm-guests-on-apu2.md', 'latin1');
  const dom0 = [...blog.matchAll(/```[^\n]*\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n').filter(Boolean));
  return { xen, dom0 };
}

export function rng(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}

/** `size` bytes (plus the last line) with a marker every `markerEvery` bytes, the last one at the end. */
export function buildStream(size: number, markerEvery: number, seed = 1): Stream {
  const { xen, dom0 } = corpus();
  const rnd = rng(seed);
  const data = Buffer.allocUnsafe(size + 64 * 1024);
  const markers: Marker[] = [];
  let pos = 0;
  let clock = 0;
  const put = (s: string) => {
    pos += data.write(s, pos, 'latin1');
  };
  const hex = () => Array.from({ length: 6000 }, () => '0123456789abcdef'[rnd(16)]).join('');
  const line = () => {
    clock += rnd(3000);
    const t = `[${(clock / 1e6).toFixed(6).padStart(12)}]`;
    const l = dom0[rnd(dom0.length)];
    return l.replace(/^\[\s*\d+\.\d+\]/, t);
  };
  let nextMarker = markerEvery;
  while (pos < size) {
    if (pos >= nextMarker || pos >= size - 8192) {
      const id = markers.length;
      const kind = (['short', 'long', 'block'] as const)[id % 3];
      const start = pos;
      if (kind === 'short') put(`@@MARK ${id} ok@@`);
      else if (kind === 'long') put(`@@LONG ${id} ${hex()} END@@`);
      else put(`@@BLOCK ${id}\r\n${Array.from({ length: 8 }, line).join('\r\n')}\r\n@@END ${id}@@`);
      markers.push({ kind, id, start, end: pos });
      put('\r\n');
      nextMarker += markerEvery;
      if (pos >= size - 8192) break;
      continue;
    }
    // A run of consecutive lines from one source, as a real console interleaves them.
    const src = rnd(3) ? xen : dom0;
    const at = rnd(src.length);
    const run = 5 + rnd(40);
    for (let i = at; i < Math.min(src.length, at + run) && pos < nextMarker; i++)
      put(`${src === dom0 ? line() : src[i]}\r\n`);
  }
  const stream = data.subarray(0, pos);
  return { data: stream, markers, ...chunking(stream.length, markers, rnd) };
}

function chunking(length: number, markers: Marker[], rnd: (n: number) => number) {
  const forced = markers.filter((m) => m.id % 2 === 0).map((m) => m.start + ((m.end - m.start) >> 1));
  const chunks: number[] = [];
  const cuts: number[] = [];
  let f = 0;
  for (let pos = 0; pos < length; ) {
    let next = Math.min(length, pos + 1024 + rnd(3073));
    while (f < forced.length && forced[f] <= pos) f++;
    if (f < forced.length && forced[f] < next) next = forced[f];
    chunks.push(next - pos);
    cuts.push(next);
    pos = next;
  }
  let spanning = 0;
  let c = 0;
  for (const m of markers) {
    while (c < cuts.length && cuts[c] <= m.start) c++;
    if (c < cuts.length && cuts[c] < m.end) spanning++;
  }
  return { chunks, spanning };
}
