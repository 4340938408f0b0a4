// Finds, imports and validates a rig file; a user's mistake becomes one RigFileError line.
import { existsSync, readdirSync } from 'node:fs';
import { basename, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { UsageError } from '../core/errors.ts';
import { printable } from '../core/printable.ts';
import { describeIssue, formatPath, mostTelling } from './describe-issue.ts';
import { importTsRig, RigImportError } from './import-ts.ts';
import { RigUnreadable, readRigFile } from './read-rig-file.ts';
import { resolveRigSecrets } from './rig-secrets.ts';
import { type Rig, type RigInput, rigSchema } from './schema.ts';

const RIGS_DIR = resolve(import.meta.dirname, '../../rigs');
export const DEFAULT_RIG = 'apu2-twin';

export class RigFileError extends UsageError {
  constructor(
    readonly file: string,
    readonly keyPath: string,
    readonly reason: string,
  ) {
    super(`${file}: ${keyPath ? `${keyPath}: ` : ''}${reason}`);
    this.name = 'RigFileError';
  }
}

function resolveRigPath(nameOrPath: string): string {
  if (nameOrPath.includes('/') || extname(nameOrPath)) {
    const p = isAbsolute(nameOrPath) ? nameOrPath : resolve(nameOrPath);
    if (!existsSync(p)) throw new UsageError(`rig file not found: ${nameOrPath}`);
    return p;
  }
  for (const ext of ['.ts', '.json']) {
    const p = join(RIGS_DIR, nameOrPath + ext);
    if (existsSync(p)) return p;
  }
  const known = listRigFiles().map((f) => basename(f, extname(f)));
  throw new UsageError(`unknown rig "${nameOrPath}" (known: ${known.join(', ') || 'none'})`);
}

export function listRigFiles(dir = RIGS_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.(ts|json)$/.test(f) && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => join(dir, f));
}

function displayName(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

async function importRaw(file: string): Promise<unknown> {
  const shown = displayName(file);
  const json = file.endsWith('.json');
  let text: string;
  try {
    text = await readRigFile(file, { read: json });
  } catch (e) {
    if (e instanceof RigUnreadable) throw new RigFileError(shown, '', e.message);
    throw e;
  }
  if (json) {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new RigFileError(shown, '', `not valid JSON: ${(e as Error).message}`);
    }
  }
  let mod: { default?: unknown };
  try {
    mod = await importTsRig(file);
  } catch (e) {
    if (!(e instanceof RigImportError)) throw e;
    const why = `cannot be loaded: ${printable(e.message)}`;
    if (!e.at) throw new RigFileError(shown, '', why);
    if (e.at.file === file) throw new RigFileError(`${shown}:${e.at.line}:${e.at.column}`, '', why);
    throw new RigFileError(shown, '', `${why} (${displayName(e.at.file)}:${e.at.line}:${e.at.column})`);
  }
  if (mod.default === undefined)
    throw new RigFileError(shown, '', 'has no default export (export default defineRig({...}))');
  return mod.default;
}

/** The validated rig, its secrets read and registered for redaction (lib/rig/rig-secrets.ts). */
export async function loadRig(nameOrPath: string = DEFAULT_RIG): Promise<Rig> {
  const { rig } = await loadRigWithInput(nameOrPath);
  await resolveRigSecrets(rig);
  return rig;
}

/**
 * The validated rig and what its file wrote (before defaults), for views that derive a rig from
 * it (--twin); its secrets are not read yet: the caller resolves those of the rig it drives.
 */
export async function loadRigWithInput(
  nameOrPath: string,
): Promise<{ rig: Rig; input: RigInput; shown: string; file: string }> {
  const file = resolveRigPath(nameOrPath);
  const raw = await importRaw(file);
  const shown = displayName(file);
  return { rig: validateRig(raw, shown), input: raw as RigInput, shown, file };
}

export function validateRig(raw: unknown, shownName: string): Rig {
  const r = rigSchema.safeParse(raw);
  if (!r.success) {
    const issue = mostTelling(r.error.issues, raw);
    const more = r.error.issues.length - 1;
    const reason = describeIssue(issue, raw) + (more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''})` : '');
    throw new RigFileError(shownName, formatPath(issue.path), printable(reason, { max: 500 }));
  }
  return r.data;
}
