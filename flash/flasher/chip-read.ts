// Reading the chip: the whole of it (kept before a flash; chip-ops reuses it) or only the
// settings' range (bootorder's 4 KiB, Dasharo UEFI's SMMSTORE) after a write.
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

/** Reads only one range of the chip (fast even on a real SPI bus); undefined when the read fails. */
export async function readChipRange(flashrom: Flashrom, offset: number, size: number, work: string) {
  const out = join(work, 'settings-readback.rom');
  const r = await flashrom.read(out, [offset, offset + size]);
  if (r.kind !== 'read') return undefined;
  return (await readFile(out)).subarray(offset, offset + size);
}

/** Reads only the bootorder's 4 KiB back from the chip. */
export async function readChipKnobs(flashrom: Flashrom, offset: number, size: number, work: string) {
  const bytes = await readChipRange(flashrom, offset, size, work);
  return bytes && parseBootorder(bytes).settings;
}
