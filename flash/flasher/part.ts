// The flasher as a session part: what an engineer or a run does with the chip, bound to the
// bench's power switch and controller. Opened through the session like power and console.
import { readChipTo, restoreKnownGood } from './chip-ops.ts';
import { type FlashDeps, type FlashOptions, type FlashReport, flashFirmware } from './flash-firmware.ts';

export interface Flasher {
  /** Validate, set the rig's settings, write and verify a build (path or URL). */
  flash(source: string, opts?: FlashOptions): Promise<FlashReport>;
  /** Write the rig's known-good image back, exactly as kept. */
  restoreKnownGood(): Promise<FlashReport>;
  /** Read the whole chip into a file. */
  readChip(out: string): Promise<void>;
}

export function flasherPart(deps: FlashDeps): Flasher {
  return {
    flash: (source, opts) => flashFirmware(deps, source, opts),
    restoreKnownGood: () => restoreKnownGood(deps),
    readChip: (out) => readChipTo(deps, out),
  };
}
