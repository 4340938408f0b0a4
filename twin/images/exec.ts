// Runs the build's tools (apt, mmdebstrap, dpkg, cpio, ...) with the project's one result
// shape; check() throws a CommandError that carries the result.
import { spawn } from 'node:child_process';
import { sh } from '../../lib/core/quote.ts';
import { CommandError, type CommandResult } from '../../lib/core/result.ts';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Keep at most this many bytes of each stream (mmdebstrap is chatty). */
  maxBytes?: number;
}

export function run(program: string, args: string[], opts: RunOptions = {}): Promise<CommandResult> {
  const started = performance.now();
  const command = sh(program, ...args);
  const max = opts.maxBytes ?? 4 * 1024 * 1024;
  return new Promise((resolve) => {
    const child = spawn(program, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const keep = (acc: string, chunk: Buffer): string => {
      const next = acc + chunk.toString('utf8');
      return next.length > max ? next.slice(-max) : next;
    };
    child.stdout.on('data', (c: Buffer) => {
      stdout = keep(stdout, c);
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr = keep(stderr, c);
    });
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, opts.timeoutMs);
    const finish = (exitCode: number | null, extra = ''): void => {
      if (timer) clearTimeout(timer);
      resolve({ command, exitCode, stdout, stderr: stderr + extra, durationMs: performance.now() - started, timedOut });
    };
    child.on('error', (err) => finish(null, `\n${err.message}`));
    child.on('close', (code) => finish(code));
  });
}

export async function check(program: string, args: string[], opts: RunOptions = {}): Promise<CommandResult> {
  const r = await run(program, args, opts);
  if (r.exitCode !== 0 || r.timedOut) throw new CommandError(r, 'twin images');
  return r;
}

/** Run a shell snippet whose variable parts were already quoted with sh()/shq(). */
export function checkShell(script: string, opts: RunOptions = {}): Promise<CommandResult> {
  return check('sh', ['-c', script], opts);
}
