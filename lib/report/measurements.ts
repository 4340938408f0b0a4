// Key measurements with units: shown in the report, written to summary.json, compared by CI.
import * as allure from 'allure-js-commons';
import { reportingEnabled } from '../core/step.ts';

export interface Measurement {
  suite: string;
  name: string;
  value: number;
  unit: string;
  /** What it was judged against, when it was. */
  threshold?: string;
}

const all: Measurement[] = [];

export async function measure(m: Measurement): Promise<void> {
  all.push(m);
  if (reportingEnabled()) await allure.parameter(`${m.name} [${m.unit}]`, String(round(m.value)));
}

export function measurements(): readonly Measurement[] {
  return all;
}

export function resetMeasurements(): void {
  all.length = 0;
}

export function round(v: number): number {
  return Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 1000) / 1000;
}
