// The firmware's runtime settings as the console showed them at this boot — also when iommu-lab
// flashed nothing and never read the chip. Three sources, the most direct first:
//  - a line naming the bootorder knob: "IOMMU: enabled (bootorder: iommu1)" (the twin's coreboot
//    prints it; a real PC Engines release build does not);
//  - the setup menu, when it was shown: "  v IOMMU - Currently Enabled", "  n Network/PXE boot - …";
//  - PC Engines' SeaBIOS prompt offers "N for PXE boot" only with pxen1 (SeaBIOS is_tag_enabled).
import { type Line, toLines } from '../core/text.ts';
import { parseFirmwareLog } from './banner.ts';

/** Keys as the chip's settings use them (FirmwareInfo.settings): bootorder's iommu and pxen. */
export interface BootSettings {
  iommu?: boolean;
  pxe?: boolean;
}

const KNOB_LINE = /\b[\w/ ]+: (enabled|disabled) \(bootorder: ([a-z]+)([01])\)/;
const KNOB_KEY: Record<string, keyof BootSettings> = { iommu: 'iommu', pxen: 'pxe' };
const MENU_KEY: Record<string, keyof BootSettings> = { IOMMU: 'iommu', 'Network/PXE boot': 'pxe' };

export function settingsAtBoot(input: string | Line[]): BootSettings {
  const lines = typeof input === 'string' ? toLines(input) : input;
  const out: BootSettings = {};
  const banner = parseFirmwareLog(lines);
  if (banner.pxeOffered !== null) out.pxe = banner.pxeOffered;
  for (const [name, on] of Object.entries(banner.settings)) {
    const key = MENU_KEY[name];
    if (key) out[key] = on;
  }
  for (const { text } of lines) {
    const m = KNOB_LINE.exec(text);
    const key = m && KNOB_KEY[m[2]!];
    if (key) out[key] = m[3] === '1';
  }
  return out;
}
