// A folder the user named (a report dir, a transcript's folder): one line when it cannot be made
// (a file in the way, no permission, a read-only disk), never an internal error with a stack.
import { mkdirSync } from 'node:fs';
import { UsageError } from './errors.ts';

const WHY: Record<string, string> = {
  ENOTDIR: 'a file is in the way',
  EEXIST: 'a file is in the way',
  EACCES: 'no permission',
  EPERM: 'no permission',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left',
};

export function makeDir(path: string, what: string): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new UsageError(`cannot create ${what} ${path}: ${WHY[code] ?? code} — give another path`);
  }
}
