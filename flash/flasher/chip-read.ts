// Reading the chip: the whole of it (kept before a flash; chip-ops reuses it) or only the
// bootorder's 4 KiB after a write.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RigError } from '../../lib/core/errors.ts';
import { parseBootorder } from '../image/bootorder.ts';
import type { Flashrom } from './flashrom.ts';

export async function readChip(flashrom: Flashrom, out: string): Promise<Buffer> {
  let r = await flashrom.read(out);
  if (r.kind === 'chip-not-found') r = await flashrom.read(out); // one retry: clip contact
  if (r.kind !== 'read')
    throw new RigError(`flash: reading the chip failed: ${r.kind}: ${r.detail}`, {
      code: 'FLASH_READ',
      phase: 'read',
    });
  return readFile(out);
}

/** Reads only the bootorder's 4 KiB back from the chip (fast even on a real SPI bus). */
export async function readChipKnobs(flashrom: Flashrom, offset: number, size: number, work: string) {
  const out = join(work, 'settings-readback.rom');
  const r = await flashrom.read(out, [offset, offset + size]);
  if (r.kind !== 'read') return undefined;
  const chip = await readFile(out);
  return parseBootorder(chip.subarray(offset, offset + size)).settings;
}
