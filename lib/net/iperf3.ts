// `iperf3 --json` results. iperf3 puts failures in a top-level "error" (and still exits with
// JSON), TCP totals in end.sum_sent / end.sum_received, UDP totals in end.sum. With --reverse
// (start.test_start.reverse = 1) the server sends, so sum_sent is the far end's figure.
import { printable } from '../core/printable.ts';

export interface Iperf3Result {
  error: string | null;
  protocol: string | null;
  reverse: boolean;
  streams: number | null;
  /** Requested test length, seconds. */
  duration: number | null;
  /** Measured length of the receiving side, seconds. */
  seconds: number | null;
  sentBitsPerSecond: number | null;
  receivedBitsPerSecond: number | null;
  retransmits: number | null;
  bytesReceived: number | null;
  jitterMs: number | null;
  lostPercent: number | null;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Parse iperf3 JSON (text or already parsed). Throws only when the text is not JSON at all. */
export function parseIperf3(input: string | unknown): Iperf3Result {
  const root = obj(typeof input === 'string' ? JSON.parse(input) : input) ?? {};
  const start = obj(root.start) ?? {};
  const test = obj(start.test_start) ?? {};
  const end = obj(root.end) ?? {};
  const sent = obj(end.sum_sent);
  const received = obj(end.sum_received);
  const udp = obj(end.sum);
  // The peer's words, shown in messages and reports: escape sequences in them are shown as text (#24 N13).
  const error = typeof root.error === 'string' ? printable(root.error, { max: 500 }) : null;
  return {
    error,
    protocol: typeof test.protocol === 'string' ? test.protocol : null,
    reverse: test.reverse === 1 || test.reverse === true,
    streams: num(test.num_streams),
    duration: num(test.duration),
    seconds: num(received?.seconds) ?? num(udp?.seconds),
    sentBitsPerSecond: num(sent?.bits_per_second) ?? num(udp?.bits_per_second),
    receivedBitsPerSecond: num(received?.bits_per_second) ?? (sent ? null : num(udp?.bits_per_second)),
    retransmits: num(sent?.retransmits),
    bytesReceived: num(received?.bytes),
    jitterMs: num(udp?.jitter_ms),
    lostPercent: num(udp?.lost_percent),
  };
}

export interface ThroughputComparison {
  measured: number;
  baseline: number;
  ratio: number | null;
  threshold: number;
  /** null when there is nothing to judge (no baseline, or no measurement). */
  pass: boolean | null;
}

/** measured / baseline, judged against threshold (default 0.9 = within 10% of the baseline). */
export function compareThroughput(measured: number, baseline: number, threshold = 0.9): ThroughputComparison {
  const usable = Number.isFinite(measured) && measured >= 0 && Number.isFinite(baseline) && baseline > 0;
  const ratio = usable ? measured / baseline : null;
  return { measured, baseline, ratio, threshold, pass: ratio === null ? null : ratio >= threshold };
}
