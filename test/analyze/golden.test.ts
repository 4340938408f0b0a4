// Equivalence: `analyze` gives the same boots, kinds, facts and findings on every log fixture as
// the golden files written by the reader before the #26 speed work (test/analyze/golden.ts).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { goldenDir, goldenInputs, goldenText } from './golden.ts';

describe('analyze/golden', () => {
  const inputs = goldenInputs();

  it('has a golden report for every text log fixture and no stale one', () => {
    assert.ok(inputs.size >= 30, `only ${inputs.size} inputs`);
    const files = readdirSync(goldenDir).filter((f) => f.endsWith('.json'));
    assert.deepEqual(files.sort(), [...inputs.keys()].map((n) => `${n}.json`).sort());
  });

  for (const [name, buf] of inputs)
    it(`${name}: the same boots, facts and findings as the golden report`, async () => {
      const path = join(goldenDir, `${name}.json`);
      assert.ok(existsSync(path), `no golden report ${path}`);
      assert.equal(await goldenText(buf), readFileSync(path, 'utf8'));
    });
});
