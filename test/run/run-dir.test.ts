import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRunDir } from '../../lib/run/run-dir.ts';
import { tempDir } from '../helpers/temp-dir.ts';

describe('session/run-dir', () => {
  it('reports/latest is a relative link to the newest run: it survives the folder being copied or mounted elsewhere', () => {
    const here = process.cwd();
    const dir = tempDir('run-dir-');
    process.chdir(dir);
    try {
      const run = createRunDir('apu2-rte');
      const link = readlinkSync(join(dir, 'reports', 'latest'));
      assert.ok(!link.startsWith('/'), link);
      assert.match(link, /-apu2-rte$/);
      assert.equal(realpathSync(join(dir, 'reports', 'latest')), realpathSync(run.root));
    } finally {
      process.chdir(here);
    }
  });

  it('leaves a real folder at reports/latest alone and still makes the run folder (#24 N11)', () => {
    const here = process.cwd();
    const dir = tempDir('run-dir-');
    process.chdir(dir);
    try {
      // What a CI artifact restore makes of the link: a copy of the run it pointed at.
      mkdirSync(join(dir, 'reports', 'latest'), { recursive: true });
      writeFileSync(join(dir, 'reports', 'latest', 'summary.json'), '{}');
      const run = createRunDir('apu2-rte');
      assert.ok(existsSync(run.allureResults));
      assert.equal(readFileSync(join(dir, 'reports', 'latest', 'summary.json'), 'utf8'), '{}');
    } finally {
      process.chdir(here);
    }
  });

  it("moves an earlier run's allure-results aside in a reused --report-dir (#24 N10)", () => {
    const dir = tempDir('run-dir-');
    const first = createRunDir('apu2-rte', join(dir, 'r'));
    writeFileSync(join(first.allureResults, 'old-result.json'), '{"cut');
    const second = createRunDir('apu2-rte', join(dir, 'r'));
    assert.deepEqual(readdirSync(second.allureResults), []);
    const aside = readdirSync(join(dir, 'r')).filter((f) => f.startsWith('allure-results.before-'));
    assert.equal(aside.length, 1);
    assert.deepEqual(readdirSync(join(dir, 'r', aside[0]!)), ['old-result.json']);
  });
});
