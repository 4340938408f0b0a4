// Flashing an 8 MiB image through iommu-lab vs the same flashrom command typed by hand, on the
// flashrom dummy chip (local flasher, so no upload is involved), and the re-flash of an
// identical image (flashrom skips erase and write). iommu-lab adds a read of the chip before the
// first flash of a run (kept as the board's last image): the overhead figure includes it.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { flashFirmware } from '../flash/flasher/flash-firmware.ts';
import { Flashrom } from '../flash/flasher/flashrom.ts';
import { inspectImage } from '../flash/image/inspect.ts';
import { applySettings } from '../flash/supply/settings.ts';
import { LocalShell } from '../lib/remote/local.ts';
import { makeFlashBench } from '../test/flash/flasher/bench-fixture.ts';
import { buildTestImage } from '../test/flash/image/build-image.ts';

const ROUNDS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (t0: number) => performance.now() - t0;

export async function run(): Promise<void> {
  const old = buildTestImage({ layout: 'fmap', version: 'v4.18.0.1' });
  const fresh = buildTestImage({ layout: 'fmap', version: 'v4.19.0.1' });
  const byHand: number[] = [];
  const through: number[] = [];
  const identical: number[] = [];
  let command = '';
  let passes = '';
  for (let i = 0; i < ROUNDS; i++) {
    const b = makeFlashBench();
    const src = join(b.dir, 'fresh.rom');
    writeFileSync(src, fresh);
    // By hand: the very bytes iommu-lab writes (settings already set), the same command line.
    const prepared = Buffer.from(fresh);
    applySettings(prepared, inspectImage(prepared).bootorder, b.rig.firmware ?? {});
    const handImage = join(b.dir, 'by-hand.rom');
    writeFileSync(handImage, prepared);
    command = new Flashrom({ shell: new LocalShell(), config: b.rig.flasher!, chip: b.rig.flasher!.chip }).argv(
      '-w',
      handImage,
    );
    b.setChip(old);
    let t0 = performance.now();
    execFileSync('sh', ['-c', command], { stdio: 'pipe' });
    byHand.push(ms(t0));

    b.setChip(old);
    t0 = performance.now();
    const r = await flashFirmware({ rig: b.rig, power: b.power }, src, { cacheRoot: b.cacheRoot });
    through.push(ms(t0));
    if (r.outcome.kind !== 'verified') throw new Error(`bench flash ended ${r.outcome.kind}`);
    passes = `${r.chipPasses.fullReads} full-chip reads (ours before the write, flashrom's verify), ${r.chipPasses.writes} erase/write pass`;

    t0 = performance.now();
    const again = await flashFirmware({ rig: b.rig, power: b.power }, src, { cacheRoot: b.cacheRoot });
    identical.push(ms(t0));
    if (again.outcome.kind !== 'identical') throw new Error(`re-flash ended ${again.outcome.kind}, not identical`);
    b.cleanup();
  }
  const hand = median(byHand);
  const lab = median(through);
  console.log(`8 MiB dummy chip, median of ${ROUNDS} (ms):`);
  console.log(`  flashrom by hand (write+verify)         ${hand.toFixed(0)}`);
  console.log(`  iommu-lab flash (checksum, validate, settings,`);
  console.log(`    read chip before, write+verify)       ${lab.toFixed(0)}  overhead ${(lab - hand).toFixed(0)}`);
  console.log(`  iommu-lab re-flash, identical image     ${median(identical).toFixed(0)}  (no erase, no write)`);
  console.log(`  chip passes of one iommu-lab flash: ${passes}`);
  console.log('    (flashrom gets --flash-contents: it does not read the chip again to plan the erase)');
  console.log(`  by-hand command: ${command.replace(/\/tmp\/[^ ]*\//g, '<dir>/')}`);
  console.log('  reproduce: npm run bench -- flash');
}
