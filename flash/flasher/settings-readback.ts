// The settings on the chip after a write, for the report: from the image itself when flashrom
// verified every byte, else read back from the chip — only their range (bootorder's 4 KiB, or
// Dasharo UEFI's SMMSTORE region), which is quick even on a real SPI bus.
import { inspectImage, readImageSettings } from '../image/inspect.ts';
import { describeKnobs, type FirmwareSettings, knobsToSettings } from '../supply/settings.ts';
import { readUefiSettings, smmstoreRegionOf } from '../supply/uefi-settings.ts';
import { readChipKnobs, readChipRange } from './chip-read.ts';
import type { Flashrom } from './flashrom.ts';

export interface SettingsReadBack {
  /** "iommu=on pxe=on (verified by flashrom)", "NetworkBoot=on, IOMMU always on". */
  chipSettings: string;
  /** The same as data, for the session's report; undefined when unknown. */
  settingsOnChip?: FirmwareSettings;
}

export interface ReadBackOptions {
  /** flashrom compared the whole chip with `intended` (or found it identical). */
  verified: boolean;
  work: string;
  /** Dasharo UEFI: NetworkBoot in SMMSTORE, not a bootorder. */
  uefi: boolean;
}

export async function readBackSettings(
  flashrom: Flashrom,
  intended: Buffer,
  o: ReadBackOptions,
): Promise<SettingsReadBack> {
  const verified = o.verified ? ' (verified by flashrom)' : '';
  if (o.uefi) {
    const a = smmstoreRegionOf(intended);
    if (!a) return { chipSettings: 'unknown (no SMMSTORE region)' };
    const region = o.verified
      ? intended.subarray(a.offset, a.offset + a.size)
      : await readChipRange(flashrom, a.offset, a.size, o.work);
    if (!region) return { chipSettings: 'unknown (read back failed)' };
    const r = readUefiSettings(region);
    return { chipSettings: r.text.startsWith('unknown') ? r.text : r.text + verified, settingsOnChip: r.settings };
  }
  const loc = inspectImage(intended).bootorder;
  if (!loc) return { chipSettings: describeKnobs(undefined) };
  const knobs = o.verified
    ? readImageSettings(intended, loc)
    : await readChipKnobs(flashrom, loc.offset, loc.size, o.work);
  if (!knobs) return { chipSettings: 'unknown (read back failed)' };
  return { chipSettings: describeKnobs(knobs) + verified, settingsOnChip: knobsToSettings(knobs) };
}
