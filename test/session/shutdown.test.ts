// A crash that is the host's (a full disk under a library's report writer) is one line, exit 2,
// after the cleanup ran; a real bug still shows its stack. Real child processes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const shutdown = join(import.meta.dirname, '../../lib/session/shutdown.ts');

function crashWith(make: string): { code: number | null; err: string } {
  const script = `
    const { onShutdown } = await import(${JSON.stringify(shutdown)});
    onShutdown(async () => console.error('cleanup ran'));
    setTimeout(() => {}, 5000);
    Promise.reject(${make});
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  return { code: r.status, err: r.stderr };
}

describe('session/shutdown: a crash', function () {
  this.timeout(30_000);

  it('a full disk (ENOSPC from any writer) is one REPORT_WRITE line, no stack, exit 2, cleanup done', () => {
    const r = crashWith(
      `Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', path: '/r/allure-results/x.json' })`,
    );
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /host error \(REPORT_WRITE\): cannot write \/r\/allure-results\/x\.json: no space left/);
    assert.doesNotMatch(r.err, /^\s+at /m);
    assert.match(r.err, /cleanup ran/);
  });

  it('a bug keeps its stack (it is iommu-lab to fix), exit 2, cleanup done', () => {
    const r = crashWith(`new TypeError('x is undefined')`);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /crashed \(unhandled rejection\): TypeError: x is undefined\n\s+at /);
    assert.match(r.err, /cleanup ran/);
  });
});
