// `iommu-lab run --firmware`: flash the build before the first boot, record what went on the
// chip, and arm the "who is to blame" check for a board that stays silent afterwards.

import { existsSync } from 'node:fs';
import { BootFailure } from '../boot/errors.ts';
import { FIRMWARE_BANNER } from '../boot/transitions.ts';
import { RigError } from '../core/errors.ts';
import { progress } from '../core/progress.ts';
import { attach, step } from '../core/step.ts';
import { knownGoodPath } from '../firmware/supply/known-good.ts';
import { restoreKnownGood } from '../flasher/chip-ops.ts';
import { flashFirmware } from '../flasher/flash-firmware.ts';
import type { Lab, RunOptions } from '../session/lab.ts';

export async function flashForRun(lab: Lab, fw: NonNullable<RunOptions['firmware']>): Promise<void> {
  const s = lab.session;
  const deps = async () => ({
    rig: lab.rig,
    power: s.power,
    controller: lab.rig.flasher?.where === 'ssh' ? await s.controller() : undefined,
  });
  const report = await step('flash firmware', { source: fw.source, sha256: fw.sha256 }, async () =>
    flashFirmware(await deps(), fw.source, { sha256: fw.sha256 }),
  );
  await attach('flash report', JSON.stringify(report, null, 2), 'application/json');
  lab.firmware.flashed = { sha256: report.image.sha256, version: report.image.version ?? undefined, source: fw.source };
  lab.firmware.settings = report.settingsOnChip ? { ...report.settingsOnChip } : undefined;
  lab.firmware.warnings.push(...report.warnings);
  for (const w of report.warnings) progress.emit('warn', w);
  lab.boot.state = 'unknown';

  // A board silent after a new build: the build, or the bench? The known-good image decides.
  lab.boot.onSilentFirmware = async (cause) => {
    if (!existsSync(knownGoodPath(lab.rig.name)))
      throw new RigError(
        `no console output after flashing ${fw.source}, and no known-good image to tell the build from the bench`,
        {
          code: 'NO_KNOWN_GOOD',
          part: 'firmware',
          cause,
        },
      );
    await step('restore known-good image to assign blame', {}, async () => restoreKnownGood(await deps()));
    lab.firmware.settings = undefined;
    await s.power.off();
    await new Promise((r) => setTimeout(r, lab.rig.power.minOffMs));
    s.console.discard();
    await s.power.on();
    s.poweredByUs = true;
    const t = lab.rig.boot.timeoutsMs.firmware;
    try {
      await s.console.expect(FIRMWARE_BANNER, { timeout: t, name: 'known-good firmware banner', silenceMs: t });
    } catch {
      throw new RigError(
        'no console output from the new build nor from the known-good image: the bench needs a human (power, serial cable, SPI mux)',
        {
          code: 'BENCH_SILENT',
          part: 'firmware',
          consoleTail: s.console.tail(10),
        },
      );
    }
    throw new BootFailure(
      `firmware produced no console output: ${fw.source} stayed silent, the known-good image (now restored) boots`,
      'firmware',
      s.console.tail(10),
    );
  };
}
