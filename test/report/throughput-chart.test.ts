// The throughput chart: every series in the reader's order, the threshold drawn on each
// passthrough bar where the rig's ratio puts it, and no text running off the picture.
import assert from 'node:assert/strict';
import { textWidth } from '../../lib/report/bar-chart.ts';
import { throughputChart } from '../../lib/report/throughput-chart.ts';

const results = {
  'passthrough pv': { tx: 610e6, rx: 600e6 },
  'dom0 baseline': { tx: 940e6, rx: 930e6 },
  'pv netfront': { tx: 300e6, rx: 280e6 },
  'passthrough hvm': { tx: 1234.5e6, rx: 905e6 },
};

describe('report/throughput-chart', () => {
  const svg = throughputChart(results, 0.8);
  const width = Number(/<svg[^>]*width="(\d+)"/.exec(svg)![1]);

  it('shows every series, tx then rx, in the order a reader compares them', () => {
    const labels = [...svg.matchAll(/text-anchor="end">([^<]+)</g)].map((m) => m[1]);
    assert.deepEqual(labels, [
      'dom0 baseline tx',
      'passthrough hvm tx',
      'passthrough pv tx',
      'pv netfront tx',
      'dom0 baseline rx',
      'passthrough hvm rx',
      'passthrough pv rx',
      'pv netfront rx',
    ]);
  });

  it('draws the threshold (ratio × dom0 baseline) on the passthrough bars only, and says what it is', () => {
    const marks = [...svg.matchAll(/<title>threshold ([\d.]+) Mbit\/s<\/title>/g)].map((m) => m[1]);
    assert.deepEqual(marks, ['752.0', '752.0', '744.0', '744.0']);
    assert.ok(svg.includes('- - threshold: 0.8 × the dom0 baseline<'));
    assert.ok(!throughputChart(results).includes('<title>threshold'), 'no ratio, no line');
  });

  it('clips no label: every text ends inside the picture', () => {
    for (const t of svg.matchAll(/<text x="([\d.]+)"[^>]*?(text-anchor="end")?[^>]*>([^<]+)</g)) {
      const [x, end, text] = [Number(t[1]), t[2], t[3]!];
      const [from, to] = end ? [x - textWidth(text), x] : [x, x + textWidth(text)];
      assert.ok(from >= 0 && to <= width, `"${text}" runs from ${from} to ${to} in ${width} px`);
    }
  });
});
