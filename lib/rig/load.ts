// Finds, imports and validates a rig file; a user's mistake becomes one RigFileError line.
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { isUsageError, UsageError } from '../core/errors.ts';
import { type Rig, rigSchema } from './schema.ts';

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
  if (file.endsWith('.json')) {
    try {
      return JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      throw new RigFileError(shown, '', `not valid JSON: ${(e as Error).message}`);
    }
  }
  try {
    const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    if (mod.default === undefined)
      throw new RigFileError(shown, '', 'has no default export (export default defineRig({...}))');
    return mod.default;
  } catch (e) {
    if (isUsageError(e)) throw e;
    throw new RigFileError(shown, '', `cannot be loaded: ${(e as Error).message.split('\n')[0]}`);
  }
}

export async function loadRig(nameOrPath: string = DEFAULT_RIG): Promise<Rig> {
  const file = resolveRigPath(nameOrPath);
  return validateRig(await importRaw(file), displayName(file));
}

export function validateRig(raw: unknown, shownName: string): Rig {
  const r = rigSchema.safeParse(raw);
  if (!r.success) {
    const issue = mostTelling(r.error.issues, raw);
    const more = r.error.issues.length - 1;
    const reason = describeIssue(issue, raw) + (more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''})` : '');
    throw new RigFileError(shownName, formatPath(issue.path), reason);
  }
  return r.data;
}

// A wrong value or an unknown key says more about the mistake than the keys it left missing.
function mostTelling(issues: z.core.$ZodIssue[], raw: unknown): z.core.$ZodIssue {
  const rank = (i: z.core.$ZodIssue) =>
    i.code === 'unrecognized_keys' ? 0 : valueAt(raw, i.path) !== undefined ? 1 : 2;
  return [...issues].sort((a, b) => rank(a) - rank(b))[0]!;
}

function formatPath(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const got = valueAt(raw, issue.path);
  if (got === undefined && issue.code !== 'unrecognized_keys') {
    if (issue.code === 'invalid_type') return `missing (expected ${issue.expected})`;
    const hint = issue.message.replace(/^Invalid (input|option):? ?/, '');
    return hint ? `missing (${hint})` : 'missing';
  }
  switch (issue.code) {
    case 'invalid_type':
      return `${issue.message.startsWith('expected ') ? issue.message : `expected ${issue.expected}`}, got ${show(got)}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_union':
      if (typeof got === 'string') return `unknown ${String(issue.path.at(-1))} ${show(got)}`;
      return `${issue.message}, got ${show(got)}`;
    default:
      return `${issue.message}${got !== undefined && typeof got !== 'object' ? `, got ${show(got)}` : ''}`;
  }
}
