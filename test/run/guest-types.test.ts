import assert from 'node:assert/strict';
import type { Rig } from '../../lib/rig/schema.ts';
import { guestTypeSkipReason, parseGuestTypes } from '../../lib/run/guest-types.ts';

const rig = (types: ('hvm' | 'pv')[], caps: { hvm: boolean; pv: boolean }) =>
  ({ name: 'bench', guests: { types }, capabilities: { iommu: true, ...caps } }) as unknown as Rig;

describe('run/guest-types', () => {
  it('runs a type the rig lists, the board can run and Xen offers directio for', () => {
    assert.equal(
      guestTypeSkipReason(rig(['hvm', 'pv'], { hvm: true, pv: true }), 'hvm', undefined, ['hvm_directio']),
      undefined,
    );
  });

  it('says why a type is left out, in order: rig list, --guests, board, Xen', () => {
    const both = rig(['hvm', 'pv'], { hvm: true, pv: true });
    assert.match(
      guestTypeSkipReason(rig(['pv'], { hvm: true, pv: true }), 'hvm', undefined) ?? '',
      /does not run hvm guests/,
    );
    assert.match(guestTypeSkipReason(both, 'hvm', ['pv']) ?? '', /--guests pv: hvm guests are left out/);
    assert.match(
      guestTypeSkipReason(rig(['hvm'], { hvm: false, pv: true }), 'hvm', undefined) ?? '',
      /cannot run hvm guests/,
    );
    // The bad input: a rig asking for HVM on a board whose xl info lacks hvm_directio.
    assert.equal(
      guestTypeSkipReason(both, 'hvm', undefined, ['pv', 'hvm', 'pv_directio', 'hap']),
      'xl info virt_caps lack hvm_directio: Xen on this board cannot pass devices to HVM guests',
    );
    assert.equal(guestTypeSkipReason(both, 'pv', undefined, ['pv', 'hvm', 'pv_directio', 'hap']), undefined);
  });

  it('parses --guests words and commas, and refuses anything else in one line', () => {
    assert.deepEqual(parseGuestTypes(['hvm,pv']), ['hvm', 'pv']);
    assert.deepEqual(parseGuestTypes(['pv', 'pv']), ['pv']);
    assert.throws(() => parseGuestTypes(['pvh']), /--guests takes hvm and\/or pv, got "pvh"/);
    assert.throws(() => parseGuestTypes([',']), /at least one/);
  });
});
