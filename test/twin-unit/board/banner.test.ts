import assert from 'node:assert/strict';
import { bootPrompt, coreboot, signOn } from '../../../twin/board/banner.ts';

const r = { version: 'v4.19.0.1-twin', vendor: 'PC Engines', board: 'apu2', date: '2024-03-05', memoryMiB: 4096 };

describe('twin coreboot banner', () => {
  it('lists IVRS among the ACPI tables only with iommu1', () => {
    assert.match(coreboot({ ...r, iommu: true }), /^ACPI: {4}\* IVRS$/m);
    assert.doesNotMatch(coreboot({ ...r, iommu: false }), /IVRS/);
    assert.match(coreboot({ ...r, iommu: false }), /^ACPI: {4}\* MADT$/m);
  });

  it('prints the PC Engines sign-on with the version from the image', () => {
    const s = signOn({ ...r, iommu: true });
    assert.match(s, /^PC Engines apu2\r$/m);
    assert.match(s, /^coreboot build 20240305\r$/m);
    assert.match(s, /^BIOS version v4\.19\.0\.1-twin\r$/m);
    assert.match(s, /^4080 MB ECC DRAM\r$/m);
    assert.match(coreboot({ ...r, iommu: true }), /coreboot-v4\.19\.0\.1-twin .* ramstage starting/);
  });

  it('offers "N for PXE boot" only with pxen1', () => {
    assert.match(bootPrompt(true), /N for PXE boot/);
    assert.doesNotMatch(bootPrompt(false), /PXE/);
  });
});
