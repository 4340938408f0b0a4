// Asks the running twin daemon to inject a fault (twin/fault/server.ts); for the CLI and tests.
import { join } from 'node:path';
import { RigError } from '../../lib/core/errors.ts';
import { twinPaths } from '../base/paths.ts';
import { replyError, unixRequest } from '../base/unix-http.ts';
import type { FaultName, FaultOptions } from './faults.ts';

export const faultSocket = join(twinPaths.run, 'fault.sock');

export async function injectFault(name: FaultName, o: FaultOptions = {}): Promise<string> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) if (v !== undefined) q.set(k, String(v));
  const fail = (why: string) => new RigError(`twin fault ${name}: ${why}`, { code: 'TWIN_FAULT' });
  const r = await unixRequest(faultSocket, 'POST', `/fault/${name}${q.size ? `?${q}` : ''}`).catch((e) => {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw fail(`the twin daemon does not answer on ${faultSocket} (${why}): is the twin up?`);
  });
  if (r.status !== 200) throw fail(replyError(r));
  try {
    return (JSON.parse(r.body.toString('utf8')) as { done?: string }).done ?? 'done';
  } catch {
    return 'done';
  }
}
