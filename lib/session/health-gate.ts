// A bench marked bad is out of service (LAVA's health): a run checks the record once the lock is
// held and refuses the bench (or, with --force, warns); `health`, a run that found the bench
// needing a human, and a bisect write it. The record lives beside the lease (lib/lock/health.ts).
import { hostname, userInfo } from 'node:os';
import { RigError } from '../core/errors.ts';
import { progress } from '../core/progress.ts';
import { type BenchHealth, type HealthStore, healthStore } from '../lock/health.ts';
import type { Session } from './session.ts';

/** The session's health record: on the bench controller for an SSH lock, else beside the local lock. */
function healthOf(s: Session): Promise<HealthStore> {
  return s.use('health record', async () =>
    healthStore(s.rig, s.rig.lock.kind === 'ssh' ? await s.controller() : undefined),
  );
}

/** 'refuse' (a run) or 'warn' (a run with --force) when the bench is marked bad. */
export async function gateOnHealth(s: Session, mode: 'refuse' | 'warn'): Promise<void> {
  const h = await (await healthOf(s)).read();
  if (h?.state !== 'bad') return;
  const said = `bench ${s.rig.name} is marked bad since ${h.at} by ${h.by}: ${h.why}`;
  if (mode === 'warn') {
    progress.emit('warn', `${said} (used anyway: --force)`);
    return;
  }
  throw new RigError(`${said}; fix it, then \`iommu-lab health --rig ${s.rig.name}\` (or --force)`, {
    code: 'BENCH_UNHEALTHY',
    part: 'session',
  });
}

/** Records the bench's health where every client of it sees it. */
export async function markHealth(s: Session, state: BenchHealth['state'], why: string): Promise<void> {
  const by = `${userInfo().username}@${hostname()} pid ${process.pid}`;
  await (await healthOf(s)).write({ state, at: new Date().toISOString(), why, by });
}
