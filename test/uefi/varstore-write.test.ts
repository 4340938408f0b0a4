// Writing the variable store: formatting an erased region like smmstoretool's fv_init(), and
// setting a variable in stores made by edk2 (Debian OVMF) and by smmstoretool.
import assert from 'node:assert/strict';
import { findVariable, liveVariables, parseVarStore, VarStoreError } from '../../lib/uefi/varstore.ts';
import { formatVarStore, setVariable } from '../../lib/uefi/varstore-write.ts';
import { varStoreFixture } from './varstore-fixtures.ts';

const DASHARO = 'd15b327e-ff2d-4fc1-abf6-c12bd08c1359';
const NV_BS = 0x3;
const NV_BS_RT = 0x7;
const networkBoot = (on: boolean, attributes = NV_BS) => ({
  name: 'NetworkBoot',
  guid: DASHARO,
  data: Buffer.from([on ? 1 : 0]),
  attributes,
});

describe('lib/uefi/varstore-write', () => {
  it("formats an erased 256 KiB region exactly as smmstoretool's fv_init() did", () => {
    const ours = formatVarStore(0x40000);
    const theirs = varStoreFixture('smmstore-networkboot-true.bin');
    assert.ok(ours.subarray(0, 100).equals(theirs.subarray(0, 100)), 'FV header and variable store header');
    assert.ok(
      ours.subarray(100).every((b) => b === 0xff),
      'the rest erased',
    );
    const s = parseVarStore(ours);
    assert.deepEqual(
      [s.blocks, s.storeSize, s.end, s.entries.length],
      [[{ count: 4, length: 0x10000 }], 65464, 0x10000, 0],
    );
  });

  it('refuses to format what is no multiple of 64 KiB, or too small for edk2 (under 4 blocks)', () => {
    assert.throws(() => formatVarStore(0x41000), /not a multiple of the 64 KiB SMMSTORE block/);
    assert.throws(() => formatVarStore(0x20000), /too small: edk2 needs at least 256 KiB/);
  });

  it('sets NetworkBoot in smmstoretool terms: byte for byte its output, true then false', () => {
    const t = setVariable(formatVarStore(0x40000), networkBoot(true, NV_BS_RT));
    assert.ok(t.region.equals(varStoreFixture('smmstore-networkboot-true.bin')));
    assert.equal(t.previous, undefined);
    const f = setVariable(t.region, networkBoot(false));
    assert.ok(
      f.region.equals(varStoreFixture('smmstore-networkboot-false.bin')),
      'rewritten in place, attributes kept',
    );
    assert.deepEqual(f.previous?.data, Buffer.from([1]));
    const s = parseVarStore(f.region);
    assert.equal(s.entries.length, 1, 'setting twice leaves one entry, not a deleted one and a new one');
    assert.equal(
      findVariable(s, 'NetworkBoot', DASHARO)?.attributes,
      NV_BS_RT,
      'an existing variable keeps its attributes',
    );
  });

  it("sets NetworkBoot in edk2's own empty store (OVMF_VARS.fd): one live entry, nothing outside the variable area moves", () => {
    const region = varStoreFixture('OVMF_VARS.fd');
    const out = setVariable(region, networkBoot(true)).region;
    const s = parseVarStore(out);
    const live = liveVariables(s);
    assert.deepEqual(
      live.map((v) => [v.name, v.guid, v.attributes, v.data.toString('hex')]),
      [['NetworkBoot', DASHARO, NV_BS, '01']],
    );
    const h = live[0]!.header;
    assert.deepEqual(
      [h.readBigUInt64LE(8), h.subarray(16, 32).every((b) => b === 0), h.readUInt32LE(32)],
      [0n, true, 0xffffffff],
      "smmstoretool's new authenticated header: MonotonicCount 0, TimeStamp 0, PubKeyIndex untouched",
    );
    assert.ok(out.subarray(0, 100).equals(region.subarray(0, 100)), 'headers kept');
    assert.ok(out.subarray(s.end).equals(region.subarray(s.end)), 'fault tolerant write area behind the store kept');
    assert.equal(out.length, region.length);
  });

  it('round-trips a full edk2 store: the live variables come back identical, deleted entries compacted away', () => {
    const region = varStoreFixture('OVMF_VARS.ms.fd');
    const before = liveVariables(parseVarStore(region));
    const pk = before.find((v) => v.name === 'PK')!;
    // Writing a variable's own value back rewrites the store without changing what it holds.
    const out = setVariable(region, { name: 'PK', guid: pk.guid, data: pk.data, attributes: 0 }).region;
    const s = parseVarStore(out);
    const view = (vs: typeof before) => vs.map((v) => [v.name, v.guid, v.attributes, v.data, v.header.subarray(4)]);
    assert.deepEqual(view(liveVariables(s)), view(before), 'names, GUIDs, attributes, data, authenticated headers');
    assert.equal(s.entries.length, before.length, 'only live entries are written');
    assert.ok(out.subarray(s.end).equals(region.subarray(s.end)));
    assert.ok(
      setVariable(out, { name: 'PK', guid: pk.guid, data: pk.data, attributes: 0 }).region.equals(out),
      'stable',
    );
    // NetworkBoot added to it: the 31 others unchanged, one more at the end.
    const withNb = liveVariables(parseVarStore(setVariable(region, networkBoot(true)).region));
    assert.deepEqual(view(withNb.slice(0, -1)), view(before));
    assert.deepEqual([withNb.at(-1)!.name, withNb.at(-1)!.data[0]], ['NetworkBoot', 1]);
  });

  it('refuses a variable that does not fit, and a name that is not printable ASCII', () => {
    const region = varStoreFixture('OVMF_VARS.ms.fd');
    const big = { name: 'Big', guid: DASHARO, data: Buffer.alloc(40_000), attributes: NV_BS };
    assert.throws(
      () => setVariable(region, big),
      (e: Error) =>
        e instanceof VarStoreError &&
        /^variable store is full: Big does not fit in the \d+ bytes left of 57244$/.test(e.message),
    );
    assert.throws(() => setVariable(region, { ...big, name: 'Réseau', data: Buffer.from([1]) }), /not printable ASCII/);
  });
});
