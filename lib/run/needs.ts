// What a suite needs of the rig to mean anything (its definition's `needs`), checked in one
// place: a rig without it skips every test of the suite with the reason, and none of the suite's
// own hooks runs (no guest started, no NIC seized for nothing); each test still reports under its
// own title and id, so the history stays whole.
import type { Rig } from '../rig/schema.ts';
import { skipBecause } from './suite-kit.ts';

export type Need = 'passthroughNic' | 'traffic' | 'guests';

const MISSING: Record<Need, (rig: Rig) => string | undefined> = {
  passthroughNic: (r) =>
    r.capabilities.passthroughNic ? undefined : `rig ${r.name} names no passthroughNic (capabilities.passthroughNic)`,
  traffic: (r) => (r.traffic ? undefined : `rig ${r.name} has no traffic section (the iperf3 peer)`),
  guests: (r) => (r.guests ? undefined : `rig ${r.name} has no guests section (no guest can be started)`),
};

/** Why this rig cannot run a suite that needs these, or undefined when it can. */
export function unmetNeed(rig: Rig, needs: readonly Need[] = []): string | undefined {
  for (const n of needs) {
    const why = MISSING[n](rig);
    if (why) return why;
  }
  return undefined;
}

const NAMES = ['it', 'before', 'beforeEach', 'after', 'afterEach'] as const;
type Globals = Record<(typeof NAMES)[number], unknown>;

/**
 * Runs a suite's body with mocha's globals changed so that every test it declares skips with
 * `reason` and none of its hooks is declared. (Mocha binds the globals per file at pre-require.)
 */
export function declareSkipped(reason: string, declare: () => void): void {
  const g = globalThis as unknown as Globals;
  const saved = Object.fromEntries(NAMES.map((n) => [n, g[n]])) as Globals;
  const it = saved.it as (title: string, fn: (this: Mocha.Context) => void) => Mocha.Test;
  g.it = (title: string) =>
    it(title, function () {
      skipBecause(this, `skipped: ${reason}`);
    });
  for (const hook of NAMES.slice(1)) g[hook] = () => {};
  try {
    declare();
  } finally {
    Object.assign(g, saved);
  }
}
