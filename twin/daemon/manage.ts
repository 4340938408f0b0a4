// Managing the twin daemon from the CLI and from a session: start it detached, find it, stop it.
import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { RigError } from '../../lib/core/errors.ts';
import { PROJECT_ROOT } from '../../lib/core/paths.ts';
import { progress } from '../../lib/core/progress.ts';
import { lastLines } from '../../lib/core/result.ts';
import { BOOKWORM, type ImageRelease } from '../../lib/images/release.ts';
import { alive, isTwinDaemon, lockHolder } from '../base/lock.ts';
import { twinPaths, twinPorts } from '../base/paths.ts';
import { ensureTwinImages } from '../images/index.ts';
import { imagesBuilt, twinImagesRoot } from '../images/sets.ts';

const DAEMON = join(import.meta.dirname, 'daemon.ts');
const daemonLog = join(twinPaths.run, 'daemon.log');
const statusPath = join(twinPaths.run, 'status.json');

export interface TwinStatus {
  running: boolean;
  pid?: number;
  relay?: 'on' | 'off';
  board?: string;
  spiMux?: string;
  chip?: string;
  writeProtect?: string;
  cmosClears?: number;
  serialClient?: boolean;
  ports: typeof twinPorts;
}

export function twinStatus(): TwinStatus {
  const pid = lockHolder(twinPaths.lock);
  if (!pid || !isTwinDaemon(pid)) return { running: false, ports: twinPorts };
  let s: Partial<TwinStatus> = {};
  try {
    s = JSON.parse(readFileSync(statusPath, 'utf8')) as Partial<TwinStatus>;
  } catch {}
  return { ...s, running: true, pid, ports: twinPorts };
}

export async function twinUp(opts: { timeoutMs?: number } = {}): Promise<TwinStatus> {
  const current = twinStatus();
  if (current.running) return current;
  const holder = lockHolder(twinPaths.lock);
  if (holder) {
    throw new RigError(`the twin lock ${twinPaths.lock} is held by pid ${holder} (not a twin daemon)`, {
      code: 'TWIN_LOCKED',
    });
  }
  await mkdir(twinPaths.run, { recursive: true });
  const out = openSync(daemonLog, 'a');
  const args = ['--import', 'tsx', DAEMON];
  const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, detached: true, stdio: ['ignore', out, out] });
  child.unref();
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    if (child.exitCode !== null || (child.pid && !alive(child.pid))) break;
    const s = twinStatus();
    if (s.running && s.pid === child.pid && existsSync(statusPath)) {
      const st = JSON.parse(readFileSync(statusPath, 'utf8')) as { pid?: number; ready?: boolean };
      if (st.pid === child.pid && st.ready) return s;
    }
  }
  const tail = existsSync(daemonLog) ? lastLines(readFileSync(daemonLog, 'utf8'), 8) : '';
  if (child.exitCode === null) child.kill('SIGTERM');
  const code = tail.includes('TWIN_LOCKED') ? 'TWIN_LOCKED' : 'TWIN_START';
  throw new RigError(`twin daemon did not come up (log: ${daemonLog})\n${tail}`, { code, part: 'twin' });
}

export async function twinDown(timeoutMs = 15_000): Promise<boolean> {
  const pid = lockHolder(twinPaths.lock);
  if (!pid) return false;
  // Never signal a process that merely holds the lock (e.g. a test running its own QEMU).
  if (!isTwinDaemon(pid)) {
    throw new RigError(`the twin lock ${twinPaths.lock} is held by pid ${pid}, which is not a twin daemon`, {
      code: 'TWIN_LOCKED',
    });
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && alive(pid)) await new Promise((r) => setTimeout(r, 100));
  // Its QEMU and sshd die with it (pdeathsig) even if it has to be killed.
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  return true;
}

/**
 * For sessions on a twin rig: builds the images that rig serves (Xen 4.17's unless it serves the
 * 4.20 set) if needed and starts the daemon if down.
 */
export async function ensureTwinUp(release: ImageRelease = BOOKWORM): Promise<void> {
  // A daemon started by older code left no `images/current` link, which the rig's boot server
  // serves from: finding the cached images makes it (no build while the twin runs).
  if (twinStatus().running) {
    if (imagesBuilt(release) && !existsSync(join(twinImagesRoot(release), twinPaths.currentImages)))
      await ensureTwinImages({ release });
    return;
  }
  progress.emit('step', 'twin images');
  // Built (or found) before the run: the session's boot server serves them (<set folder>/current).
  await ensureTwinImages({ release }); // reports on the progress bus itself
  progress.emit('step', 'twin up');
  await twinUp();
}
