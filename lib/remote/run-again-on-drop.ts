// An idempotent command (a `cat` of files the guest already wrote) survives the way in dropping
// while it runs: the connection is made again and the command run again, a bounded number of
// times. Only for commands that change nothing: a retried write could run twice.
import { RigError } from '../core/errors.ts';
import type { CommandResult } from '../core/result.ts';
import type { RemoteShell, RunOptions } from './types.ts';

export interface RunAgainOptions extends RunOptions {
  /** Tries in all (default 3). */
  tries?: number;
  /** How long each reconnect may wait (default 30 s). */
  reconnectMs?: number;
}

const isDrop = (e: unknown): boolean => e instanceof RigError && e.code === 'SSH_DROPPED';

export async function runIdempotent(
  shell: RemoteShell,
  command: string,
  opts: RunAgainOptions = {},
): Promise<CommandResult> {
  const tries = opts.tries ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await shell.run(command, opts);
    } catch (e) {
      if (!isDrop(e) || attempt >= tries) throw e;
      await shell.reconnect(opts.reconnectMs ?? 30_000);
    }
  }
}
