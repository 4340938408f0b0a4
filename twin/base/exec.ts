// Runs a host tool (cbfstool, fmaptool, ssh-keygen, ...) with the project's one result shape.
import { execFile } from 'node:child_process';
import { CommandError, type CommandResult } from '../../lib/core/result.ts';

export async function run(
  file: string,
  args: string[],
  opts: { timeoutMs?: number; input?: string } = {},
): Promise<CommandResult> {
  const started = Date.now();
  const command = [file, ...args].join(' ');
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
        const exitCode = e ? (typeof e.code === 'number' ? e.code : (child.exitCode ?? 127)) : 0;
        resolve({
          command,
          exitCode,
          stdout,
          stderr: e && typeof e.code === 'string' ? `${stderr}${e.message}` : stderr,
          durationMs: Date.now() - started,
          timedOut: Boolean(e?.killed),
        });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Like run(), but a failure throws CommandError carrying the result. */
export async function check(file: string, args: string[], opts: { timeoutMs?: number } = {}): Promise<CommandResult> {
  const r = await run(file, args, opts);
  if (r.timedOut || r.exitCode !== 0) throw new CommandError(r, file.split('/').pop() ?? file);
  return r;
}
