// The twin's SMMSTORE: lib/uefi's store (smmstoretool's layout), as the builder writes it and the
// board reads it. The layout checks stay here as the twin's own guard on what its board boots with.
import assert from 'node:assert/strict';
import { DASHARO_VARS_GUID, NETWORK_BOOT, networkBootVariable } from '../../../lib/uefi/dasharo.ts';
import { guidBytes } from '../../../lib/uefi/guid.ts';
import { liveVariables, parseVarStore, VarStoreError, variableIn } from '../../../lib/uefi/varstore.ts';
import { formatVarStore, type NewVariable, setVariable } from '../../../lib/uefi/varstore-write.ts';
import { networkBootEnabled, smmstoreRegion } from '../../../twin/firmware/smmstore.ts';

const SIZE = 256 * 1024;
/** smmstoretool's vs_new_var attributes: NV | BS | RT. */
const NV_BS_RT = 0x7;
const sum16 = (b: Buffer, n: number) => {
  let s = 0;
  for (let i = 0; i < n; i += 2) s = (s + b.readUInt16LE(i)) & 0xffff;
  return s;
};
const names = (s: Buffer) => liveVariables(parseVarStore(s)).map((v) => v.name);
const withVar = (s: Buffer, name: string, guid: string, data: number[], attributes = NV_BS_RT) =>
  setVariable(s, { name, guid, data: Buffer.from(data), attributes } satisfies NewVariable).region;

describe("twin SMMSTORE variable store (smmstoretool's layout)", () => {
  it('an empty store: FV header summing to 0, an authenticated, formatted, healthy store, no variables', () => {
    const s = smmstoreRegion(SIZE, false);
    assert.deepEqual(s, formatVarStore(SIZE));
    assert.equal(s.length, SIZE);
    assert.equal(s.toString('latin1', 40, 44), '_FVH');
    assert.equal(s.readUInt16LE(48), 72, 'HeaderLength: 64 + one block map entry');
    assert.equal(sum16(s, 72), 0);
    assert.equal(s.readUInt32LE(56), 4, '4 blocks of 64 KiB');
    // fv_init: (blocks / 2 - 1) * 64 KiB - HeaderLength
    assert.equal(s.readUInt32LE(72 + 16), 64 * 1024 - 72);
    assert.deepEqual([s[72 + 20], s[72 + 21]], [0x5a, 0xfe]);
    assert.ok(
      s.subarray(100).every((b) => b === 0xff),
      'erased after the store header',
    );
    assert.deepEqual(names(s), []);
    assert.equal(networkBootEnabled(s), false, 'absent: Dasharo apu2 default is off');
  });

  it('GUIDs in EFI byte order (first three fields little-endian)', () => {
    assert.equal(guidBytes(DASHARO_VARS_GUID).toString('hex'), '7e325bd12dffc14fabf6c12bd08c1359');
  });

  it('NetworkBoot=true is read back; the header and name are laid out as store_var writes them', () => {
    const s = withVar(formatVarStore(SIZE), NETWORK_BOOT, DASHARO_VARS_GUID, [1]);
    const v = s.subarray(100);
    assert.equal(v.readUInt16LE(0), 0x55aa);
    assert.equal(v[2], 0x3f, 'VAR_ADDED');
    assert.equal(v.readUInt32LE(4), 7, 'NV | BS | RT');
    assert.equal(v.readUInt32LE(36), 24, 'UTF-16 "NetworkBoot" with its NUL');
    assert.equal(v.readUInt32LE(40), 1);
    assert.deepEqual(v.subarray(44, 60), guidBytes(DASHARO_VARS_GUID));
    assert.equal(v.toString('utf16le', 60, 82), NETWORK_BOOT);
    assert.equal(v[60 + 24], 1);
    assert.deepEqual(variableIn(s, NETWORK_BOOT, DASHARO_VARS_GUID), Buffer.from([1]));
    assert.equal(networkBootEnabled(s), true);
  });

  it("the builder's NetworkBoot region: that variable with Dasharo's own attributes (NV | BS)", () => {
    const s = smmstoreRegion(SIZE, true);
    assert.deepEqual(s, setVariable(formatVarStore(SIZE), networkBootVariable(true)).region);
    assert.equal(s.readUInt32LE(100 + 4), 0x3);
    assert.equal(networkBootEnabled(s), true);
  });

  it('false, a deleted entry, another GUID or a wrong size do not enable network boot', () => {
    const off = withVar(formatVarStore(SIZE), NETWORK_BOOT, DASHARO_VARS_GUID, [0]);
    assert.equal(networkBootEnabled(off), false);
    const deleted = withVar(formatVarStore(SIZE), NETWORK_BOOT, DASHARO_VARS_GUID, [1]);
    deleted[100 + 2] = 0x3c; // VAR_ADDED & VAR_DELETED: an old copy edk2 superseded
    assert.equal(networkBootEnabled(deleted), false);
    const other = withVar(formatVarStore(SIZE), NETWORK_BOOT, '6f4e051b-1c10-422a-98cf-962e78365c74', [1]);
    assert.equal(networkBootEnabled(other), false);
    const wide = withVar(formatVarStore(SIZE), NETWORK_BOOT, DASHARO_VARS_GUID, [1, 0]);
    assert.equal(networkBootEnabled(wide), false, 'edk2 checks VarSize == sizeof (BOOLEAN)');
  });

  it('later variables follow at 4-byte alignment and are found', () => {
    const a = withVar(formatVarStore(SIZE), 'A', DASHARO_VARS_GUID, [1, 2, 3]);
    const s = withVar(a, NETWORK_BOOT, DASHARO_VARS_GUID, [1]);
    assert.deepEqual(names(s), ['A', NETWORK_BOOT]);
    assert.equal(s.readUInt16LE(100 + 68), 0x55aa, 'second header at align4(60 + 4 + 3) = 68');
    assert.equal(networkBootEnabled(s), true);
  });

  it('erased flash or a broken header is no store: network boot stays off', () => {
    const erased = Buffer.alloc(SIZE, 0xff);
    assert.throws(() => parseVarStore(erased), /no firmware volume header/);
    assert.equal(networkBootEnabled(erased), false);
    const bad = withVar(formatVarStore(SIZE), NETWORK_BOOT, DASHARO_VARS_GUID, [1]);
    bad[0] = 1;
    assert.throws(() => parseVarStore(bad), /checksum/);
    assert.equal(networkBootEnabled(bad), false);
    assert.throws(() => withVar(erased, NETWORK_BOOT, DASHARO_VARS_GUID, [1]), VarStoreError);
  });
});
