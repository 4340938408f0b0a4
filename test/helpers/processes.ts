// Which processes are really alive. kill(pid, 0) also succeeds for zombies, and in a container
// whose init does not reap promptly a killed command can stay a zombie for a while.
import { readdirSync, readFileSync } from 'node:fs';

/** Pids of non-zombie processes whose process group is `pgid`. */
export function liveInGroup(pgid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // Fields after "(comm)": state ppid pgrp ...; comm may contain spaces, so split after ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') pids.push(Number(name));
  }
  return pids;
}

/** Pids of non-zombie processes whose environment holds `name=value` (children inherit it, daemons too). */
export function liveWithEnv(name: string, value: string): number[] {
  const needle = `${name}=${value}`;
  const pids: number[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
      if (env.includes(needle) && state !== 'Z' && state !== 'X') pids.push(Number(pid));
    } catch {
      // exited meanwhile, or not ours to read
    }
  }
  return pids;
}

/** Is `pid` a running (non-zombie) process? */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
