// Which processes hold a device open: scans /proc/<pid>/fd (what fuser does), so a busy console
// is reported with its holder's pid and name rather than as "Cannot lock port". Only the process
// name (comm) is read: a command line may hold a password.
import { readdir, readFile, readlink, realpath } from 'node:fs/promises';

export interface Holder {
  pid: number;
  name: string;
}

export async function findHolders(device: string): Promise<Holder[]> {
  let target: string;
  try {
    target = await realpath(device);
  } catch {
    return [];
  }
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((p) => /^\d+$/.test(p));
  const holders: Holder[] = [];
  await Promise.all(
    pids.map(async (p) => {
      const pid = Number(p);
      if (pid === process.pid) return;
      const fds = await readdir(`/proc/${p}/fd`).catch(() => [] as string[]);
      for (const fd of fds) {
        if ((await readlink(`/proc/${p}/fd/${fd}`).catch(() => '')) !== target) continue;
        const name = (await readFile(`/proc/${p}/comm`, 'utf8').catch(() => '?')).trim();
        holders.push({ pid, name });
        return;
      }
    }),
  );
  return holders.sort((a, b) => a.pid - b.pid);
}

export function describeHolders(holders: Holder[]): string {
  if (holders.length === 0) return 'held by another process (not visible from here: another user or container?)';
  const [first, ...rest] = holders;
  const more = rest.length ? ` and ${rest.map((h) => `pid ${h.pid} (${h.name})`).join(', ')}` : '';
  return `held by pid ${first.pid} (${first.name})${more}`;
}
