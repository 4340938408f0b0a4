// What CI shows without the Allure page: the Markdown step summary, the OpenMetrics figures and
// the one-page summary, which must render under Jenkins' default artifact CSP — checked in
// Chromium, served with that very header, against a planted page that breaks it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { markdownSummary, openMetrics, SUMMARY_CSS, summaryPage } from '../../lib/report/ci-summary.ts';
import type { RunSummary } from '../../lib/report/summary-schema.ts';
import { onPath, skipWithout } from '../helpers/tools.ts';

const JENKINS_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'self'";
const chromium = ['chromium', 'chromium-browser'].find(onPath);

const summary = {
  schemaVersion: 2,
  rig: 'apu2-twin',
  startedAt: '2026-12-07T12:00:00.000Z',
  exitCode: 1,
  verdict: 'failed',
  firmware: { version: 'v24.05.00.01', sha256: 'ab'.repeat(32) },
  platform: { xenVersion: '4.17.5', dom0Kernel: '6.1.0-57-amd64' },
  suites: {
    'dma-isolation': { verdict: 'failed', tests: 3, passed: 1, failed: 2, broken: 0, skipped: 0 },
    firmware: { verdict: 'passed', tests: 5, passed: 5, failed: 0, broken: 0, skipped: 0 },
  },
  tests: [
    {
      id: 'dma-isolation/guest-hvm',
      state: 'failed',
      diagnoses: [{ code: 'DMA_NOT_ISOLATED', severity: 'error', owner: 'board', line: 812 }],
    },
    { id: 'firmware/banner-board', state: 'passed', diagnoses: [] },
  ],
  problems: [
    {
      suite: 'dma-isolation',
      test: 'confines | the <NIC>',
      state: 'failed',
      code: 'DMA_NOT_ISOLATED',
      message: 'DMA_NOT_ISOLATED: 0000:00:03.0 reached 0x1234000\nmore',
    },
  ],
  measurements: [
    { suite: 'guest-nic-traffic', name: 'passthrough hvm tx', value: 910, unit: 'Mbit/s' },
    {
      suite: 'guest-nic-traffic',
      name: 'passthrough hvm/baseline tx',
      value: 0.6,
      unit: 'ratio',
      threshold: { min: 0.8 },
      met: false,
    },
  ],
  boot: {
    timings: ['firmware', 'ipxe', 'xen', 'dom0'].map((stage, i) => ({
      stage,
      ms: 1000 * (i + 1),
      attempt: 1,
      boot: 1,
    })),
  },
} as unknown as RunSummary;

