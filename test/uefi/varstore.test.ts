// The variable store reader against stores written by edk2 itself (Debian's OVMF templates) and
// by coreboot's smmstoretool (test/fixtures/uefi-varstore/README.md).
import assert from 'node:assert/strict';
import { guidBytes } from '../../lib/uefi/guid.ts';
import {
  EFI_SYSTEM_NV_DATA_FV_GUID,
  findVariable,
  liveVariables,
  parseVarStore,
  VAR_STATE,
  VarStoreError,
} from '../../lib/uefi/varstore.ts';
import { smmstoretoolList, varStoreFixture } from './varstore-fixtures.ts';

const GLOBAL = '8be4df61-93ca-11d2-aa0d-00e098032b8c';

/** The error a parse of `region` throws: one line, a VarStoreError. */
function refusal(region: Buffer): string {
  try {
    parseVarStore(region);
  } catch (e) {
    assert.ok(e instanceof VarStoreError, String(e));
    assert.doesNotMatch(e.message, /\n/);
    return e.message;
  }
  assert.fail('parsed a corrupted store');
}

describe('lib/uefi/varstore', () => {
  it("reads Debian OVMF's empty template: system NV FV of 32 × 4 KiB, authenticated store, no variables", () => {
    const region = varStoreFixture('OVMF_VARS.fd');
    assert.ok(region.subarray(16, 32).equals(guidBytes(EFI_SYSTEM_NV_DATA_FV_GUID)));
    const s = parseVarStore(region);
    assert.deepEqual(
      { auth: s.auth, fvLength: s.fvLength, hl: s.fvHeaderLength, blocks: s.blocks, size: s.storeSize },
      { auth: true, fvLength: 0x20000, hl: 72, blocks: [{ count: 32, length: 4096 }], size: 0xdfb8 },
    );
    assert.deepEqual([s.start, s.end, s.used, s.entries.length], [100, 0xe000, 100, 0]);
  });

  it('reads the template edk2 filled while enrolling keys: the live variables are the ones smmstoretool lists', () => {
    const s = parseVarStore(varStoreFixture('OVMF_VARS.ms.fd'));
    assert.equal(s.entries.length, 57);
    const live = liveVariables(s);
    assert.deepEqual(
      live.map((v) => [v.guid.replace(/-/g, ''), v.name, v.data.length]),
      smmstoretoolList().map(([g, n, size]) => [
        g.replace(/^global$/, GLOBAL.replace(/-/g, '')).replace(/^secureboot$/, 'd719b2cb3d3a4596a3bcdad00e67656f'),
        n,
        size,
      ]),
    );
    // Deleted copies (state 0x3c, 0x3d) are not seen: CustomMode was 1 before it went back to 0.
    assert.equal(s.entries.filter((v) => v.name === 'CustomMode').length, 3);
    assert.deepEqual(findVariable(s, 'CustomMode', 'c076ec0c-7028-4399-a072-71ee5c448b9f')?.data, Buffer.from([0]));
    assert.equal(findVariable(s, 'BootOrder', GLOBAL), undefined, 'Debian cleared BootOrder: only deleted copies');
    const pk = findVariable(s, 'PK', GLOBAL)!;
    assert.equal(pk.attributes, 0x27, 'NV|BS|RT|TIME_BASED_AUTHENTICATED_WRITE_ACCESS');
    assert.equal(pk.header.readUInt16LE(16), 2025, 'the authenticated header carries its time stamp');
    assert.equal(findVariable(s, 'SecureBootEnable', 'F0A30BC7-AF08-4556-99C4-001009C93A44')?.data[0], 1);
  });

  it('an in-deleted-transition copy is live only while no VAR_ADDED copy exists (edk2 FindVariableEx)', () => {
    const region = varStoreFixture('OVMF_VARS.ms.fd');
    const s = parseVarStore(region);
    const mtc = s.entries.find((v) => v.name === 'MTC')!;
    // An update cut short after marking the old copy: the old value is still the value.
    const cut = Buffer.from(region);
    cut[mtc.offset + 2] = VAR_STATE.IN_DELETED_TRANSITION;
    const afterCut = parseVarStore(cut);
    assert.deepEqual(findVariable(afterCut, 'MTC', mtc.guid)?.state, VAR_STATE.IN_DELETED_TRANSITION);
    assert.equal(liveVariables(afterCut).length, 31);
    // The new copy made it: the old one (in transition) is not seen.
    const first = s.entries.find((v) => v.name === 'CustomMode')!;
    const both = Buffer.from(region);
    both[first.offset + 2] = VAR_STATE.IN_DELETED_TRANSITION;
    const afterBoth = parseVarStore(both);
    assert.equal(liveVariables(afterBoth).length, 31);
    assert.equal(findVariable(afterBoth, 'CustomMode', first.guid)?.state, VAR_STATE.ADDED);
    // A header written but its data not (0x7f) is not a variable.
    const half = Buffer.from(region);
    half[mtc.offset + 2] = VAR_STATE.HEADER_VALID_ONLY;
    assert.equal(findVariable(parseVarStore(half), 'MTC', mtc.guid), undefined);
  });

  it('refuses a corrupted or missing store with one line saying what is wrong', () => {
    const good = varStoreFixture('smmstore-networkboot-true.bin');
    const edit = (f: (b: Buffer) => void) => {
      const b = Buffer.from(good);
      f(b);
      return b;
    };
    assert.equal(refusal(Buffer.alloc(0x40000, 0xff)), 'no firmware volume header (no "_FVH" signature at 0x28)');
    assert.match(
      refusal(edit((b) => b.writeUInt32LE(1, 0x38))),
      /^firmware volume header checksum is off by 0x[0-9a-f]+ \(header corrupted\)$/,
    );
    assert.match(refusal(edit((b) => (b[0x10] ^= 1))), /^firmware volume fff12b8c-.* is not a variable store/);
    assert.match(refusal(edit((b) => (b[0x48] ^= 1))), /^variable store signature .* is neither EFI_VARIABLE_GUID/);
    assert.equal(refusal(edit((b) => (b[0x48 + 20] = 0xff))), 'variable store is not formatted (0xff, expected 0x5a)');
    assert.equal(
      refusal(edit((b) => (b[0x48 + 21] = 0xff))),
      'variable store is not healthy (state 0xff, expected 0xfe)',
    );
    assert.match(
      refusal(edit((b) => b.writeUInt32LE(0x100000, 0x48 + 16))),
      /^variable store size 1048576 does not fit/,
    );
    assert.match(
      refusal(edit((b) => b.writeUInt32LE(0x20000, 0x64 + 40))),
      /^variable at 0x64 runs past the end of the store \(0x10000\): store corrupted$/,
    );
  });
});
