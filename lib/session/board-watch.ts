// dom0's SSH seen together with the board's console. When a dom0 connection dies under a suite,
// the console says why: a panic there means the board died (the board's failure, exit 1), not
// that the lab's network dropped SSH (exit 2). Nobody waits on the console during a suite, so
// the panic is still in the unconsumed console output when the SSH error arrives.
import { BootFailure } from '../boot/errors.ts';
import { isConsoleDeath } from '../console/death.ts';
import type { Console } from '../console/types.ts';
import { isRigError } from '../core/errors.ts';
import type { RemoteShell, RunOptions } from '../remote/types.ts';

/** How long to listen for the rest of a panic after SSH failed. */
const LISTEN_MS = 1500;

/** The board's death, if its console shows one; never throws. */
export async function boardDeath(console: Console | undefined): Promise<BootFailure | undefined> {
  if (!console) return undefined;
  try {
    // Matches nothing: only the always-armed death patterns can end it early.
    await console.expect(/(?!)/, { timeout: LISTEN_MS, name: 'the board, after dom0 SSH failed' });
  } catch (e) {
    if (isConsoleDeath(e))
      return new BootFailure(`the board died under a suite: ${e.line.trim()}`, 'dom0', e.consoleTail, 'BOARD_PANIC');
  }
  return undefined;
}

/**
 * The board's death, once its console showed one: every later ask returns that death too (the
 * console shows a panic once; the next suite must not blame the lab for a dead board).
 */
export function latchedDeath(console: () => Console | undefined): () => Promise<BootFailure | undefined> {
  let died: BootFailure | undefined;
  return async () => {
    died ??= await boardDeath(console());
    return died;
  };
}

/** Wraps dom0's shell: an SSH failure becomes the board's death when `death()` finds one. */
export function watchBoard(shell: RemoteShell, death: () => Promise<BootFailure | undefined>): RemoteShell {
  const judged = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (e) {
      // Only a connection failure; a command's own non-zero exit is not the board dying.
      if (isRigError(e) && e.part === 'remote') throw (await death()) ?? e;
      throw e;
    }
  };
  return {
    get description() {
      return shell.description;
    },
    run: (command: string, opts?: RunOptions) => judged(() => shell.run(command, opts)),
    check: (command: string, opts?: RunOptions) => judged(() => shell.check(command, opts)),
    upload: (local: string, remote: string) => judged(() => shell.upload(local, remote)),
    download: (remote: string, local: string) => judged(() => shell.download(remote, local)),
    reconnect: (timeoutMs: number) => judged(() => shell.reconnect(timeoutMs)),
    close: () => shell.close(),
  };
}
