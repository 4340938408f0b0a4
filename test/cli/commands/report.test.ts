// `report --open` still works with the single-file report: it generates, then serves the report
// and hands its URL to the desktop's browser (here a stand-in named by $BROWSER, as xdg-open
// honours it), and that URL serves the report.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from '../../../lib/core/time.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURE = join(root, 'test/fixtures/report/twin-run1');

describe('cli/commands/report --open', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'iommu-lab-report-open-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the generated report and opens its URL in the browser', async () => {
    cpSync(FIXTURE, join(dir, 'run'), { recursive: true });
    const urlFile = join(dir, 'opened-url');
    const browser = join(dir, 'browser.sh');
    writeFileSync(browser, `#!/bin/sh\nprintf '%s' "$1" > ${JSON.stringify(urlFile)}\n`);
    chmodSync(browser, 0o755);
    const p = spawn(
      process.execPath,
      ['bin/iommu-lab.js', 'report', '--dir', join(dir, 'run'), '--open', '--no-history'],
      {
        cwd: root,
        env: { ...process.env, BROWSER: browser, DISPLAY: '' },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    try {
      for (let i = 0; i < 900 && !existsSync(urlFile); i++) await sleep(100);
      assert.ok(existsSync(urlFile), `no browser was asked to open the report:\n${out}`);
      const url = readFileSync(urlFile, 'utf8');
      assert.match(url, /^http:\/\/(localhost|127\.0\.0\.1):\d+/);
      const res = await fetch(url);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /window\.allureReportOptions/);
      assert.match(out, /report: .*allure-report\/index\.html/);
    } finally {
      process.kill(-p.pid!, 'SIGTERM');
    }
  });
});
