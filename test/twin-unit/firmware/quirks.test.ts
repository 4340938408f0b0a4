import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTwinFirmware } from '../../../twin/firmware/build.ts';
import { parseQuirks, pciLayoutFor, quirksText } from '../../../twin/firmware/quirks.ts';
import { readTwinFirmware } from '../../../twin/firmware/read.ts';

describe('twin firmware quirks → PCI layout', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fw-quirks-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('leaky-iommu chooses the cold-plug layout; no quirk, the late-plug one', () => {
    assert.equal(pciLayoutFor(['leaky-iommu']), 'cold-plug');
    assert.equal(pciLayoutFor([]), 'late-plug');
  });

  it('parses one quirk per line and ignores what it does not know', () => {
    assert.deepEqual(parseQuirks('  leaky-iommu\r\nturbo\n\n'), ['leaky-iommu']);
    assert.deepEqual(parseQuirks(quirksText(['leaky-iommu'])), ['leaky-iommu']);
    assert.deepEqual(parseQuirks('leaky-iommu-not'), []);
  });

  for (const layout of ['cbfs', 'fmap'] as const) {
    it(`${layout}: an image built with leakyIommu is read back as cold-plug, a default one as late-plug`, async () => {
      const leaky = join(dir, `leaky-${layout}.rom`);
      const good = join(dir, `good-${layout}.rom`);
      await buildTwinFirmware({ out: leaky, layout, iommu: true, pxe: true, leakyIommu: true });
      await buildTwinFirmware({ out: good, layout, iommu: true, pxe: true });
      const l = await readTwinFirmware(leaky, join(dir, `wl-${layout}`));
      const g = await readTwinFirmware(good, join(dir, `wg-${layout}`));
      assert.ok(l.valid && g.valid);
      assert.deepEqual([l.quirks, l.pciLayout], [['leaky-iommu'], 'cold-plug']);
      assert.deepEqual([g.quirks, g.pciLayout], [[], 'late-plug']);
      // The leaky image is otherwise an ordinary, IOMMU-enabled build: Xen still says AMD-Vi is on.
      assert.deepEqual(l.settings, { iommu: true, pxe: true });
    });
  }

  it('the quirk lives in CBFS, so removing the file makes the same image healthy again', async () => {
    const out = join(dir, 'cured.rom');
    await buildTwinFirmware({ out, iommu: true, pxe: true, leakyIommu: true });
    execFileSync('cbfstool', [out, 'remove', '-r', 'COREBOOT', '-n', 'iommu-lab/quirks']);
    const r = await readTwinFirmware(out, join(dir, 'w-cured'));
    assert.ok(r.valid);
    assert.equal(r.pciLayout, 'late-plug');
  });
});
