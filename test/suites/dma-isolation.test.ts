// The quarantine context must be the suite's last test: it makes the quarantined NIC's DMA fault,
// which locks some hosts up (Xen docs/misc/xen-command-line.pandoc, iommu=quarantine), and nothing
// of the suite may depend on a board that may be gone. The suite's body is declared into a
// Mocha suite of its own (never run) and its tests read in order.
import assert from 'node:assert/strict';
import Mocha from 'mocha';
import type { Run } from '../../lib/run/run.ts';
import suite, { QUARANTINE_TEST } from '../../suites/dma-isolation.spec.ts';

/** The titles of the tests the suite declares, in the order mocha runs them. */
function declaredTests(): string[] {
  const mocha = new Mocha();
  const g = globalThis as Record<string, unknown>;
  const saved = Object.fromEntries(
    ['describe', 'it', 'before', 'after', 'beforeEach', 'afterEach'].map((k) => [k, g[k]]),
  );
  try {
    mocha.suite.emit('pre-require', globalThis, 'dma-isolation.spec.ts', mocha);
    // The body only declares (the rig as its needs want it); the run is read inside hooks and
    // tests, which are never run here.
    suite.body({ rig: { capabilities: { passthroughNic: '02:00.0' } }, opts: {} } as unknown as Run);
  } finally {
    Object.assign(g, saved);
  }
  const titles: string[] = [];
  const walk = (s: Mocha.Suite) => {
    for (const t of s.tests) titles.push(t.title);
    for (const c of s.suites) walk(c);
  };
  walk(mocha.suite);
  return titles;
}

describe('suites/dma-isolation', () => {
  it('runs the quarantine context last, after every guest context', () => {
    const titles = declaredTests();
    assert.ok(titles.length >= 3, `only ${titles.length} tests declared`);
    assert.equal(titles.at(-1), QUARANTINE_TEST);
    assert.equal(titles.filter((t) => t === QUARANTINE_TEST).length, 1);
    assert.ok(
      titles.slice(0, -1).every((t) => /guest that owns it/.test(t)),
      titles.join(' | '),
    );
  });
});
