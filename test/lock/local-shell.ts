// A RemoteShell that runs commands with `sh -c` on this host. It registers exactly like the ssh2
// one (same interface, same result shape), so the lock's shell scripts run for real; the ssh
// transport itself is exercised by the twin tests.
import { copyFile } from 'node:fs/promises';
import { CommandError, type CommandResult } from '../../lib/core/result.ts';
import { runArgv } from '../../lib/power/run-argv.ts';
import type { RemoteShell, RunOptions } from '../../lib/remote/types.ts';

export class LocalShell implements RemoteShell {
  readonly description = 'local sh';
  /** Every script run, for tests that check quoting. */
  readonly commands: string[] = [];

  async run(command: string, opts: RunOptions = {}): Promise<CommandResult> {
    this.commands.push(command);
    const r = await runArgv(['sh', '-c', command], { timeoutMs: opts.timeoutMs ?? 30_000, input: opts.input });
    return { ...r, command };
  }

  async check(command: string, opts?: RunOptions): Promise<CommandResult> {
    const r = await this.run(command, opts);
    if (r.exitCode !== 0 || r.timedOut) throw new CommandError(r, this.description);
    return r;
  }

  upload(localPath: string, remotePath: string): Promise<void> {
    return copyFile(localPath, remotePath);
  }

  download(remotePath: string, localPath: string): Promise<void> {
    return copyFile(remotePath, localPath);
  }

  async reconnect(): Promise<void> {}
  async close(): Promise<void> {}
}
