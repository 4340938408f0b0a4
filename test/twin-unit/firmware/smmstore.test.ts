import assert from 'node:assert/strict';
import {
  addVariable,
  DASHARO_GUID,
  emptyVariableStore,
  guidBytes,
  NETWORK_BOOT,
  networkBootEnabled,
  readVariable,
  readVariables,
} from '../../../twin/firmware/smmstore.ts';

const SIZE = 256 * 1024;
const sum16 = (b: Buffer, n: number) => {
  let s = 0;
  for (let i = 0; i < n; i += 2) s = (s + b.readUInt16LE(i)) & 0xffff;
  return s;
};

describe("twin SMMSTORE variable store (smmstoretool's layout)", () => {
  it('an empty store: FV header summing to 0, an authenticated, formatted, healthy store, no variables', () => {
    const s = emptyVariableStore(SIZE);
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
    assert.deepEqual(readVariables(s), []);
    assert.equal(networkBootEnabled(s), false, 'absent: Dasharo apu2 default is off');
  });

  it('GUIDs in EFI byte order (first three fields little-endian)', () => {
    assert.equal(guidBytes(DASHARO_GUID).toString('hex'), '7e325bd12dffc14fabf6c12bd08c1359');
  });

  it('NetworkBoot=true is read back; the header and name are laid out as store_var writes them', () => {
    const s = emptyVariableStore(SIZE);
    addVariable(s, NETWORK_BOOT, DASHARO_GUID, Buffer.from([1]));
    const v = s.subarray(100);
    assert.equal(v.readUInt16LE(0), 0x55aa);
    assert.equal(v[2], 0x3f, 'VAR_ADDED');
    assert.equal(v.readUInt32LE(4), 7, 'NV | BS | RT');
    assert.equal(v.readUInt32LE(36), 24, 'UTF-16 "NetworkBoot" with its NUL');
    assert.equal(v.readUInt32LE(40), 1);
    assert.deepEqual(v.subarray(44, 60), guidBytes(DASHARO_GUID));
    assert.equal(v.toString('utf16le', 60, 82), NETWORK_BOOT);
    assert.equal(v[60 + 24], 1);
    assert.deepEqual(readVariable(s, NETWORK_BOOT, DASHARO_GUID), Buffer.from([1]));
    assert.equal(networkBootEnabled(s), true);
  });

  it('false, a deleted entry, another GUID or a wrong size do not enable network boot', () => {
    const off = emptyVariableStore(SIZE);
    addVariable(off, NETWORK_BOOT, DASHARO_GUID, Buffer.from([0]));
    assert.equal(networkBootEnabled(off), false);
    const deleted = emptyVariableStore(SIZE);
    addVariable(deleted, NETWORK_BOOT, DASHARO_GUID, Buffer.from([1]));
    deleted[100 + 2] = 0x3c; // VAR_ADDED & VAR_DELETED: an old copy edk2 superseded
    assert.equal(networkBootEnabled(deleted), false);
    const other = emptyVariableStore(SIZE);
    addVariable(other, NETWORK_BOOT, '6f4e051b-1c10-422a-98cf-962e78365c74', Buffer.from([1]));
    assert.equal(networkBootEnabled(other), false);
    const wide = emptyVariableStore(SIZE);
    addVariable(wide, NETWORK_BOOT, DASHARO_GUID, Buffer.from([1, 0]));
    assert.equal(networkBootEnabled(wide), false, 'edk2 checks VarSize == sizeof (BOOLEAN)');
  });

  it('later variables follow at 4-byte alignment and are found', () => {
    const s = emptyVariableStore(SIZE);
    addVariable(s, 'A', DASHARO_GUID, Buffer.from([1, 2, 3]));
    addVariable(s, NETWORK_BOOT, DASHARO_GUID, Buffer.from([1]));
    const vars = readVariables(s);
    assert.ok(Array.isArray(vars));
    assert.deepEqual(
      vars.map((v) => v.name),
      ['A', NETWORK_BOOT],
    );
    assert.equal(s.readUInt16LE(100 + 68), 0x55aa, 'second header at align4(60 + 4 + 3) = 68');
    assert.equal(networkBootEnabled(s), true);
  });

  it('erased flash or a broken header is no store: network boot stays off', () => {
    const erased = Buffer.alloc(SIZE, 0xff);
    assert.match(String(readVariables(erased)), /no firmware volume header/);
    assert.equal(networkBootEnabled(erased), false);
    const bad = emptyVariableStore(SIZE);
    addVariable(bad, NETWORK_BOOT, DASHARO_GUID, Buffer.from([1]));
    bad[0] = 1;
    assert.match(String(readVariables(bad)), /checksum/);
    assert.equal(networkBootEnabled(bad), false);
    assert.throws(() => addVariable(erased, NETWORK_BOOT, DASHARO_GUID, Buffer.from([1])), /SMMSTORE/);
  });
});
