// The measurements of one run — never another run's, even in the same process: each belongs to
// the test that was running when it was taken (the collector says which, from mocha's events),
// shows as a step on that test, and is kept for summary.json, JUnit and Allure's metrics.
import * as allure from 'allure-js-commons';
import { recording } from '../core/step.ts';
import { formatMeasurement, type Measurement, type Recorded, toThreshold } from '../report/measurements.ts';

export class RunMeasurements {
  private readonly all: Recorded[] = [];
  /** The test running now; undefined in a hook. */
  private current?: string;

  /** Which test the measurements taken from now on belong to (undefined: none, e.g. a hook). */
  testing(titlePath: string | undefined): void {
    this.current = titlePath;
  }

  async record(m: Measurement): Promise<void> {
    const r: Recorded = { ...m, threshold: toThreshold(m.threshold), at: Date.now() };
    if (r.threshold === undefined) delete r.threshold;
    if (this.current) r.test = this.current;
    this.all.push(r);
    if (recording()) await allure.logStep(`measured: ${formatMeasurement(r)}`);
  }

  list(): readonly Recorded[] {
    return this.all;
  }
}
