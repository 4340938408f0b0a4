// Get a build onto the board: fetch and check the image, refuse bad ones before any part is
// touched, set the rig's firmware settings in it, then (board in the rig's flash power state,
// flash/flasher/flash-access.ts) keep the chip's
// current content, write, recover if needed, and read the settings back from the chip.
// `iommu-lab flash` and `iommu-lab run --firmware` both call flashFirmware().
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { progress } from '../../lib/core/progress.ts';
import type { Flavour } from '../../lib/firmware/flavour.ts';
import type { PowerSwitch } from '../../lib/power/types.ts';
import type { RemoteShell } from '../../lib/remote/types.ts';
import type { Rig } from '../../lib/rig/schema.ts';
import { sameBoard } from '../image/identify.ts';
import { cacheRoot } from '../supply/cache.ts';
import { isReleaseSpec, parseReleaseSpec, type ReleaseSpec } from '../supply/dasharo-releases.ts';
import { FlashRefused } from '../supply/errors.ts';
import { boardDir, keepFlashed, keepLastImage, knownGoodPath } from '../supply/known-good.ts';
import { planRegionFlash } from '../supply/region.ts';
import type { ReleaseCheck, ReleaseOptions } from '../supply/release-source.ts';
import { applySettings, type FirmwareSettings, refusedSetting, unsupportedSettings } from '../supply/settings.ts';
import { resolveImage } from '../supply/source.ts';
import { applyUefiSettings } from '../supply/uefi-settings.ts';
import { type ImageReport, validateImage } from '../supply/validate.ts';
import { readChip } from './chip-read.ts';
import { withFlashAccess } from './flash-access.ts';
import { boardChips, type ChipPasses, Flashrom } from './flashrom.ts';
import type { FlashOutcome } from './flashrom-outcome.ts';
import { openFlasherShell } from './open-shell.ts';
import { readBackSettings } from './settings-readback.ts';
import type { GpioPort } from './spi-mux.ts';
import { type ChipVerdict, writeAndRecover } from './write-recover.ts';

export interface FlashDeps {
  rig: Rig;
  power: PowerSwitch;
  /** The bench controller's shell, if the session already has one. */
  controller?: RemoteShell;
  /** The flasher's GPIOs (WP, CMOS, SPI mux); defaults to an RteGpio on each pin's URL. */
  gpio?: GpioPort;
}

export interface FlashOptions {
  sha256?: string;
  /** Overrides rig.firmware; an empty object flashes the image's settings as they are. */
  settings?: FirmwareSettings;
  forceBoard?: boolean;
  /** The image's flavour when it does not tell it itself (--flavour); must agree when it does. */
  flavour?: Flavour;
  /** The rig's known-good image: flashed even if its flavour cannot be told. */
  trusted?: boolean;
  /** Write only this FMAP region (e.g. "COREBOOT"); the chip's BOOTORDER is checked and fixed. */
  region?: string;
  /**
   * Read the settings' 4 KiB back with a separate flashrom read even after a verified write.
   * Default off: flashrom's verify already read every byte back and compared it.
   */
  readBack?: boolean;
  cacheRoot?: string;
  /** The user's ROM when `source` names a Dasharo release (--firmware-file). */
  file?: string;
  /** Where a release's checksum and keys come from (tests, mirrors). */
  release?: ReleaseOptions;
}

export interface FlashReport {
  image: ImageReport & {
    sha256: string;
    origin: string;
    fromCache: boolean;
    checksum: string;
    /** A Dasharo release source: the published checksum and the signature check. */
    release?: ReleaseCheck;
  };
  outcome: FlashOutcome;
  attempts: number;
  verdict?: ChipVerdict;
  settingsChanged: string[];
  /** Settings read back from the chip after the write ("iommu=on pxe=on", "NetworkBoot=on, IOMMU always on"). */
  chipSettings: string;
  /** The same as data, for the session's report; undefined when unknown (no bootorder, NetworkBoot unset). */
  settingsOnChip?: FirmwareSettings;
  lastImage?: string;
  /** Whole-chip reads and erase/write passes this flash cost (the bus time on a real chip). */
  chipPasses: ChipPasses;
  warnings: string[];
}

/** Rigs whose chip was already read in this process ("before the first flash of a run"). */
const readThisRun = new Set<string>();

