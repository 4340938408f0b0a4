// A separate process that takes a bench lock, for tests that kill it, signal it or race it.
// Usage: tsx hold-lock.ts <local|ssh> <dir> <rig> <ttlMs> <mode>
import { errorMessage } from '../../lib/core/errors.ts';
import { installExitHandlers } from '../../lib/lock/exit-handlers.ts';
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
// Handlers first: the test signals as soon as it reads ACQUIRED.
if (mode.startsWith('handlers')) installExitHandlers(lock, { ownUncaught: mode === 'handlers-own-throw' });
console.log(`ACQUIRED ${process.pid}`);
if (mode === 'hold' || mode === 'handlers-hold') setInterval(() => {}, 1000);
if (mode === 'race') setTimeout(() => lock.release(), 1500);
if (mode === 'handlers-exit') process.exit(0);
if (mode === 'handlers-own-throw' || mode === 'handlers-throw')
  setTimeout(() => {
    throw new Error('boom');
  }, 10);
// 'handlers-end': nothing keeps the loop alive; the process ends normally.
