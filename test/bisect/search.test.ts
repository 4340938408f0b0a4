// The bisect search against every position of the first bad build, with a counter of tests,
// and with untestable builds in the way.
import assert from 'node:assert/strict';
import { type BuildVerdict, bisect } from '../../lib/bisect/search.ts';

const ceilLog2 = (n: number) => Math.ceil(Math.log2(n));

describe('bisect/search', () => {
  for (const n of [2, 3, 6, 7, 16, 33])
    it(`finds the first bad of ${n} builds wherever it is, in at most ⌈log2 ${n}⌉ tests`, async () => {
      for (let firstBad = 1; firstBad < n; firstBad++) {
        let tests = 0;
        const r = await bisect(n, async (i) => {
          tests++;
          assert.ok(i > 0 && i < n - 1, `tested a build whose verdict is known (${i})`);
          return i >= firstBad ? 'bad' : 'good';
        });
        assert.equal(r.firstBad, firstBad);
        assert.equal(r.lastGood, firstBad - 1);
        assert.ok(tests <= ceilLog2(n), `${tests} tests for n=${n}, first bad ${firstBad}`);
      }
    });

  it('six twin builds, IOMMU off from the fourth on: the fourth, in three tests or fewer', async () => {
    const r = await bisect(6, async (i) => (i >= 3 ? 'bad' : 'good'));
    assert.equal(r.firstBad, 3);
    assert.ok(r.tested.length <= 3);
  });

  it('never counts an untestable build as bad: it tries a neighbour instead', async () => {
    const verdicts: BuildVerdict[] = ['good', 'good', 'good', 'untestable', 'good', 'good', 'bad', 'bad'];
    const r = await bisect(8, async (i) => verdicts[i]!);
    assert.equal(r.firstBad, 6);
    assert.ok(r.tested.some((t) => t.verdict === 'untestable'));
  });

  it('reports the candidates when untestable builds hide the first bad one', async () => {
    const verdicts: BuildVerdict[] = ['good', 'good', 'untestable', 'bad', 'bad'];
    const r = await bisect(5, async (i) => (i === 3 ? 'untestable' : verdicts[i]!));
    assert.equal(r.firstBad, undefined);
    assert.deepEqual(r.candidates, [2, 3, 4]);
    assert.equal(r.lastGood, 1);
  });
});
