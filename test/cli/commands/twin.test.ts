// `iommu-lab twin firmware` through the CLI entry: the flags end up in the image the twin board
// reads at power-on (read back with the board's own reader, not with the builder's options).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { xenReleases } from '../../../lib/cli/commands/twin.ts';
import { runCli } from '../../../lib/cli/program.ts';
import { BOOKWORM, TRIXIE } from '../../../lib/images/release.ts';
import { readTwinFirmware } from '../../../twin/index.ts';

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    return { code: await runCli(args), out: out.join('\n') };
  } finally {
    console.log = log;
    process.exitCode = before;
  }
}

describe('iommu-lab twin firmware (CLI)', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cli-twin-fw-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--leaky-iommu: an IOMMU-enabled image whose board cold-plugs the NICs', async () => {
    const out = join(dir, 'leaky.rom');
    const r = await cli(['twin', 'firmware', '--iommu', 'on', '--pxe', 'on', '--leaky-iommu', '-o', out]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /iommu1 pxen1 LEAKY-IOMMU$/);
    const fw = await readTwinFirmware(out, join(dir, 'w-leaky'));
    assert.ok(fw.valid);
    assert.deepEqual([fw.settings.iommu, fw.pciLayout], [true, 'cold-plug']);
  });

  it('without it: the late-plug layout (translated under each NIC’s own ID)', async () => {
    const out = join(dir, 'good.rom');
    const r = await cli(['twin', 'firmware', '--iommu', 'on', '-o', out]);
    assert.equal(r.code, 0, r.out);
    assert.doesNotMatch(r.out, /LEAKY/);
    const fw = await readTwinFirmware(out, join(dir, 'w-good'));
    assert.ok(fw.valid);
    assert.equal(fw.pciLayout, 'late-plug');
  });
});

describe('iommu-lab twin setup --xen', () => {
  it('takes 4.17, 4.20 or both, in the order given, once each', () => {
    assert.deepEqual(xenReleases('4.17'), [BOOKWORM]);
    assert.deepEqual(xenReleases('4.20'), [TRIXIE]);
    assert.deepEqual(xenReleases('4.20, 4.17,4.20'), [TRIXIE, BOOKWORM]);
  });

  it('refuses another version (and the ids, which are not versions) as a usage error (exit 2)', async () => {
    assert.throws(() => xenReleases('4.19'), /--xen takes 4\.17 and 4\.20/);
    assert.throws(() => xenReleases('xen420'), /not "xen420"/);
    assert.equal((await cli(['twin', 'setup', '--xen', '4.18'])).code, 2);
  });
});
