// The twin's flash chip content when nobody flashed one: a healthy build with IOMMU and PXE on,
// which is what the twin rig's firmware settings ask for (a PC Engines release ships with both
// off: `iommu-lab twin firmware` without flags builds that one).
import { existsSync, statSync } from 'node:fs';
import { buildTwinFirmware } from './build.ts';
import { FLASH_SIZE } from './layout.ts';

export async function ensureFlashImage(path: string): Promise<boolean> {
  if (existsSync(path) && statSync(path).size === FLASH_SIZE) return false;
  await buildTwinFirmware({ out: path, iommu: true, pxe: true });
  return true;
}
