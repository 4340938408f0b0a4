// Suites are found, not listed: every spec file in suites/ declares its own name and order, and
// the README's suite table must name exactly those suites.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { discoverSuites, selectSuites } from '../../lib/mocha/suites.ts';

const README = resolve(import.meta.dirname, '../../README.md');

describe('run/suites', () => {
  it('finds every suite in suites/, in its declared order, each with what it proves', async () => {
    const found = await discoverSuites();
    const names = found.map((s) => s.meta.name);
    assert.ok(names.length >= 5, `only ${names.length} suites found`);
    assert.deepEqual(names.slice(0, 2), ['firmware', 'iommu-detection'], 'cheap evidence first');
    const orders = found.map((s) => s.meta.order);
    assert.deepEqual(
      orders,
      [...orders].sort((a, b) => a - b),
    );
    for (const s of found) assert.ok(s.meta.proves.length > 20, `${s.meta.name} does not say what it proves`);
  });

  it("matches the README's suite table", async () => {
    const table = readFileSync(README, 'utf8')
      .split('\n')
      .map((l) => /^\| `([a-z0-9-]+)` \|/.exec(l)?.[1])
      .filter((n): n is string => Boolean(n));
    const names = (await discoverSuites()).map((s) => s.meta.name);
    assert.deepEqual([...table].sort(), [...names].sort());
  });

  it('refuses an unknown suite name with the list of known ones', async () => {
    await assert.rejects(selectSuites(['firmwar']), (e: Error) => {
      assert.equal(e.name, 'UsageError');
      assert.match(e.message, /unknown suite "firmwar" \(suites: firmware, iommu-detection/);
      return true;
    });
  });

  it('keeps the run order whatever order --suite names them in', async () => {
    const picked = await selectSuites(['boot-stability', 'firmware']);
    assert.deepEqual(
      picked.map((s) => s.meta.name),
      ['firmware', 'boot-stability'],
    );
  });

  it('refuses a spec file that does not export a suite definition', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iommu-lab-suites-'));
    try {
      writeFileSync(join(dir, 'stray.spec.ts'), 'export const x = 1;\n');
      await assert.rejects(discoverSuites(dir), /stray\.spec\.ts: does not export default defineSuite/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
