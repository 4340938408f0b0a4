// Reads the twin board's physical memory through the daemon's observer door (twin/observe/server.ts).
import { join } from 'node:path';
import { RigError } from '../../lib/core/errors.ts';
import { twinPaths } from '../base/paths.ts';
import { replyError, unixRequest } from '../base/unix-http.ts';

export const observeSocket = join(twinPaths.run, 'observe.sock');

export async function readTwinMemory(address: bigint, length: number): Promise<Buffer> {
  const at = `0x${address.toString(16)}`;
  const fail = (why: string) => new RigError(`twin memory at ${at}: ${why}`, { code: 'TWIN_OBSERVE' });
  const r = await unixRequest(observeSocket, 'GET', `/memory?address=${at}&length=${length}`).catch((e) => {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw fail(`the twin daemon does not answer on ${observeSocket} (${why}): is the twin up?`);
  });
  if (r.status !== 200) throw fail(replyError(r));
  if (r.body.length !== length) throw fail(`${r.body.length} bytes came back, not ${length}`);
  return r.body;
}
