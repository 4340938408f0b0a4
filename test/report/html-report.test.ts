// The HTML report from a real twin run's allure-results: one self-contained index.html that a
// real browser (headless Chromium) opens from disk and shows the suites in, grouped by suite,
// without a single request to the network; no external host in the page; history per rig kept
// once per run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forgetRun, generateHtmlReport } from '../../lib/report/html-report.ts';
import { externalHosts, stripAnalytics } from '../../lib/report/privacy.ts';
import { runDirPaths } from '../../lib/report/run-dir-layout.ts';
import { onPath, skipWithout } from '../helpers/tools.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/report/twin-run1', import.meta.url));
const SUITES = ['firmware', 'iommu-detection', 'device-assignment', 'guest-nic-traffic', 'boot-stability'];
const chromium = ['chromium', 'chromium-browser'].find(onPath);

/** Headless Chromium on a file:// URL; returns the DOM after the app rendered, and its net log. */
function openInChromium(index: string, dir: string, extra: string[] = []) {
  const netlog = join(dir, 'netlog.json');
  const r = spawnSync(
    chromium!,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--virtual-time-budget=10000',
      `--log-net-log=${netlog}`,
      ...extra,
      `file://${index}`,
    ],
    { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
  );
  return { dom: r.stdout, netlog, status: r.status, stderr: r.stderr };
}

/** Requests the page made (the browser's own background requests have no origin). */
function pageRequests(netlog: string): string[] {
  const d = JSON.parse(readFileSync(netlog, 'utf8')) as {
    constants: { logEventTypes: Record<string, number> };
    events: { type: number; params?: { url?: string; initiator?: string } }[];
  };
  const start = d.constants.logEventTypes.URL_REQUEST_START_JOB;
  return d.events
    .filter((e) => e.type === start && /^https?:/.test(e.params?.url ?? '') && e.params?.initiator !== 'not an origin')
    .map((e) => e.params!.url!);
}

describe('report/html-report: the HTML report opens from disk', function () {
  this.timeout(180_000);
  let dir: string;
  let index: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'iommu-lab-html-'));
    cpSync(FIXTURE, join(dir, 'run'), { recursive: true });
    index = await generateHtmlReport(runDirPaths(join(dir, 'run')), { historyPath: null });
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is one self-contained index.html: no widgets/ or scripts beside it to fetch', () => {
    const files = readdirSync(join(dir, 'run', 'allure-report'));
    assert.ok(files.includes('index.html'));
    assert.ok(!files.includes('widgets') && !files.some((f) => f.endsWith('.js')), `files: ${files.join(', ')}`);
    const html = readFileSync(index, 'utf8');
    assert.ok(/<script\s+src="data:text\/javascript;base64,/.test(html), 'the app script is not inlined');
  });

  it('names no external host (Allure 3.18 hard-codes Google Analytics: it is cut out)', () => {
    const html = readFileSync(index, 'utf8');
    assert.deepEqual(externalHosts(html), []);
    assert.doesNotMatch(html, /googletagmanager|gtag\(/);
    // and the stripping is what removed it: the plugin's template does carry it
    const plugin = createRequire(import.meta.url).resolve('@allurereport/plugin-awesome');
    const template = readFileSync(join(dirname(plugin), 'generators.js'), 'utf8');
    assert.match(template, /googletagmanager\.com/, 'the awesome plugin no longer ships analytics: drop the stripping');
  });

  it('stripAnalytics removes the gtag loader and config, externalHosts sees what is left', () => {
    const page = `<div id="app"></div>
    <script async src="https://www.googletagmanager.com/gtag/js?id=G-X"></script>
    <script>
        window.dataLayer = window.dataLayer || [];
        function gtag(){dataLayer.push(arguments);}
        gtag('js', new Date());
        gtag('config', 'G-X', { "report": "awesome" });
    </script>
    <svg xmlns="http://www.w3.org/2000/svg"></svg><a href="https://example.org/x">x</a>`;
    assert.deepEqual(externalHosts(page), ['example.org', 'www.googletagmanager.com']);
    const clean = stripAnalytics(page);
    assert.deepEqual(externalHosts(clean), ['example.org']);
    assert.match(clean, /<svg xmlns/);
  });

  it('keeps one history entry per run: generating the same run again replaces it', async () => {
    const history = join(dir, 'history', 'apu2-twin.jsonl');
    await generateHtmlReport(runDirPaths(join(dir, 'run')), { historyPath: history });
    await generateHtmlReport(runDirPaths(join(dir, 'run')), { historyPath: history });
    const lines = readFileSync(history, 'utf8').trim().split('\n');
    assert.equal(lines.length, 1, 'the same run twice in the history');
    const point = JSON.parse(lines[0]!);
    assert.ok(Object.keys(point.testResults).length >= 20, 'history entry without test results');
    forgetRun(history, point.name);
    assert.equal(readFileSync(history, 'utf8'), '');
  });

  it('shows the suites, grouped by suite name, when Chromium opens it as file://', function () {
    if (!chromium) skipWithout(this, ...NO_CHROMIUM);
    const r = openInChromium(index, dir, ['--dump-dom']);
    assert.equal(r.status, 0, r.stderr.slice(-2000));
    for (const s of SUITES) assert.ok(r.dom.includes(`>${s}<`), `suite "${s}" not on the page`);
    // Grouped by suite: the file-path levels of allure-mocha's titlePath are not tree nodes.
    assert.ok(!r.dom.includes('>firmware.spec.ts<'), 'tree still grouped by file path');
    assert.ok(!r.dom.includes('>suites<'), 'tree still grouped by file path');
    assert.deepEqual(pageRequests(r.netlog), [], 'the page made requests to the network');
  });

  it('notices a page that does call out (the net-log check is not blind)', function () {
    if (!chromium) skipWithout(this, ...NO_CHROMIUM);
    const page = join(dir, 'calls-out.html');
    writeFileSync(page, '<script src="http://127.0.0.1:9/x.js"></script><p>x</p>');
    const r = openInChromium(page, dir, ['--dump-dom']);
    assert.deepEqual(pageRequests(r.netlog), ['http://127.0.0.1:9/x.js']);
  });

  it('writes a screenshot a human can look at (IOMMU_LAB_SCREENSHOT=<file>)', function () {
    const shot = process.env.IOMMU_LAB_SCREENSHOT;
    if (!chromium) skipWithout(this, ...NO_CHROMIUM);
    if (!shot) skipWithout(this, 'opt-in', 'set IOMMU_LAB_SCREENSHOT=/path/shot.png to look at the report');
    openInChromium(index, dir, ['--hide-scrollbars', '--window-size=1400,1000', `--screenshot=${shot}`]);
    assert.ok(existsSync(shot!));
  });
});

const NO_CHROMIUM = ['no chromium on PATH', 'apt-get install chromium'] as const;
