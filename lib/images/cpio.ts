// Packs a directory as a newc initramfs, the format the Linux kernel unpacks.

import { check } from '../core/exec.ts';
import { shq } from '../core/quote.ts';

export type Compression = 'none' | 'gzip-1' | 'gzip-9';

export async function packCpio(dir: string, out: string, compression: Compression): Promise<void> {
  const gzip = compression === 'none' ? '' : ` | gzip -${compression === 'gzip-1' ? 1 : 9} -n`;
  // Sorted names make the archive reproducible; set -o pipefail is not POSIX, so check both ends.
  await check(
    [
      'sh',
      '-c',
      `set -e; cd ${shq(dir)}; find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet --reproducible${gzip} > ${shq(out)}`,
    ],
    { timeoutMs: 10 * 60_000 },
  );
}
