import assert from 'node:assert/strict';
import {
  DASHARO_VARS_GUID,
  NETWORK_BOOT,
  NETWORK_BOOT_ATTRIBUTES,
  networkBootIn,
  networkBootOf,
  networkBootVariable,
} from '../../lib/uefi/dasharo.ts';
import { VarStoreError } from '../../lib/uefi/varstore.ts';
import { formatVarStore, setVariable } from '../../lib/uefi/varstore-write.ts';

const SIZE = 256 * 1024;

describe('lib/uefi/dasharo', () => {
  it("reads NetworkBoot as Dasharo's boot manager does: one byte, non-zero is on", () => {
    assert.deepEqual(
      [
        networkBootOf(Buffer.from([2])),
        networkBootOf(Buffer.from([0])),
        networkBootOf(Buffer.from([1, 0])),
        networkBootOf(undefined),
      ],
      [true, false, undefined, undefined],
    );
  });

  it("the variable: Dasharo's GUID, one byte, NV|BS as Dasharo writes it", () => {
    assert.deepEqual(networkBootVariable(true), {
      name: NETWORK_BOOT,
      guid: DASHARO_VARS_GUID,
      data: Buffer.from([1]),
      attributes: NETWORK_BOOT_ATTRIBUTES,
    });
    assert.equal(NETWORK_BOOT_ATTRIBUTES, 0x3);
  });

  it('in a region: set, unset in an empty or erased store, an error for a region that is no store', () => {
    const on = setVariable(formatVarStore(SIZE), networkBootVariable(true)).region;
    assert.equal(networkBootIn(on), true);
    assert.equal(networkBootIn(formatVarStore(SIZE)), undefined);
    assert.equal(networkBootIn(Buffer.alloc(SIZE, 0xff)), undefined);
    const junk = Buffer.from(on);
    junk.fill(0, 0, 0x1000);
    assert.throws(() => networkBootIn(junk), VarStoreError);
  });
});
