// Which build family an image is (flash/image/flavour.ts): images made with the real coreboot tools.
import assert from 'node:assert/strict';
import { flavourOfImage } from '../../../flash/image/flavour.ts';
import { inspectImage } from '../../../flash/image/inspect.ts';
import { buildTestImage, UEFI_FMD } from './build-image.ts';

const ofImage = (buf: Buffer) => flavourOfImage(inspectImage(buf), buf);

describe('flash/image/flavour', function () {
  this.timeout(30_000);

  describe('from the image', () => {
    it('PC Engines v4.19.0.1 (FMAP BOOTORDER) and v4.13.0.6 (CBFS bootorder): pcengines, version from CBFS config', () => {
      for (const [layout, version] of [
        ['fmap', 'v4.19.0.1'],
        ['cbfs', 'v4.13.0.6'],
      ] as const) {
        const v = ofImage(buildTestImage({ layout, version }));
        assert.deepEqual(
          { flavour: v?.flavour, version: v?.version, from: v?.versionFrom },
          {
            flavour: 'pcengines',
            version,
            from: 'image: CBFS config',
          },
        );
      }
    });

    it('Dasharo SeaBIOS v24.08.00.01 (same FMAP layout as PC Engines): dasharo-seabios, told by its version', () => {
      const v = ofImage(buildTestImage({ layout: 'fmap', version: 'v24.08.00.01' }));
      assert.equal(v?.flavour, 'dasharo-seabios');
      assert.equal(v?.version, 'v24.08.00.01');
    });

    it('Dasharo UEFI: SMMSTORE + RW_SECTION_A and no BOOTORDER tell it even without a version', () => {
      const v = ofImage(buildTestImage({ layout: 'fmap', fmd: UEFI_FMD, version: 'unknown-tag' }));
      assert.equal(v?.flavour, 'dasharo-uefi');
      assert.match(v!.why, /SMMSTORE and RW_SECTION_A/);
    });

    it('Dasharo UEFI by its config (CONFIG_PAYLOAD_EDK2=y) in a PC Engines-like layout', () => {
      const v = ofImage(buildTestImage({ layout: 'fmap', version: 'v0.9.1', config: ['CONFIG_PAYLOAD_EDK2=y'] }));
      assert.equal(v?.flavour, 'dasharo-uefi');
      assert.equal(v?.version, 'v0.9.1');
    });

    it('upstream coreboot 26.06: coreboot; an image with no known version tells nothing', () => {
      assert.equal(ofImage(buildTestImage({ layout: 'fmap', version: '26.06' }))?.flavour, 'coreboot');
      assert.equal(ofImage(buildTestImage({ layout: 'fmap', version: 'my-build' })), undefined);
    });
  });
});
