// Asks the running twin daemon to inject a fault (twin/fault/server.ts); for the CLI and tests.
import { request } from 'node:http';
import { join } from 'node:path';
import { RigError } from '../../lib/core/errors.ts';
import { twinPaths } from '../base/paths.ts';
import type { FaultName, FaultOptions } from './injector.ts';

export const faultSocket = join(twinPaths.run, 'fault.sock');

export function injectFault(name: FaultName, o: FaultOptions = {}): Promise<string> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) if (v !== undefined) q.set(k, String(v));
  const path = `/fault/${name}${q.size ? `?${q}` : ''}`;
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: faultSocket, path, method: 'POST' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => {
        let parsed: { done?: string; error?: string } = {};
        try {
          parsed = JSON.parse(body) as typeof parsed;
        } catch {}
        if (res.statusCode === 200) resolve(parsed.done ?? 'done');
        else
          reject(
            new RigError(`twin fault ${name}: ${parsed.error ?? `HTTP ${res.statusCode}`}`, {
              code: 'TWIN_FAULT',
              part: 'twin',
            }),
          );
      });
    });
    req.on('error', (e) =>
      reject(
        new RigError(
          `twin fault ${name}: the twin daemon does not answer on ${faultSocket} (${(e as NodeJS.ErrnoException).code ?? e.message}): is the twin up?`,
          {
            code: 'TWIN_FAULT',
            part: 'twin',
          },
        ),
      ),
    );
    req.end();
  });
}
