// A broken build that still looks like coreboot (FMAP, CBFS, version, settings all sane), so it
// passes iommu-lab's pre-flash checks, but whose payload is garbage: the board stays silent,
// like a real build that bricks the board. Only booting it (and blaming it) can tell.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function garbled(payload: string, work: string): Promise<string> {
  const bytes = await readFile(payload);
  for (let i = 0; i < bytes.length; i++) bytes[i] ^= 0xa5;
  const out = join(work, 'payload.garbled');
  await writeFile(out, bytes);
  return out;
}
