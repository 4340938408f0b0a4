// The other two things an engineer does with a flasher: read the chip to a file, and write the
// rig's known-good image back (`iommu-lab flash --restore`).
import { cacheRoot } from '../supply/cache.ts';
import { FlashRefused } from '../supply/errors.ts';
import { knownGoodPath, readKnownGood } from '../supply/known-good.ts';
import { readChip } from './chip-read.ts';
import { withFlashAccess } from './flash-access.ts';
import { type FlashDeps, type FlashReport, flashFirmware } from './flash-firmware.ts';
import { boardChips, Flashrom } from './flashrom.ts';
import { openFlasherShell } from './open-shell.ts';

export async function readChipTo(deps: FlashDeps, out: string): Promise<void> {
  const { rig } = deps;
  const flasher = rig.flasher;
  if (!flasher) throw new FlashRefused('REFUSED_NO_FLASHER', `rig ${rig.name} has no flasher`);
  const { shell, close } = await openFlasherShell(flasher, deps.controller);
  try {
    const flashrom = new Flashrom({ shell, config: flasher, chip: flasher.chip, prefer: boardChips(rig) });
    await withFlashAccess({ power: deps.power, gpio: deps.gpio, flasher, minOffMs: rig.power.minOffMs }, () =>
      readChip(flashrom, out),
    );
  } finally {
    await close();
  }
}

export async function restoreKnownGood(deps: FlashDeps, opts: { cacheRoot?: string } = {}): Promise<FlashReport> {
  const root = opts.cacheRoot ?? cacheRoot();
  if (!(await readKnownGood(deps.rig.name, root)))
    throw new FlashRefused(
      'REFUSED_NO_KNOWN_GOOD',
      `rig ${deps.rig.name} has no known-good image (${knownGoodPath(deps.rig.name, root)})`,
    );
  // Written exactly as kept: its settings are part of what made it good.
  return flashFirmware(deps, knownGoodPath(deps.rig.name, root), {
    settings: {},
    cacheRoot: root,
    forceBoard: false,
    trusted: true,
  });
}
