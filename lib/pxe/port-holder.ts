// Who listens on a TCP port, as `ss -ltnp` would say: the listening sockets' inodes from
// /proc/net/tcp{,6}, then the processes holding those sockets (lib/console/holders.ts). Only the
// process name is read; another user's process is not visible and is said to be so.
import { readFile } from 'node:fs/promises';
import { describeHolders, findFdHolders, type Holder } from '../console/holders.ts';

const LISTEN = '0A';

/** Inodes of the sockets listening on `port` (any address), from /proc/net/tcp-style text. */
export function listeningInodes(procNetTcp: string, port: number): string[] {
  const out: string[] = [];
  for (const line of procNetTcp.split('\n').slice(1)) {
    // "  0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000  0 123456 ..."
    const f = line.trim().split(/\s+/);
    const local = f[1]?.split(':');
    if (local?.length === 2 && Number.parseInt(local[1]!, 16) === port && f[3] === LISTEN && f[9] && f[9] !== '0')
      out.push(f[9]);
  }
  return out;
}

export async function portHolders(port: number): Promise<Holder[]> {
  const tables = await Promise.all(['/proc/net/tcp', '/proc/net/tcp6'].map((f) => readFile(f, 'utf8').catch(() => '')));
  const inodes = [...new Set(tables.flatMap((t) => listeningInodes(t, port)))];
  const holders = (await Promise.all(inodes.map((i) => findFdHolders(`socket:[${i}]`)))).flat();
  return [...new Map(holders.map((h) => [h.pid, h])).values()].sort((a, b) => a.pid - b.pid);
}

/** "held by pid 4242 (nginx)", or that the holder cannot be seen from here. */
export async function describePortHolder(port: number): Promise<string> {
  return describeHolders(await portHolders(port));
}
