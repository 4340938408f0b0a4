// Key measurements with units (what one is, how it is judged and shown; a run keeps its own in
// lib/run/measurements.ts): shown where the test is (one step each: "passthrough tx =
// 208.3 Mbit/s (threshold ≥ 150)"), written to summary.json with numeric thresholds, and handed
// to Allure as metrics so its history shows their trend per rig. Never Allure *parameters*:
// those are part of a test's history id, which would change with every measured value.

/** Limits in the measurement's own unit; a value passes when min ≤ value ≤ max. */
export interface Threshold {
  min?: number;
  max?: number;
}

export interface Measurement {
  suite: string;
  name: string;
  value: number;
  unit: string;
  /** What it was judged against, when it was. (A string such as "≥ 0.8" is read as { min: 0.8 }.) */
  threshold?: Threshold | string;
  /** Which way is better, for trends: throughput 'higher', boot time 'lower'. */
  better?: 'higher' | 'lower';
}

/** A measurement as recorded: threshold as numbers, when it was taken, and by which test. */
export interface Recorded extends Omit<Measurement, 'threshold'> {
  threshold?: Threshold;
  at: number;
  /** The title path (" > ") of the test that took it: its JUnit system-out lists it. */
  test?: string;
}

/** Reads the older text form ("≥ 0.8", ">= 0.8", "≤ 90"); anything else is no threshold. */
export function toThreshold(t: Threshold | string | undefined): Threshold | undefined {
  if (t === undefined || typeof t === 'object') return t;
  const m = /^\s*(≥|>=|≤|<=)\s*(-?\d+(?:\.\d+)?)/.exec(t);
  if (!m) return undefined;
  return m[1] === '≥' || m[1] === '>=' ? { min: Number(m[2]) } : { max: Number(m[2]) };
}

const BETTER: Record<string, 'higher' | 'lower'> = { 'Mbit/s': 'higher', ratio: 'higher', s: 'lower', count: 'lower' };

/** Which way is better: as the suite said, else from the unit (throughput up, time down). */
export function betterOf(m: Pick<Measurement, 'better' | 'unit'>): 'higher' | 'lower' | undefined {
  return m.better ?? BETTER[m.unit];
}

export function meets(value: number, t: Threshold | undefined): boolean | undefined {
  if (!t) return undefined;
  return (t.min === undefined || value >= t.min) && (t.max === undefined || value <= t.max);
}

export function describeThreshold(t: Threshold | undefined, unit = ''): string {
  if (!t) return 'no threshold';
  const u = unit && unit !== 'ratio' ? ` ${unit}` : '';
  const parts = [t.min !== undefined ? `≥ ${t.min}${u}` : '', t.max !== undefined ? `≤ ${t.max}${u}` : ''];
  return parts.filter(Boolean).join(' and ');
}

/** "passthrough tx = 208.3 Mbit/s (threshold ≥ 150 Mbit/s: met)" */
export function formatMeasurement(m: Omit<Recorded, 'at'>): string {
  const ok = meets(m.value, m.threshold);
  const judged = m.threshold
    ? ` (threshold ${describeThreshold(m.threshold, m.unit)}: ${ok ? 'met' : 'NOT met'})`
    : ' (no threshold)';
  return `${m.name} = ${round(m.value)} ${m.unit}${judged}`;
}

export function round(v: number): number {
  return Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 1000) / 1000;
}
