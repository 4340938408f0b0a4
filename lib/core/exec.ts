// The one way iommu-lab runs a local program: an argv array (never a shell, unless the caller
// writes ['sh', '-c', …] itself), into the one result shape. A timeout or an abort kills the
// whole process group (a pipeline, a script's children), SIGTERM first, then SIGKILL.
import { spawn } from 'node:child_process';
import { RigError } from './errors.ts';
import { OUTPUT_LIMIT, OutputBuffer } from './output-buffer.ts';
import { killGroup, trackGroup, untrackGroup } from './process-groups.ts';
import { sh } from './quote.ts';
import { CommandError, type CommandResult, succeeded } from './result.ts';
import { now } from './time.ts';

export interface ExecOptions {
  /** Kill the process group after this many ms; 0 or unset: no limit. */
  timeoutMs?: number;
  /** Written to stdin, then closed; without it stdin is /dev/null. */
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Aborting kills the process group and rejects with INTERRUPTED. */
  signal?: AbortSignal;
  /** Keep at most the last this-many bytes of each stream (default 32 MiB). */
  maxBytes?: number;
}

/** Between SIGTERM and SIGKILL. */
export const KILL_AFTER_MS = 500;
/** A daemon that left the group may hold our pipes open: stop waiting for them after this. */
const ABANDON_AFTER_MS = 2000;

export function exec(argv: readonly string[], opts: ExecOptions = {}): Promise<CommandResult> {
  const command = sh(...argv);
  const interrupted = () =>
    new RigError(`\`${command}\` interrupted: ${String(opts.signal?.reason ?? 'aborted')}`, {
      code: 'INTERRUPTED',
    });
  if (opts.signal?.aborted) return Promise.reject(interrupted());
  const start = now();
  const child = spawn(argv[0]!, argv.slice(1), {
    detached: true,
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    env: opts.env ?? process.env,
    cwd: opts.cwd,
  });
  const stdout = new OutputBuffer(opts.maxBytes ?? OUTPUT_LIMIT);
  const stderr = new OutputBuffer(opts.maxBytes ?? OUTPUT_LIMIT);
  child.stdout!.on('data', (d: Buffer) => stdout.push(d));
  child.stderr!.on('data', (d: Buffer) => stderr.push(d));
  if (child.stdin) {
    child.stdin.on('error', () => {}); // a program that never reads its input closes the pipe early
    child.stdin.end(opts.input);
  }
  if (child.pid) trackGroup(child.pid);

  return new Promise((resolve, reject) => {
    let killedBy: 'timeout' | 'abort' | undefined;
    const timers: NodeJS.Timeout[] = [];
    let settled = false;
    const settle = () => {
      settled = true;
      for (const t of timers) clearTimeout(t);
      opts.signal?.removeEventListener('abort', onAbort);
      if (child.pid) untrackGroup(child.pid);
    };
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settle();
      if (killedBy === 'abort') return reject(interrupted());
      const timedOut = killedBy === 'timeout';
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
    const kill = (why: 'timeout' | 'abort') => {
      if (killedBy || settled || !child.pid) return;
      killedBy = why;
      const pid = child.pid;
      killGroup(pid, 'SIGTERM');
      timers.push(
        setTimeout(() => killGroup(pid, 'SIGKILL'), KILL_AFTER_MS),
        setTimeout(() => finish(null, null), ABANDON_AFTER_MS),
      );
    };
    const onAbort = () => kill('abort');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.timeoutMs) timers.push(setTimeout(() => kill('timeout'), opts.timeoutMs));

    child.on('error', (e: NodeJS.ErrnoException) => {
      if (child.pid !== undefined || settled) return; // a failed kill of a running child: 'close' follows
      settle();
      const hint = e.code === 'ENOENT' ? ' (not installed, or not on PATH?)' : '';
      reject(
        new RigError(`cannot start \`${command}\`: ${e.code ?? e.message}${hint}`, {
          code: 'EXEC_SPAWN',
          cause: e,
        }),
      );
    });
    // The program exited but something it started may keep our pipes open: wait a little, no more.
    child.on('exit', (code, signal) => {
      if (!settled) timers.push(setTimeout(() => finish(code, signal), ABANDON_AFTER_MS));
    });
    child.on('close', finish);
  });
}

/** exec() that throws a CommandError carrying the result unless the program exited 0 in time. */
export async function check(
  argv: readonly string[],
  opts: ExecOptions & { where?: string } = {},
): Promise<CommandResult> {
  const r = await exec(argv, opts);
  if (!succeeded(r)) throw new CommandError(r, opts.where ?? argv[0]!.split('/').pop()!);
  return r;
}