/** Serves files from a map with the Jenkins CSP; records what was requested. */
async function serve(files: Record<string, string>): Promise<{ server: Server; base: string; asked: string[] }> {
  const asked: string[] = [];
  const server = createServer((q, r) => {
    const name = (q.url ?? '/').slice(1);
    asked.push(name);
    r.setHeader('Content-Security-Policy', JENKINS_CSP);
    r.setHeader('Content-Type', name.endsWith('.css') ? 'text/css' : 'text/html; charset=utf-8');
    r.statusCode = name in files ? 200 : 404;
    r.end(files[name] ?? '');
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked };
}

/** Chromium's console (CSP violations are reported there) for a page, with the DOM it rendered. */
function open(url: string): Promise<{ log: string; dom: string }> {
  return new Promise((res, rej) => {
    const p = spawn(chromium!, [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--enable-logging=stderr',
      '--v=0',
      '--virtual-time-budget=3000',
      '--dump-dom',
      url,
    ]);
    let log = '';
    let dom = '';
    p.stderr.on('data', (d) => (log += d));
    p.stdout.on('data', (d) => (dom += d));
    p.on('error', rej);
    p.on('close', () => res({ log, dom }));
  });
}

describe('report/ci-summary', function () {
  this.timeout(60_000);

  it('Markdown: verdict, suites, problems with their code, measurements against thresholds; table cells escaped', () => {
    const text = markdownSummary(summary);
    assert.match(text, /^## iommu-lab: ❌ failed on apu2-twin \(exit 1\)/);
    assert.match(text, /^\| dma-isolation \| ❌ failed \| 1 \| 2 \| 0 \| 0 \|$/m);
    assert.match(
      text,
      /^\| failed \| `DMA_NOT_ISOLATED` \| dma-isolation › confines \\\| the \\<NIC\\> \| DMA_NOT_ISOLATED: /m,
    );
    assert.match(
      text,
      /^\| passthrough hvm\/baseline tx \| guest-nic-traffic \| 0\.6 ratio \| ≥ 0\.8 \| \*\*no\*\* \|$/m,
    );
    // Every row of a table has as many cells as its header (an unescaped | would add one).
    for (const table of text.split('\n\n').filter((b) => b.startsWith('|'))) {
      const cells = table
        .split('\n')
        .filter(Boolean)
        .map((l) => l.replace(/\\\|/g, '').split('|').length);
      assert.ok(
        cells.every((n) => n === cells[0]),
        table,
      );
    }
  });

  it('OpenMetrics: one gauge per figure, valid names, TYPE before each sample, # EOF last', () => {
    const text = openMetrics(summary);
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.at(-1), '# EOF');
    const samples = lines.filter((l) => !l.startsWith('#'));
    for (const l of samples) assert.match(l, /^[a-zA-Z_:][a-zA-Z0-9_:]* -?\d+(\.\d+)?$/, l);
    const value = (n: string) => Number(samples.find((l) => l.startsWith(`${n} `))?.split(' ')[1]);
    assert.equal(value('iommu_lab_guest_nic_traffic_passthrough_hvm_tx_mbit_per_second'), 910);
    assert.equal(value('iommu_lab_guest_nic_traffic_passthrough_hvm_baseline_tx_ratio'), 0.6);
    assert.equal(value('iommu_lab_power_on_to_dom0_seconds'), 10);
    assert.equal(value('iommu_lab_tests_failed'), 1);
    for (const [i, l] of lines.entries())
      if (!l.startsWith('#')) assert.ok(lines.slice(0, i).includes(`# TYPE ${l.split(' ')[0]} gauge`), l);
    // A metric declared with a UNIT must end in it (OpenMetrics).
    for (const u of lines.filter((l) => l.startsWith('# UNIT ')))
      assert.ok(u.split(' ')[2]!.endsWith(`_${u.split(' ')[3]}`), u);
  });

  it("the one-page summary renders under Jenkins' CSP in Chromium: its stylesheet loads, nothing is refused", async function () {
    if (!chromium) skipWithout(this, 'no chromium on PATH', 'apt-get install chromium');
    const page = summaryPage(summary, { 'junit.xml': 'junit.xml' });
    assert.doesNotMatch(page, /<script|<style|\sstyle=|https?:\/\//);
    const { server, base, asked } = await serve({ 'summary.html': page, 'summary.css': SUMMARY_CSS });
    try {
      const r = await open(`${base}/summary.html`);
      assert.doesNotMatch(r.log, /Content Security Policy/, r.log.slice(-2000));
      assert.ok(asked.includes('summary.css'), `the stylesheet was not requested: ${asked.join(', ')}`);
      assert.match(r.dom, /DMA_NOT_ISOLATED/);
      assert.match(r.dom, /console\.log:812/);
    } finally {
      server.close();
    }
  });

  it('the CSP check is not blind: a page with inline style is refused', async function () {
    if (!chromium) skipWithout(this, 'no chromium on PATH', 'apt-get install chromium');
    const { server, base } = await serve({ 'bad.html': '<!doctype html><p style="color:red">x</p>' });
    try {
      assert.match(
        (await open(`${base}/bad.html`)).log,
        /violates the following Content Security Policy directive 'style-src 'self''/,
      );
    } finally {
      server.close();
    }
  });
});
