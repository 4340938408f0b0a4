// Which process holds a console device: first the owner of its flock (/proc/locks: what
// serialport's `lock: true` collides with), else every process with it open (/proc/<pid>/fd,
// what fuser does). Only the process name (comm) is read: a command line may hold a password.
import { readdir, readFile, readlink, realpath, stat } from 'node:fs/promises';
import { basename } from 'node:path';

export interface Holder {
  pid: number;
  name: string;
}

export async function findHolders(device: string): Promise<Holder[]> {
  const lockers = await findLockers(device);
  return lockers.length ? lockers : findOpeners(device);
}

/** Processes holding a flock/POSIX lock on the device's inode. */
async function findLockers(device: string): Promise<Holder[]> {
  const st = await stat(device).catch(() => undefined);
  if (!st) return [];
  const major = (st.dev >> 8) & 0xfff;
  const minor = (st.dev & 0xff) | ((st.dev >> 12) & 0xfff00);
  const locks = await readFile('/proc/locks', 'utf8').catch(() => '');
  const pids = new Set<number>();
  for (const line of locks.split('\n')) {
    // "1: FLOCK  ADVISORY  WRITE 10315 00:1a:4 0 EOF"
    const m = /^\d+: \S+\s+\S+\s+\S+\s+(\d+)\s+([0-9a-f]+):([0-9a-f]+):(\d+)\s/.exec(line);
    if (m && Number.parseInt(m[2], 16) === major && Number.parseInt(m[3], 16) === minor && Number(m[4]) === st.ino)
      pids.add(Number(m[1]));
  }
  return withNames([...pids]);
}

/** Processes (other than this one) with the device open. */
export async function findOpeners(device: string): Promise<Holder[]> {
  const target = await realpath(device).catch(() => undefined);
  return target ? findFdHolders(target) : [];
}

/**
 * Processes (other than this one) with an open descriptor whose link reads `target`: a file's
 * real path, or `socket:[<inode>]` for a socket (what a port's holder is found by).
 */
export async function findFdHolders(target: string): Promise<Holder[]> {
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((p) => /^\d+$/.test(p));
  const found: number[] = [];
  await Promise.all(
    pids.map(async (p) => {
      if (Number(p) === process.pid) return;
      const fds = await readdir(`/proc/${p}/fd`).catch(() => [] as string[]);
      for (const fd of fds) {
        if ((await readlink(`/proc/${p}/fd/${fd}`).catch(() => '')) === target) return void found.push(Number(p));
      }
    }),
  );
  return withNames(found);
}

async function withNames(pids: number[]): Promise<Holder[]> {
  const named = await Promise.all(pids.map(async (pid) => ({ pid, name: await processName(pid) })));
  return named.sort((a, b) => a.pid - b.pid);
}

/**
 * Names a process's main thread may be given that say nothing about the program. The kernel shows
 * the main thread's name as the process's: Node >= 24 names it "MainThread", so without this every
 * Node program (another iommu-lab run first of all) would be "MainThread" — as `ss -p` shows it.
 */
const THREAD_NAMES = new Set(['MainThread']);

/** The process's name (comm), or its executable's when comm is only a thread name. */
async function processName(pid: number): Promise<string> {
  const comm = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '?')).trim();
  if (!THREAD_NAMES.has(comm)) return comm;
  // Another user's process hides its executable; then its comm is all there is.
  const exe = await readlink(`/proc/${pid}/exe`).catch(() => '');
  return basename(exe.replace(/ \(deleted\)$/, '')) || comm;
}

export function describeHolders(holders: Holder[]): string {
  if (holders.length === 0) return 'held by another process (not visible from here: another user or container?)';
  const [first, ...rest] = holders;
  const more = rest.length ? ` and ${rest.map((h) => `pid ${h.pid} (${h.name})`).join(', ')}` : '';
  return `held by pid ${first.pid} (${first.name})${more}`;
}
