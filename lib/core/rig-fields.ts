// Field types every rig section shares (integers with their range, timeouts, secret references),
// low enough in the tree that the parts which define their own rig sections (power backends) can
// use them.
import { z } from 'zod';

/**
 * Integers say "expected integer" for a wrong type (zod alone would say "number") and their range
 * when out of it ("expected integer from 1 to 65535").
 */
export const int = (min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER, unit = '') => {
  const range =
    max === Number.MAX_SAFE_INTEGER
      ? `expected integer >= ${min}${unit}`
      : `expected integer from ${min} to ${max}${unit}`;
  return z
    .number({ error: (i) => (i.code === 'invalid_type' ? 'expected integer' : undefined) })
    .int({ error: 'expected integer' })
    .min(min, { error: range })
    .max(max, { error: range });
};
export const hostPort = { host: z.string().min(1), port: int(1, 65535) };
/** Longest wait a rig may set: 24 h. setTimeout overflows past 2^31-1 ms and would fire at once. */
export const MAX_TIMEOUT_MS = 24 * 3600 * 1000;
export const ms = int(0, MAX_TIMEOUT_MS, ' ms (24 h)');

/** C0, DEL and C1: what a terminal, iPXE or a firmware prompt would act on instead of showing. */
export const CONTROL_CHAR = /[\x00-\x1f\x7f-\x9f]/;

/**
 * Text that is typed into the board (iPXE, a firmware prompt) or written as one line of a boot
 * script: a newline or another control character in it would type a second command.
 */
export const oneLine = z
  .string()
  .refine((v) => !CONTROL_CHAR.test(v), 'one line without newlines or control characters (it is typed into the board)');

/**
 * What iPXE's command line acts on inside a line (ipxe/ipxe src/core/exec.c `command_terminator`,
 * `expand_tokens`; tokens are split at whitespace): a token starting with `#` ends the command (a
 * comment: the rest of Xen's options would be silently dropped), the tokens `||`, `&&` and `;` run
 * a second command, and `${…}` anywhere is replaced by a setting. iPXE has no quoting for any of
 * them, so a rig value holding one is refused. The reason, or undefined when the value is safe.
 */
export function ipxeHazard(value: string): string | undefined {
  if (value.includes('${')) return '"${" would be expanded by iPXE as a setting';
  for (const token of value.split(/\s+/)) {
    if (token.startsWith('#')) return `"${token}" starts an iPXE comment: everything after it would be dropped`;
    if (token === '||' || token === '&&' || token === ';') return `"${token}" would start a second iPXE command`;
  }
  return undefined;
}

/** A oneLine that is also written into an iPXE line (boot script, typed command). */
export const ipxeLine = oneLine.superRefine((v, ctx) => {
  const why = ipxeHazard(v);
  if (why) ctx.addIssue({ code: 'custom', message: `${why}; iPXE cannot quote it` });
});

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A secret is never a literal in a rig: it names where to read it from. */
export const secretRef = z.union(
  [
    z.strictObject({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name') }),
    z.strictObject({ file: z.string().min(1) }),
  ],
  { error: 'expected { env: "NAME" } or { file: "path" }' },
);
export type SecretRef = z.infer<typeof secretRef>;
