// The rig's `lock` section: where the bench lock lives (this host, or the bench controller over
// SSH), which bench it guards and how long a lease lives. Owned by lib/lock; lib/rig composes it.
import { z } from 'zod';
import { int } from '../core/rig-fields.ts';

/**
 * How long a lease lives without renewal (renewed every third of it). Short enough that a
 * killed job's lease expires soon, long enough to ride out a slow controller; capped at 10 min
 * (lib/lock/lease.ts caps what any record claims the same way).
 */
const leaseTtl = int(300, 600_000, ' ms (10 min)').default(60_000);
/**
 * The bench the lock guards, when several rigs describe one bench (the twin with Xen 4.17 or 4.20
 * images): they take one lock, so they never drive the board at once. Defaults to the rig's name.
 */
const lockBench = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'kebab-case')
  .optional();

export const lockSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('local'), dir: z.string().optional(), bench: lockBench, ttlMs: leaseTtl }),
  z.strictObject({
    kind: z.literal('ssh'),
    dir: z.string().default('/var/lock/iommu-lab'),
    bench: lockBench,
    ttlMs: leaseTtl,
  }),
]);

export type LockConfig = z.output<typeof lockSchema>;

/** What the lock needs of a rig: its name and its lock section. */
export interface LockedRig {
  name: string;
  lock: LockConfig;
}
