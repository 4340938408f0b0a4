// Runs a program from an argv array (no shell: a rig value is never parsed as shell syntax) with a
// timeout, into the project's one result shape. Used by the command power switch and by tests.
import { spawn } from 'node:child_process';
import { sh } from '../core/quote.ts';
import type { CommandResult } from '../core/result.ts';

export interface RunArgvOptions {
  timeoutMs: number;
  input?: string;
  env?: NodeJS.ProcessEnv;
  /** Aborting kills the program's whole process group (a script and what it started). */
  signal?: AbortSignal;
}

export function runArgv(argv: string[], opts: RunArgvOptions): Promise<CommandResult> {
  const started = performance.now();
  const command = sh(...argv);
  return new Promise((resolve) => {
    // Its own process group, so a timeout or an abort ends the script and its children too.
    const child = spawn(argv[0]!, argv.slice(1), {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: opts.env ?? process.env,
      detached: true,
    });
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL'); // not started, or already gone
      }
    };
    opts.signal?.addEventListener('abort', killGroup, { once: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, opts.timeoutMs);
    const done = (exitCode: number | null) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', killGroup);
      resolve({ command, exitCode, stdout, stderr, durationMs: Math.round(performance.now() - started), timedOut });
    };
    child.on('error', (e) => {
      stderr += `${e.message}\n`;
      done(null);
    });
    child.on('close', (code) => done(code));
    child.stdin.on('error', () => {}); // a program that exits without reading its input
    child.stdin.end(opts.input ?? '');
  });
}
