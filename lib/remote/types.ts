import type { CommandResult } from '../core/result.ts';

export interface RunOptions {
  timeoutMs?: number;
  /** Text fed to the command's stdin. */
  input?: string;
}

export interface RemoteShell {
  readonly description: string;
  run(command: string, opts?: RunOptions): Promise<CommandResult>;
  /** Like run(), but throws CommandError unless the exit code is 0. */
  check(command: string, opts?: RunOptions): Promise<CommandResult>;
  upload(localPath: string, remotePath: string): Promise<void>;
  download(remotePath: string, localPath: string): Promise<void>;
  /** Reconnect after the board rebooted, waiting up to timeoutMs. */
  reconnect(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}
