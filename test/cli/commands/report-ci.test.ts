// `report --page --metrics --markdown --no-html`: the CI files from summary.json as a real
// process; the Markdown is appended ($GITHUB_STEP_SUMMARY holds other steps' too).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../helpers/temp-dir.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('cli/commands/report: the CI files', function () {
  this.timeout(60_000);

  it('writes summary.html + summary.css, OpenMetrics and appends Markdown, without Allure', () => {
    const dir = tempDir('report-ci-');
    const run = join(dir, 'run');
    mkdirSync(run);
    const summary = {
      schemaVersion: 2,
      rig: 'apu2-twin',
      startedAt: '2026-12-07T12:00:00.000Z',
      exitCode: 0,
      verdict: 'passed',
      firmware: { version: 'v24.05.00.01', settings: {}, warnings: [] },
      platform: { xenVersion: '4.17.5', dom0Kernel: null },
      suites: { firmware: { verdict: 'passed', tests: 1, passed: 1, failed: 0, broken: 0, skipped: 0 } },
      tests: [{ id: 'firmware/no-hang', state: 'passed', diagnoses: [] }],
      problems: [],
      measurements: [],
    };
    writeFileSync(join(run, 'summary.json'), JSON.stringify(summary));
    const md = join(dir, 'step-summary.md');
    writeFileSync(md, '## an earlier step\n');
    const r = spawnSync(
      process.execPath,
      [
        'bin/iommu-lab.js',
        'report',
        '--dir',
        run,
        '--no-html',
        '--page',
        '--metrics',
        join(dir, 'metrics.txt'),
        '--markdown',
        md,
      ],
      { cwd: root, encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(join(run, 'summary.css')));
    assert.match(readFileSync(join(run, 'summary.html'), 'utf8'), /<link rel="stylesheet" href="summary\.css">/);
    assert.match(readFileSync(join(dir, 'metrics.txt'), 'utf8'), /^iommu_lab_tests_passed 1$/m);
    assert.match(readFileSync(md, 'utf8'), /^## an earlier step\n## iommu-lab: ✅ passed on apu2-twin/);
    assert.ok(!existsSync(join(run, 'allure-report')), '--no-html made the Allure report');
  });

  it("--earlier-attempt: a retried job's junit.xml carries the first attempt (flaky, rerun); a missing folder is exit 2", () => {
    const dir = tempDir('report-attempt-');
    const [first, second] = [join(dir, 'attempt-1'), join(dir, 'attempt-2')];
    mkdirSync(first);
    mkdirSync(second);
    const test = { suite: 'firmware', title: 'booted without hanging', id: 'firmware/no-hang', diagnoses: [] };
    writeFileSync(
      join(first, 'summary.json'),
      JSON.stringify({ tests: [{ ...test, state: 'broken', message: 'console lost', code: 'CONSOLE_LOST' }] }),
    );
    writeFileSync(
      join(second, 'junit.xml'),
      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="x" time="1.000" tests="1" failures="0" errors="0">\n  <testsuite name="firmware" tests="1" failures="0" errors="0" skipped="0" time="1.000" timestamp="2026-12-07T12:00:00" hostname="h">\n    <testcase classname="firmware" name="booted without hanging" time="1.000"/>\n  </testsuite>\n</testsuites>\n',
    );
    const report = (...args: string[]) =>
      spawnSync(process.execPath, ['bin/iommu-lab.js', 'report', '--dir', second, '--no-html', ...args], {
        cwd: root,
        encoding: 'utf8',
      });
    const r = report('--earlier-attempt', first);
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      readFileSync(join(second, 'junit.xml'), 'utf8'),
      /<testcase classname="firmware" name="booted without hanging" time="1\.000"><flakyError message="console lost" type="CONSOLE_LOST">/,
    );
    assert.equal(report('--earlier-attempt', join(dir, 'attempt-0')).status, 2);
  });
});
