// Results across runs from summary.json files alone: a table with a row per run, and a page with
// one trend chart per rig whose points are the runs' figures; unreadable folders are skipped.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSummaries } from '../../../lib/report/across/read-summaries.ts';
import { formatTable, toRow } from '../../../lib/report/across/rows.ts';
import { trendPage } from '../../../lib/report/across/trend-page.ts';
import type { RunSummary } from '../../../lib/report/summary.ts';

function summary(rig: string, startedAt: string, tx: number, verdict = 'passed') {
  return {
    schemaVersion: 2,
    rig,
    startedAt,
    durationMs: 1,
    exitCode: verdict === 'passed' ? 0 : 1,
    verdict,
    firmware: { version: 'v4.19.0.1', sha256: 'ab'.repeat(32) },
    suites: { 'iommu-detection': { verdict, tests: 8 } },
    measurements: [
      { suite: 'guest-nic-traffic', name: 'passthrough tx', value: tx, unit: 'Mbit/s' },
      { suite: 'guest-nic-traffic', name: 'passthrough rx', value: tx / 2, unit: 'Mbit/s' },
    ],
    boot: {
      attempts: 1,
      hangs: [],
      assumed: false,
      timings: ['firmware', 'ipxe', 'xen', 'dom0'].map((stage) => ({ stage, ms: 5000, attempt: 1 })),
    },
    problems: [],
    artifacts: {},
  };
}

