// A long-lived connection to a machine that reboots under it (dom0 across a power cycle or a
// hang): reused while it answers, reconnected only when it does not.
import type { RemoteShell } from './types.ts';

/** How long a live connection gets to answer `true` before it counts as dropped. */
const PROBE_MS = 10_000;

export async function aliveOrReconnected(shell: RemoteShell, timeoutMs: number): Promise<RemoteShell> {
  const alive = await shell.run('true', { timeoutMs: PROBE_MS }).then(
    (r) => r.exitCode === 0,
    () => false,
  );
  if (!alive) await shell.reconnect(timeoutMs);
  return shell;
}
