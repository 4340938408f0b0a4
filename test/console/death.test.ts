import assert from 'node:assert/strict';
import { DEFAULT_DEATH_PATTERNS } from '../../lib/console/death.ts';
import { logFixture } from '../fixtures/logs.ts';

const hits = (line: string) => DEFAULT_DEATH_PATTERNS.some((p) => p.test(line));

describe('console/death', () => {
  it('stays quiet over a real healthy apu2 Xen boot log', () => {
    const log = logFixture('apu2-xen-4.8.3-iommu-enabled.xl-dmesg.log');
    for (const line of log.split('\n')) assert.ok(!hits(`${line}\r\n`), line);
  });

  it('recognises Xen and Linux deaths with and without Xen timestamps', () => {
    for (const line of [
      '(XEN) Panic on CPU 0:',
      '(XEN) [  12.345678] Panic on CPU 1:',
      '(XEN) [2018-03-02 16:10:09] Panic on CPU 3:',
      '(XEN) Xen BUG at drivers/passthrough/amd/iommu_map.c:123',
      '(XEN) [    1.000000] ****************************************\r\n',
      '[    3.141593] Kernel panic - not syncing: Attempted to kill init!',
    ])
      assert.ok(hits(line), line);
    assert.ok(!hits('(XEN) ***************************************************\r\n'), 'WARNING banner');
  });
});
