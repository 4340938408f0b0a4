// RemoteShell on this host (`sh -c` through child_process), same result shape and timeouts as
// SSH: the flasher uses it for `where: 'local'`, tests and tools use it as the cheap shell.
import { spawn } from 'node:child_process';
import { copyFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { RigError } from '../core/errors.ts';
import { redact } from '../core/redact.ts';
import type { CommandResult } from '../core/result.ts';
import { step } from '../core/step.ts';
import { now } from '../core/time.ts';
import { OutputBuffer } from './output.ts';
import { checked, recordedRun } from './recorded.ts';
import type { RemoteShell, RunOptions } from './types.ts';

const KILL_AFTER_MS = 500;
const ABANDON_AFTER_MS = 2000;

export class LocalShell implements RemoteShell {
  readonly description = 'local';

  constructor(private readonly defaultTimeoutMs = 120_000) {}

  run(command: string, opts: RunOptions = {}): Promise<CommandResult> {
    const timeoutMs = opts.timeoutMs ?? this.defaultTimeoutMs;
    const name = `local: ${redact(command).split('\n')[0].slice(0, 100)}`;
    return recordedRun(name, { command, timeoutMs }, () => runLocal(command, timeoutMs, opts.input));
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

function runLocal(command: string, timeoutMs: number, input?: string): Promise<CommandResult> {
  const start = now();
  // Its own process group, so a timeout kills the whole pipeline, not just the shell.
  const child = spawn('sh', ['-c', command], { detached: true, stdio: 'pipe' });
  const stdout = new OutputBuffer();
  const stderr = new OutputBuffer();
  let timedOut = false;
  const killGroup = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // Already gone.
    }
  };
  const timers: NodeJS.Timeout[] = [];
  child.stdout.on('data', (d: Buffer) => stdout.push(d));
  child.stderr.on('data', (d: Buffer) => stderr.push(d));
  child.stdin.on('error', () => {}); // a command that never reads its input closes the pipe early
  child.stdin.end(input ?? '');
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      const result: CommandResult = {
        command,
        exitCode: timedOut ? null : code,
        stdout: stdout.toString(),
        stderr: stderr.toString(),
        durationMs: Math.round(now() - start),
        timedOut,
      };
      if (!timedOut && signal) result.signal = signal;
      resolve(result);
    };
    if (timeoutMs > 0)
      timers.push(
        setTimeout(() => {
          timedOut = true;
          killGroup('SIGTERM');
          timers.push(
            setTimeout(() => killGroup('SIGKILL'), KILL_AFTER_MS),
            // A daemon that left the group may hold our pipes open: stop waiting for them.
            setTimeout(() => finish(null, null), ABANDON_AFTER_MS),
          );
        }, timeoutMs),
      );
    child.on('error', (e) => {
      done = true;
      for (const t of timers) clearTimeout(t);
      reject(new RigError(`local: cannot start sh: ${e.message}`, { code: 'LOCAL_SPAWN', part: 'remote' }));
    });
    child.on('close', finish);
  });
}
