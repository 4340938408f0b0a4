// The fault injector's door: HTTP on a unix socket in the twin's run dir (no TCP port, nothing a
// real bench has): POST /fault/<name>?count=&holdMs=&waitMs= → 200 {"done": "..."} or 4xx/409
// {"error": "..."}. Answered once the fault is in place.
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { isFaultName } from './faults.ts';
import type { FaultInjector } from './injector.ts';

const num = (v: string | null): number | undefined => (v === null || v === '' ? undefined : Number(v));

export async function serveFaults(injector: FaultInjector, socketPath: string): Promise<Server> {
  rmSync(socketPath, { force: true });
  const server = createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(`${JSON.stringify(body)}\n`);
    };
    const url = new URL(req.url ?? '/', 'http://twin');
    const name = /^\/fault\/([a-z0-9-]+)$/.exec(url.pathname)?.[1];
    if (req.method !== 'POST' || !name) return reply(404, { error: 'POST /fault/<name>' });
    if (!isFaultName(name)) return reply(404, { error: `no fault "${name}"` });
    const o = {
      count: num(url.searchParams.get('count')),
      holdMs: num(url.searchParams.get('holdMs')),
      waitMs: num(url.searchParams.get('waitMs')),
    };
    if (Object.values(o).some((v) => v !== undefined && (!Number.isInteger(v) || v < 1)))
      return reply(400, { error: 'count, holdMs and waitMs are positive integers' });
    injector.inject(name, o).then(
      (done) => reply(200, { done }),
      (e) => reply(409, { error: (e as Error).message }),
    );
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socketPath, resolve));
  return server;
}
