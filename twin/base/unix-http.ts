// One HTTP request to the twin daemon over a unix socket in its run dir (its fault injector and
// its memory observer): nothing a real bench has, so no TCP port either.
import { request } from 'node:http';

export interface UnixReply {
  status: number;
  body: Buffer;
}

/** Rejects only when nothing answers on the socket (the error's code says why: ENOENT, ECONNREFUSED). */
export function unixRequest(socketPath: string, method: 'GET' | 'POST', path: string): Promise<UnixReply> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The JSON error a door answered with, or its HTTP status. */
export function replyError(r: UnixReply): string {
  try {
    const e = (JSON.parse(r.body.toString('utf8')) as { error?: unknown }).error;
    if (typeof e === 'string') return e;
  } catch {}
  return `HTTP ${r.status}`;
}
