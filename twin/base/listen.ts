import type { Server } from 'node:net';

/** Listens on a loopback endpoint of the twin; a port in use rejects instead of throwing later. */
export function listenOn<S extends Pick<Server, 'once' | 'listen'>>(
  server: S,
  port: number,
  host = '127.0.0.1',
): Promise<S> {
  return new Promise<S>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
