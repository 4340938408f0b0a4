// `iommu-lab run --firmware`: flash the build before the first boot, record what went on the
// chip, and decide who is to blame if the board then stays silent:
//   1. the new build is flashed and verified;
//   2. the boot waits for the firmware banner as usual (with the rig's retries);
//   3. still silent: the known-good image is written back and the board powered on again;
//   4. the known-good image speaks → the build is bad (a test failure, the board's);
//      it is silent too → the bench needs a human (broken, the lab's);
//      there is no known-good image → nobody can tell (broken).
import { existsSync } from 'node:fs';
import { sessionFlasher } from '../../flash/flasher/part.ts';
import { knownGoodPath } from '../../flash/supply/known-good.ts';
import { BootFailure } from '../boot/errors.ts';
import { FIRMWARE_BANNER } from '../boot/transitions.ts';
import { RigError } from '../core/errors.ts';
import { progress } from '../core/progress.ts';
import { attach, step } from '../core/step.ts';
import { sleep } from '../core/time.ts';
import type { Flavour } from '../firmware/flavour.ts';
import type { FirmwareInfo } from '../firmware/running.ts';
import type { Rig } from '../rig/schema.ts';
import { markHealth } from '../session/health-gate.ts';
import type { Session } from '../session/session.ts';

/** What `--firmware` asks for. */
export interface FirmwareRequest {
  source: string;
  /** The user's ROM when `source` names a Dasharo release (--firmware-file). */
  file?: string;
  sha256?: string;
  /** Flash the image's own settings (e.g. IOMMU off), not the rig's. */
  keepSettings?: boolean;
  /** The image's flavour when it does not tell it (--flavour). */
  flavour?: Flavour;
}

/** The part of a run that flashing for it touches (the boot is made after, with the recovery). */
export interface FlashingRun {
  readonly rig: Rig;
  readonly session: Session;
  readonly firmware: FirmwareInfo;
}

/**
 * Flashes the build; returns the recovery the run's boot strategy is built with: a board silent
 * after this flash is judged by the known-good image.
 */
export async function flashForRun(run: FlashingRun, fw: FirmwareRequest): Promise<(cause: Error) => Promise<never>> {
  const s = run.session;
  const flasher = await sessionFlasher(s);
  const report = await step('flash firmware', { source: fw.source, sha256: fw.sha256 }, () =>
    flasher.flash(fw.source, {
      sha256: fw.sha256,
      file: fw.file,
      settings: fw.keepSettings ? {} : undefined,
      flavour: fw.flavour,
    }),
  );
  await attach('flash report', JSON.stringify(report, null, 2), 'application/json');
  run.firmware.flashed = {
    sha256: report.image.sha256,
    version: report.image.version ?? undefined,
    source: fw.source,
    flavour: report.image.flavour,
    versionFrom: report.image.versionFrom,
    ...(report.image.release ? { release: report.image.release } : {}),
  };
  run.firmware.settings = report.settingsOnChip ? { ...report.settingsOnChip } : undefined;
  run.firmware.warnings.push(...report.warnings);
  for (const w of report.warnings) progress.emit('warn', w);
  return (cause) => blameSilentBoard(run, fw.source, cause);
}

async function blameSilentBoard(run: FlashingRun, source: string, cause: Error): Promise<never> {
  const s = run.session;
  if (!existsSync(knownGoodPath(run.rig.name)))
    throw new RigError(
      `no console output after flashing ${source}, and no known-good image to tell the build from the bench`,
      { code: 'NO_KNOWN_GOOD', part: 'firmware', cause },
    );
  await step('restore known-good image to assign blame', {}, async () => (await sessionFlasher(s)).restoreKnownGood());
  run.firmware.settings = undefined;
  await s.power.off();
  await sleep(run.rig.power.minOffMs);
  s.console.discard();
  await s.power.on();
  s.markPoweredOn();
  const t = run.rig.boot.timeoutsMs.firmware;
  try {
    await s.console.expect(FIRMWARE_BANNER, { timeout: t, name: 'known-good firmware banner', silenceMs: t });
  } catch {
    const why =
      'no console output from the new build nor from the known-good image: the bench needs a human (power, serial cable, SPI mux)';
    // Out of service for every client of the bench until `iommu-lab health` passes again.
    await markHealth(s, 'bad', why).catch(() => {});
    throw new RigError(why, { code: 'BENCH_SILENT', part: 'firmware', consoleTail: s.console.tail(10) });
  }
  throw new BootFailure(
    `firmware produced no console output: ${source} stayed silent, the known-good image (now restored) boots`,
    'firmware',
    s.console.tail(10),
  );
}