describe('report/across: results of many runs', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'iommu-lab-results-'));
    const runs = [
      ['a', summary('apu2-rte', '2026-11-01T10:00:00Z', 900)],
      ['b', summary('apu2-rte', '2026-11-02T10:00:00Z', 700, 'failed')],
      ['c', summary('apu2-twin', '2026-11-01T11:00:00Z', 200)],
    ] as const;
    for (const [name, s] of runs) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'summary.json'), JSON.stringify(s));
    }
    mkdirSync(join(dir, 'broken'));
    writeFileSync(join(dir, 'broken', 'summary.json'), '{"rig":');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every summary in start order and skips the unreadable with a reason', () => {
    const { found, skipped } = readSummaries(['a', 'b', 'c', 'broken', 'missing'].map((n) => join(dir, n)));
    assert.deepEqual(
      found.map((f) => f.summary.startedAt),
      ['2026-11-01T10:00:00Z', '2026-11-01T11:00:00Z', '2026-11-02T10:00:00Z'],
    );
    assert.equal(skipped.length, 2);
    assert.match(skipped.join('\n'), /broken\/summary\.json: .*JSON/);
  });

  it('renders a row per run with its verdicts, throughput and boot time', () => {
    const rows = readSummaries(['a', 'b'].map((n) => join(dir, n))).found.map(toRow);
    const table = formatTable(rows).split('\n');
    assert.equal(table.length, 3);
    assert.match(table[0]!, /started\s+rig\s+build\s+xen\s+verdict\s+iommu-detection\s+pt tx\s+pt rx\s+boot s/);
    assert.match(table[1]!, /apu2-rte\s+v4\.19\.0\.1\s+-\s+passed\s+pass\s+900\s+450\s+20\.0/);
    assert.match(table[2]!, /failed\s+FAIL\s+700\s+350/);
  });

  it('draws one trend section per rig, a point per run, and calls out to no host', () => {
    const rows = readSummaries(['a', 'b', 'c'].map((n) => join(dir, n))).found.map(toRow);
    const html = trendPage(rows, formatTable(rows));
    assert.equal(html.match(/<section>/g)?.length, 2);
    const rte = html.slice(html.indexOf('apu2-rte —'), html.indexOf('apu2-twin —'));
    const firstLine = /<polyline[^>]*points="([^"]*)"/.exec(rte)![1]!.trim().split(' ');
    assert.equal(firstLine.length, 2, 'one point per apu2-rte run');
    // The 900 Mbit/s run sits higher (smaller y) than the 700 Mbit/s one.
    const [y1, y2] = firstLine.map((p) => Number(p.split(',')[1]));
    assert.ok(y1! < y2!);
    assert.doesNotMatch(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, ''), /https?:\/\//);
  });

  it("shows the series the traffic suite records (hvm, pv, netfront, dom0 baseline), not an empty 'passthrough tx'", () => {
    const m = (name: string, value: number) => ({ suite: 'guest-nic-traffic', name, value, unit: 'Mbit/s' });
    const summary = {
      rig: 'apu2-rte',
      startedAt: '2026-12-01T10:00:00Z',
      verdict: 'passed',
      firmware: { version: 'v24.05.00.01' },
      suites: { 'guest-nic-traffic': { verdict: 'passed' } },
      measurements: [
        m('dom0 baseline tx', 940),
        m('passthrough pv tx', 610),
        m('passthrough hvm tx', 910),
        m('pv netfront tx', 300),
        m('passthrough hvm rx', 905),
        {
          suite: 'guest-nic-traffic',
          name: 'passthrough hvm/baseline tx',
          value: 0.97,
          unit: 'ratio',
          threshold: { min: 0.8 },
        },
        {
          suite: 'guest-nic-traffic',
          name: 'passthrough pv/baseline tx',
          value: 0.65,
          unit: 'ratio',
          threshold: { min: 0.5 },
        },
      ],
    } as unknown as RunSummary;
    const rows = [{ ...toRow({ path: 'x/summary.json', summary }), report: 'x/allure-report/index.html' }];
    const [head, row] = formatTable(rows).split('\n');
    assert.match(head!, /verdict\s+guest-nic-traffic\s+hvm tx\s+hvm rx\s+pv tx\s+netfront tx\s+dom0 tx\s+boot s$/);
    assert.match(row!, /passed\s+pass\s+910\s+905\s+610\s+300\s+940\s+-$/);
    const html = trendPage(rows, formatTable(rows));
    for (const name of [
      'passthrough hvm tx',
      'passthrough pv tx',
      'pv netfront tx',
      'dom0 baseline tx',
      'passthrough hvm rx',
    ])
      assert.ok(html.includes(`■ ${name}<`), `no ${name} series`);
    // The threshold: the smallest ratio minimum times the dom0 baseline (0.5 × 940), dashed.
    assert.match(html, /stroke-dasharray="6 4" points="[\d.]+,[\d.]+"/);
    assert.ok(html.includes('- - threshold (rig ratio × dom0 tx)<'));
    const chart = /<svg[^>]*aria-label="throughput tx"[\s\S]*?<\/svg>/.exec(html)![0];
    const [max, y] = [Number(/text-anchor="end">(\d+)<\/text>/.exec(chart)![1]), chart];
    assert.ok(max >= 940 && y.includes('polyline'));
    // No legend entry runs off the chart's 640 px.
    for (const t of chart.matchAll(/<text x="(\d+)" y="\d+" fill="[^"]+">(?:■|- -) ([^<]+)</g))
      assert.ok(Number(t[1]) + 16 + t[2]!.length * 7 <= 640, `legend "${t[2]}" clipped at x=${t[1]}`);
    // The runs table: a verdict colour per cell and a link to the run's report.
    assert.match(html, /<td class="passed">passed<\/td>/);
    assert.match(html, /<a href="x\/allure-report\/index\.html">report<\/a>/);
    assert.match(html, /\.runs\{overflow-x:auto/);
  });

  it('one build on Xen 4.17 and 4.20 side by side (its latest run on each), in the table and on the page', () => {
    const run = (rig: string, at: string, build: string, xen: string, hvm: number, verdict = 'passed') =>
      toRow({
        path: `${rig}-${at}/summary.json`,
        summary: {
          rig,
          startedAt: at,
          verdict,
          firmware: { version: build },
          platform: { xenVersion: xen },
          suites: {},
          measurements: [{ suite: 'guest-nic-traffic', name: 'passthrough hvm tx', value: hvm, unit: 'Mbit/s' }],
        } as unknown as RunSummary,
      });
    const rows = [
      run('apu2-twin', '2026-12-01T10:00:00Z', 'v4.19.0.1', '4.17.5', 100, 'failed'),
      run('apu2-twin-xen420', '2026-12-01T11:00:00Z', 'v4.19.0.1', '4.20.0', 120),
      run('apu2-twin', '2026-12-02T10:00:00Z', 'v4.19.0.1', '4.17.7', 110),
      run('apu2-twin', '2026-12-03T10:00:00Z', 'v24.05.00.01', '4.17.7', 90),
    ];
    const text = formatTable(rows);
    assert.match(text, /^build\s+Xen 4\.17\s+Xen 4\.20$/m);
    assert.match(text, /^v4\.19\.0\.1\s+passed \(hvm 110, pv - tx\)\s+passed \(hvm 120, pv - tx\)$/m);
    assert.match(text, /^v24\.05\.00\.01\s+passed \(hvm 90\.0, pv - tx\)\s+-$/m);
    const html = trendPage(rows.map((r) => ({ ...r, report: `${r.path}/../allure-report/index.html` })));
    const grid = html.slice(html.indexOf('By build and Xen'));
    assert.match(grid, /<th>Xen 4\.17<\/th><th>Xen 4\.20<\/th>/);
    assert.match(
      grid,
      /<tr><td>v4\.19\.0\.1<\/td><td class="passed"><a href="apu2-twin-2026-12-02T10:00:00Z\/summary\.json\/\.\.\/allure-report\/index\.html">passed — hvm 110 Mbit\/s tx<\/a><\/td><td class="passed"><a [^>]*>passed — hvm 120 Mbit\/s tx<\/a><\/td><\/tr>/,
    );
    // One Xen line only: no such table.
    assert.ok(!trendPage(rows.slice(2, 3)).includes('By build and Xen'));
  });

  it('marks a passthrough figure below the threshold (ratio × dom0 baseline) in the runs table', () => {
    const summary = {
      rig: 'r',
      startedAt: '2026-12-01T10:00:00Z',
      verdict: 'failed',
      firmware: { version: 'v1' },
      suites: {},
      measurements: [
        { suite: 'g', name: 'dom0 baseline tx', value: 900, unit: 'Mbit/s' },
        { suite: 'g', name: 'passthrough hvm tx', value: 500, unit: 'Mbit/s' },
        { suite: 'g', name: 'passthrough hvm/baseline tx', value: 0.55, unit: 'ratio', threshold: { min: 0.8 } },
      ],
    } as unknown as RunSummary;
    const html = trendPage([toRow({ path: 's.json', summary })]);
    assert.match(html, /<td class="num failed" title="threshold 720 Mbit\/s">500<\/td>/);
    assert.match(html, /<td class="num">900<\/td>/, 'the baseline is not judged');
  });
});
