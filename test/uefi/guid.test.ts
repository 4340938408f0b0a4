import assert from 'node:assert/strict';
import { guidBytes, guidText } from '../../lib/uefi/guid.ts';

describe('lib/uefi/guid', () => {
  it("lays Dasharo's GUID out as coreboot smmstoretool's guids.c does (Data1-3 little-endian, Data4 as is)", () => {
    const b = guidBytes('d15b327e-ff2d-4fc1-abf6-c12bd08c1359');
    assert.equal(b.toString('hex'), '7e325bd12dffc14fabf6c12bd08c1359');
    assert.equal(guidText(b, 0), 'd15b327e-ff2d-4fc1-abf6-c12bd08c1359');
  });

  it('reads a GUID at an offset, lower case, and refuses text that is no GUID', () => {
    const buf = Buffer.concat([Buffer.from([1, 2, 3]), guidBytes('FFF12B8D-7696-4C8B-A985-2747075B4F50')]);
    assert.equal(guidText(buf, 3), 'fff12b8d-7696-4c8b-a985-2747075b4f50');
    assert.throws(() => guidBytes('d15b327e-ff2d-4fc1-abf6c12bd08c1359'), /not a GUID/);
  });
});
