import assert from 'node:assert/strict';
import { parseBootorder, setKnobs } from '../../../flash/image/bootorder.ts';
import { bootorderFile } from './build-image.ts';

// The shape of pcengines/coreboot src/mainboard/pcengines/apu2/bootorder_def.
const APU2_DEF = `/pci@i0cf8/usb@10/usb-*@1
/pci@i0cf8/*@14,7
/pci@i0cf8/*@11/drive@0/disk@0
/pci@i0cf8/pci-bridge@2,1/*@0
pxen0
scon1
usben1
uartc1
uartd1
ehcien0
mpcie2_clk0
com2_en0
boosten1
sd3mode0
watchdog0000
`;

function sector(text: string, filler = 0): Buffer {
  const b = Buffer.alloc(4096, filler);
  b.write(text, 'latin1');
  return b;
}

describe('bootorder', () => {
  it('parses boot paths and knobs of a PC Engines bootorder', () => {
    const b = parseBootorder(sector(APU2_DEF));
    assert.equal(b.paths.length, 4);
    assert.equal(b.settings.pxen, '0');
    assert.equal(b.settings.mpcie2_clk, '0');
    assert.equal(b.settings.com2_en, '0');
    assert.equal(b.settings.watchdog, '0000');
    assert.equal(b.settings.iommu, undefined);
  });

  it('stops at erased flash (0xFF) as sortbootorder does', () => {
    const b = parseBootorder(sector('pxen1\niommu1\n', 0xff));
    assert.deepEqual(b.settings, { pxen: '1', iommu: '1' });
  });

  it('flips an existing knob in place and keeps the size', () => {
    const before = bootorderFile({ pxen: '0', iommu: '0', scon: '1' });
    const edit = setKnobs(before, { iommu: '1', pxen: '1' });
    assert.equal(edit.bytes.length, 4096);
    assert.deepEqual(edit.changed, [
      { knob: 'iommu', from: '0', to: '1' },
      { knob: 'pxen', from: '0', to: '1' },
    ]);
    const after = parseBootorder(edit.bytes);
    assert.deepEqual(after.settings, { pxen: '1', iommu: '1', scon: '1' });
    assert.ok(edit.bytes.toString('latin1').includes('pxen1\niommu1\nscon1\n'), 'order kept');
  });

  it('appends a knob the file lacks (releases before IOMMU support) and keeps the terminator', () => {
    const edit = setKnobs(sector(APU2_DEF, 0xff), { iommu: '1' });
    assert.deepEqual(edit.changed, [{ knob: 'iommu', from: undefined, to: '1' }]);
    const text = edit.bytes.toString('latin1');
    assert.ok(text.startsWith(`${APU2_DEF}iommu1\n\xff`));
    assert.equal(parseBootorder(edit.bytes).settings.watchdog, '0000');
  });

  it('changes nothing when the knobs are already right', () => {
    const before = bootorderFile({ pxen: '1', iommu: '1' });
    const edit = setKnobs(before, { iommu: '1', pxen: '1' });
    assert.equal(edit.changed.length, 0);
    assert.ok(edit.bytes.equals(before));
  });
});
