// The flasher as a session part: what an engineer or a run does with the chip, bound to the
// bench's power switch and (for a flasher on the bench controller) its SSH. Opened once per
// session, on first use, like dom0 and the controller.
import type { Session } from '../../lib/session/session.ts';
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

/** The flasher of the bench this session holds. */
export function sessionFlasher(s: Session): Promise<Flasher> {
  return s.use('flasher', async () => {
    const controller = s.rig.flasher?.where === 'ssh' ? await s.controller() : undefined;
    return flasherPart({ rig: s.rig, power: s.power, controller });
  });
}