export async function flashFirmware(deps: FlashDeps, source: string, opts: FlashOptions = {}): Promise<FlashReport> {
  const { rig } = deps;
  const flasher = rig.flasher;
  if (!flasher) throw new FlashRefused('REFUSED_NO_FLASHER', `rig ${rig.name} has no flasher`);
  const root = opts.cacheRoot ?? cacheRoot();
  progress.emit('stage', 'flash: image');
  if (isReleaseSpec(source)) releaseFitsRig(parseReleaseSpec(source), rig, opts);
  const img = await resolveImage(source, {
    sha256: opts.sha256,
    cacheRoot: root,
    file: opts.file,
    release: opts.release,
  });
  const { info, report } = validateImage(img.bytes, rig, {
    forceBoard: opts.forceBoard,
    // A release names its flavour: the image must agree with it as with --flavour.
    flavour: opts.flavour ?? img.release?.flavour,
    trusted: opts.trusted,
  });
  const warnings = [...report.warnings];
  progress.emit(
    'info',
    `flash: ${img.name} ${report.flavour ?? '(flavour untold)'} ${report.version ?? '(no version)'} for ${report.board ?? '?'}; regions: ${report.regions.join(', ')}`,
  );
  const wanted = opts.settings ?? rig.firmware ?? {};
  const refused = refusedSetting(report.flavour, wanted);
  if (refused) throw new FlashRefused('REFUSED_SETTING', refused);
  const unsupported = unsupportedSettings(report.flavour, wanted);
  if (unsupported) warnings.push(unsupported);
  const image = Buffer.from(img.bytes); // the cached bytes stay as published
  const settingsChanged: string[] = [];
  const uefi = report.flavour === 'dasharo-uefi';
  if (uefi && (!opts.region || opts.region === 'SMMSTORE')) {
    // Refuses (nothing touched yet) an SMMSTORE it cannot edit; CBFS stays as signed.
    settingsChanged.push(...applyUefiSettings(image, wanted).changed);
  } else if (uefi && wanted.pxe !== undefined) {
    warnings.push(`--region ${opts.region} keeps the chip's SMMSTORE: NetworkBoot not written (read back below)`);
  } else if (!opts.region && !unsupported) {
    const s = applySettings(image, info.bootorder, wanted);
    settingsChanged.push(...s.changed);
    if (s.warning) warnings.push(s.warning);
  }
  const work = boardDir(rig.name, root);
  await mkdir(work, { recursive: true });
  const imagePath = join(work, 'to-flash.rom');
  await writeFile(imagePath, image);

  const { shell, close } = await openFlasherShell(flasher, deps.controller);
  const flashrom = new Flashrom({ shell, config: flasher, chip: flasher.chip, prefer: boardChips(rig) });
  try {
    return await withFlashAccess(
      { power: deps.power, gpio: deps.gpio, flasher, minOffMs: rig.power.minOffMs },
      async () => {
        let before: Buffer | undefined;
        let lastImage: string | undefined;
        if (!readThisRun.has(rig.name) || opts.region) {
          before = await readChip(flashrom, join(work, 'before.rom'));
          lastImage = await keepLastImage(rig.name, before, root);
          readThisRun.add(rig.name);
        }
        let intended: Buffer = image;
        let regions: string[] | undefined;
        if (opts.region) {
          const plan = planRegionFlash(image, before!, opts.region, wanted);
          await writeFile(imagePath, image); // BOOTORDER may have been fixed in it
          ({ intended, regions } = plan);
          settingsChanged.push(...plan.changed);
          if (!plan.changed.length && plan.chipKnobsBefore)
            progress.emit('info', "flash: chip's BOOTORDER already right");
        }
        const w = await writeAndRecover({
          flashrom,
          imagePath,
          regions,
          intended,
          before,
          beforePath: before ? join(work, 'before.rom') : undefined,
          workDir: work,
          restore: {
            enabled: flasher.restoreOnVerifyFailure,
            knownGoodPath: existsSync(knownGoodPath(rig.name, root)) ? knownGoodPath(rig.name, root) : undefined,
          },
        });
        if (w.verdict === 'written')
          warnings.push(`flashrom said ${w.outcome.kind}, but the chip read back holds the new image`);
        await keepFlashed(rig.name, intended, root);
        const verified = w.verdict === undefined && !opts.readBack; // verified or identical: whole chip compared
        const { chipSettings, settingsOnChip } = await readBackSettings(flashrom, intended, { verified, work, uefi });
        progress.emit('info', `flash: chip settings now ${chipSettings}`);
        return {
          image: {
            ...report,
            sha256: img.sha256,
            origin: img.origin,
            fromCache: img.fromCache,
            checksum: img.checksum,
            ...(img.release ? { release: img.release } : {}),
          },
          outcome: w.outcome,
          attempts: w.attempts,
          verdict: w.verdict,
          settingsChanged,
          chipSettings,
          settingsOnChip,
          lastImage,
          chipPasses: { ...flashrom.passes },
          warnings,
        };
      },
      { write: true },
    );
  } finally {
    await close();
  }
}

/** A release for another board, or of another flavour than --flavour, is refused before any download. */
function releaseFitsRig({ release, board, spec }: ReleaseSpec, rig: Rig, opts: FlashOptions): void {
  if (opts.flavour && opts.flavour !== release.flavour)
    throw new FlashRefused('REFUSED_FLAVOUR', `${spec} is ${release.flavour}, not the ${opts.flavour} --flavour names`);
  if (!sameBoard(board, rig.board.model) && !opts.forceBoard)
    throw new FlashRefused(
      'REFUSED_WRONG_BOARD',
      `${spec} is the ${board} build, the rig's board is ${rig.board.model} (--force-board to flash anyway)`,
    );
}
