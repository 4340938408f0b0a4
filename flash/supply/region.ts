// `--fmap -i COREBOOT`: write only the code, keep the chip's other regions. From v4.14.0.1 the
// settings live in the BOOTORDER region, so such a flash keeps the *previous* build's settings:
// we read them from the chip and, if they are not what the rig needs, write BOOTORDER too.
import { setKnobs } from '../image/bootorder.ts';
import { type Fmap, findFmap, fmapArea } from '../image/fmap.ts';
import { FlashRefused } from './errors.ts';
import { type FirmwareSettings, settingsToKnobs } from './settings.ts';

export interface RegionPlan {
  regions: string[];
  /** What the chip must hold afterwards (the chip as read, with the written regions replaced). */
  intended: Buffer;
  /** Knobs fixed in the chip's BOOTORDER, e.g. ["iommu 0→1"]. */
  changed: string[];
  chipKnobsBefore?: Record<string, string>;
}

function sameArea(a: Fmap, b: Fmap, name: string): boolean {
  const x = fmapArea(a, name);
  const y = fmapArea(b, name);
  return !!x && !!y && x.offset === y.offset && x.size === y.size;
}

export function planRegionFlash(image: Buffer, chip: Buffer, region: string, wanted: FirmwareSettings): RegionPlan {
  const imageFmap = findFmap(image);
  const chipFmap = findFmap(chip);
  if (!imageFmap || !fmapArea(imageFmap, region))
    throw new FlashRefused('REFUSED_NOT_COREBOOT', `the image has no FMAP region ${region}`);
  // flashrom --fmap takes the layout from the chip: it must agree with the image's.
  if (!chipFmap || !sameArea(imageFmap, chipFmap, region))
    throw new FlashRefused(
      'REFUSED_NOT_COREBOOT',
      `the chip's FMAP does not have the image's ${region} region; flash the whole image instead`,
    );
  const regions = [region];
  const intended = Buffer.from(chip);
  const copy = (name: string, from: Buffer) => {
    const a = fmapArea(imageFmap, name)!;
    from.copy(intended, a.offset, a.offset, a.offset + a.size);
  };
  copy(region, image);
  const changed: string[] = [];
  let chipKnobsBefore: Record<string, string> | undefined;
  const bo = fmapArea(chipFmap, 'BOOTORDER');
  const knobs = settingsToKnobs(wanted);
  if (bo && Object.keys(knobs).length) {
    if (!sameArea(imageFmap, chipFmap, 'BOOTORDER'))
      throw new FlashRefused('REFUSED_SETTINGS', "the chip's BOOTORDER region does not match the image's");
    const current = chip.subarray(bo.offset, bo.offset + Math.min(bo.size, 4096));
    const edit = setKnobs(current, knobs);
    chipKnobsBefore = Object.fromEntries(
      Object.keys(knobs).map((k) => [k, edit.changed.find((c) => c.knob === k)?.from ?? knobs[k]!]),
    );
    if (edit.changed.length) {
      edit.bytes.copy(intended, bo.offset);
      edit.bytes.copy(image, bo.offset); // flashrom writes BOOTORDER from the image file
      regions.push('BOOTORDER');
      changed.push(...edit.changed.map((c) => `${c.knob} ${c.from ?? '(none)'}→${c.to} (chip BOOTORDER)`));
    }
  }
  return { regions, intended, changed, chipKnobsBefore };
}
