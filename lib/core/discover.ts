// Definitions found by being there: every module in a folder (of a name pattern) whose default
// export is one kind of definition — power backends, bench providers, suites. Adding one is
// adding a file; a file there that exports something else is a mistake named by its path, and
// two definitions of one name are refused.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from './paths.ts';

export interface Found<T> {
  file: string;
  definition: T;
}

export interface DiscoverOptions<T> {
  /** What a module must export, for the error: 'definePowerBackend(...)'. */
  what: string;
  /** Which files count (default: every `.ts`). */
  suffix?: string;
  /** The name two definitions must not share, and what to call them: 'power backends'. */
  nameOf?: (d: T) => string;
  kind?: string;
}

/** The definitions in `dir`, in file-name order. */
export async function discoverDefinitions<T>(
  dir: string,
  isX: (v: unknown) => v is T,
  o: DiscoverOptions<T>,
): Promise<Found<T>[]> {
  const files = readdirSync(dir)
    .filter((n) => n.endsWith(o.suffix ?? '.ts'))
    .sort();
  const found: Found<T>[] = [];
  const names = new Map<string, string>();
  for (const f of files) {
    const file = join(dir, f);
    const definition = ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
    if (!isX(definition)) throw new Error(`${shown(file)}: does not export default ${o.what}`);
    const name = o.nameOf?.(definition);
    if (name !== undefined) {
      const other = names.get(name);
      if (other)
        throw new Error(`two ${o.kind ?? 'definitions'} are named "${name}" (${shown(other)}, ${shown(file)})`);
      names.set(name, file);
    }
    found.push({ file, definition });
  }
  return found;
}

const shown = (file: string) => {
  const r = relative(PROJECT_ROOT, file);
  return r.startsWith('..') ? file : r;
};
