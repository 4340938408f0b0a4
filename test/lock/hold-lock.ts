// A separate process that takes a bench lock, for tests that kill it or contend with it.
// Usage: tsx hold-lock.ts <local|ssh> <dir> <rig> <ttlMs> hold
import { errorMessage } from '../../lib/core/errors.ts';
import { openLock } from '../../lib/lock/open.ts';
import { LocalShell } from '../../lib/remote/local.ts';

const [kind, dir, rig, ttl, mode] = process.argv.slice(2) as [string, string, string, string, string];
const lock = openLock(
  { name: rig, lock: kind === 'ssh' ? { kind: 'ssh', dir } : { kind: 'local', dir } },
  { controller: new LocalShell(), ttlMs: Number(ttl), runId: `child-${mode}` },
);

try {
  await lock.acquire();
} catch (e) {
  console.log(`HELD ${errorMessage(e)}`);
  process.exit(0);
}
console.log(`ACQUIRED ${process.pid}`);
if (mode === 'hold') setInterval(() => {}, 1000);
