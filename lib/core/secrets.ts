// Secrets are named in rigs ({env} or {file}) and read only when a part opens; each value is
// registered for redaction before anything can print it.
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { RigError } from './errors.ts';
import { readSmallFile } from './read-small-file.ts';
import { MIN_SECRET_LENGTH, registerSecret } from './redact.ts';
import type { SecretRef } from './rig-fields.ts';

export function expandPath(p: string): string {
  return p.startsWith('~/') ? resolve(homedir(), p.slice(2)) : resolve(p);
}

export async function readSecret(ref: SecretRef, what: string): Promise<string> {
  let value: string;
  if ('env' in ref) {
    const v = process.env[ref.env];
    if (v === undefined || v === '')
      throw new RigError(`${what}: environment variable ${ref.env} is not set`, {
        code: 'SECRET_MISSING',
      });
    value = v;
  } else {
    const path = expandPath(ref.file);
    try {
      // A key or a password, never more: a FIFO or /dev/zero named here must not hang or fill memory.
      value = await readSmallFile(path, 64 * 1024);
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      throw new RigError(`${what}: cannot read secret file ${path}: ${why}`, {
        code: 'SECRET_MISSING',
      });
    }
    if (!value.includes('PRIVATE KEY')) value = value.replace(/\r?\n$/, '');
  }
  if (value.length < MIN_SECRET_LENGTH) {
    const from = 'env' in ref ? `environment variable ${ref.env}` : `secret file ${expandPath(ref.file)}`;
    throw new RigError(
      `${what}: the secret in ${from} has ${value.length} character${value.length === 1 ? '' : 's'}; ` +
        `at least ${MIN_SECRET_LENGTH} are needed so that it can be masked in logs and reports`,
      { code: 'SECRET_TOO_SHORT' },
    );
  }
  registerSecret(value);
  return value;
}
