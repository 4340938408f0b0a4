// Reads a rig file's bytes safely: only a regular file, and only a sane amount of it. A FIFO
// given as a rig would block the open for ever, and a device (/dev/zero) would be read until
// memory runs out; both are refused after one non-blocking open and an fstat of that open file
// (so nothing can swap the file between the check and the read).
import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';

/** A rig is a few kilobytes; anything past this is not a rig. */
export const MAX_RIG_BYTES = 1024 * 1024;

/** Why a path cannot be read as a rig, in words ("cannot read: a FIFO, not a rig file"). */
export class RigUnreadable extends Error {}

function kind(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a FIFO';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * The file's text (UTF-8, a leading byte-order mark dropped, as editors on Windows write it);
 * with `read: false` only the checks. Throws RigUnreadable.
 */
export async function readRigFile(path: string, opts: { read: boolean } = { read: true }): Promise<string> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new RigUnreadable(`cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const s = await fh.stat();
    if (!s.isFile()) throw new RigUnreadable(`cannot read: ${kind(s)}, not a rig file`);
    if (s.size > MAX_RIG_BYTES)
      throw new RigUnreadable(`cannot read: ${s.size} bytes, more than a rig file may have (${MAX_RIG_BYTES})`);
    if (!opts.read) return '';
    const buf = Buffer.alloc(MAX_RIG_BYTES + 1);
    let n = 0;
    for (let got = -1; got !== 0 && n < buf.length; n += got) got = (await fh.read(buf, n, buf.length - n)).bytesRead;
    if (n > MAX_RIG_BYTES) throw new RigUnreadable(`cannot read: more than ${MAX_RIG_BYTES} bytes`);
    return buf
      .subarray(0, n)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
  } finally {
    await fh.close();
  }
}
