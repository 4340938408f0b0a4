// One zod issue as the one line a rig author reads: the key path and what was wrong, with the
// value that was given — except under a secret's key, where the value is the secret itself (a
// literal password, or `process.env.X` in a .ts rig) and is never shown.
import type { z } from 'zod';

const SECRET_KEY = /^(password|privateKey|passphrase|token|secret)$/i;

export function formatPath(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

export function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** A wrong value or an unknown key says more about the mistake than the keys it left missing. */
export function mostTelling(issues: z.core.$ZodIssue[], raw: unknown): z.core.$ZodIssue {
  const rank = (i: z.core.$ZodIssue) =>
    i.code === 'unrecognized_keys' ? 0 : valueAt(raw, i.path) !== undefined ? 1 : 2;
  return [...issues].sort((a, b) => rank(a) - rank(b))[0]!;
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

export function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const got = valueAt(raw, issue.path);
  if (got === undefined && issue.code !== 'unrecognized_keys') {
    if (issue.code === 'invalid_type') return `missing (expected ${issue.expected})`;
    const hint = issue.message.replace(/^Invalid (input|option):? ?/, '');
    return hint ? `missing (${hint})` : 'missing';
  }
  if (issue.path.some((k) => typeof k === 'string' && SECRET_KEY.test(k)) && typeof got !== 'object')
    return `a literal ${typeof got} (not shown): a secret names where to read it, { env: "NAME" } or { file: "path" }`;
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
