// RemoteShell on this host (`sh -c` through the one exec), same result shape and timeouts as
// SSH: the flasher uses it for `where: 'local'`, tests and tools use it as the cheap shell.
import { copyFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { exec } from '../core/exec.ts';
import { redact } from '../core/redact.ts';
import type { CommandResult } from '../core/result.ts';
import { step } from '../core/step.ts';
import { checked, recordedRun } from './recorded.ts';
import type { RemoteShell, RunOptions } from './types.ts';

export class LocalShell implements RemoteShell {
  readonly description = 'local';

  constructor(private readonly defaultTimeoutMs = 120_000) {}

  run(command: string, opts: RunOptions = {}): Promise<CommandResult> {
    const timeoutMs = opts.timeoutMs ?? this.defaultTimeoutMs;
    const name = `local: ${redact(command).split('\n')[0].slice(0, 100)}`;
    return recordedRun(name, { command, timeoutMs }, async () => ({
      // The result names the script, as the SSH shell's does, not `sh -c '…'`.
      ...(await exec(['sh', '-c', command], { timeoutMs, input: opts.input })),
      command,
    }));
  }

  check(command: string, opts: RunOptions = {}): Promise<CommandResult> {
    return checked(this.run(command, opts), this.description);
  }

  upload(localPath: string, remotePath: string): Promise<void> {
    return step(`local: copy ${basename(localPath)}`, { from: localPath, to: remotePath }, () =>
      copyFile(localPath, remotePath),
    );
  }

  download(remotePath: string, localPath: string): Promise<void> {
    return step(`local: copy ${basename(remotePath)}`, { from: remotePath, to: localPath }, () =>
      copyFile(remotePath, localPath),
    );
  }

  async reconnect(): Promise<void> {}
  async close(): Promise<void> {}
}
