// One result shape for every command run anywhere (local, dom0, bench controller),
// and one error class that carries it (the execa model).

export interface CommandResult {
  command: string;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

export class CommandError extends Error {
  readonly result: CommandResult;
  constructor(result: CommandResult, where: string) {
    const why = result.timedOut ? `timed out after ${result.durationMs} ms` : `exited ${result.exitCode}`;
    const tail = lastLines(result.stderr || result.stdout, 5);
    super(`${where}: \`${result.command}\` ${why}${tail ? `\n${tail}` : ''}`);
    this.name = 'CommandError';
    this.result = result;
  }
}

export function succeeded(r: CommandResult): boolean {
  return !r.timedOut && r.exitCode === 0;
}

export function lastLines(text: string, n: number): string {
  const lines = text.replace(/\s+$/, '').split(/\r?\n/);
  return lines.slice(-n).join('\n');
}
