// Starts hold-lock.ts in its own process and waits for what it prints.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface Holder {
  child: ChildProcess;
  /** First line printed: "ACQUIRED <pid>" or "HELD <message>". */
  first: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

export function spawnHolder(kind: 'local' | 'ssh', dir: string, rig: string, ttlMs: number, mode: string): Holder {
  const script = join(import.meta.dirname, 'hold-lock.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, kind, dir, rig, String(ttlMs), mode], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const first = new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    child.on('exit', () => reject(new Error(`holder exited before printing anything: ${stderr}`)));
  });
  first.catch(() => {});
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, first, exited };
}
