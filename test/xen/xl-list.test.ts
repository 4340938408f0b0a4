import assert from 'node:assert/strict';
import { parseXlList } from '../../lib/xen/xl-list.ts';

describe('xen/xl-list', () => {
  it('reads the blog post output, names with spaces, and skips noise', () => {
    const text = [
      'Name                                        ID   Mem VCPUs      State   Time(s)',
      'Domain-0                                     0   512     4     r-----     448.3',
      'pfSense-2.4.3                                8  2048     2     r-----      29.5',
      '[  136.778839] igb 0000:02:00.0: removed PHC on enp2s0',
      'my guest                                    12   256     1     -b----       1.0',
    ].join('\r\n');
    assert.deepEqual(parseXlList(text), [
      { name: 'Domain-0', id: 0, memMiB: 512, vcpus: 4, state: 'r-----', timeS: 448.3 },
      { name: 'pfSense-2.4.3', id: 8, memMiB: 2048, vcpus: 2, state: 'r-----', timeS: 29.5 },
      { name: 'my guest', id: 12, memMiB: 256, vcpus: 1, state: '-b----', timeS: 1 },
    ]);
  });
  it('returns nothing for unrelated text', () => {
    assert.deepEqual(parseXlList('Name ID\nfoo bar'), []);
  });
});
