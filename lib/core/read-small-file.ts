// A small text file a user named (a key, a record): a regular file of at most maxBytes, opened
// non-blocking so a FIFO cannot hang the process and /dev/zero cannot fill the memory.
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';

export class NotASmallFile extends Error {}

export async function readSmallFile(path: string, maxBytes: number): Promise<string> {
  const h = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await h.stat();
    if (!st.isFile()) throw new NotASmallFile('not a regular file');
    if (st.size > maxBytes) throw new NotASmallFile(`${st.size} bytes, more than the ${maxBytes} expected`);
    return await h.readFile('utf8');
  } finally {
    await h.close();
  }
}

/** readSmallFile for synchronous callers (a command reading its inputs before anything else). */
export function readSmallFileSync(path: string, maxBytes: number): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new NotASmallFile('not a regular file');
    if (st.size > maxBytes) throw new NotASmallFile(`${st.size} bytes, more than the ${maxBytes} expected`);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
