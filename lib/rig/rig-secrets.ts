// Every secret a rig names is read and registered for redaction when the rig is loaded, before
// any part opens: the board may print one (a password echoed at a login prompt, a banner) on
// the console before the first SSH connection, and console.log, the Allure transcript and
// `console`'s terminal must already mask it. A secret that cannot be read (unset variable,
// missing file) fails the load, so `rigs` and `run` say so at once instead of after a boot (D6).
import { MIN_SECRET_LENGTH, registerSecret } from '../core/redact.ts';
import type { SecretRef } from '../core/rig-fields.ts';
import { readSecret } from '../core/secrets.ts';
import type { Rig } from './schema.ts';

function isSecretRef(v: unknown): v is SecretRef {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return (
    keys.length === 1 &&
    ((keys[0] === 'env' && typeof (v as { env: unknown }).env === 'string') ||
      (keys[0] === 'file' && typeof (v as { file: unknown }).file === 'string'))
  );
}

/** Each secret reference in the rig with where it sits (power.password, dom0.privateKey, ...). */
export function secretRefsOf(rig: unknown, at = ''): { at: string; ref: SecretRef }[] {
  if (isSecretRef(rig)) return [{ at, ref: rig }];
  if (!rig || typeof rig !== 'object') return [];
  const entries = Array.isArray(rig) ? rig.map((v, i) => [String(i), v] as const) : Object.entries(rig);
  return entries.flatMap(([k, v]) => secretRefsOf(v, at ? `${at}.${k}` : k));
}

/**
 * Reads and registers every secret of the rig. A rig that a provider brings up (the twin) is
 * the exception: the provider makes its keys when it starts, after the load; they are read
 * and registered when its parts open, as the provider's own bench prints none of them.
 */
export async function resolveRigSecrets(rig: Rig): Promise<void> {
  if (rig.provider) return;
  for (const { at, ref } of secretRefsOf(rig)) await readSecret(ref, at);
  // The power command's variables that look like credentials (lib/power/backends/command.ts).
  const power = rig.power as { kind: string; env?: string[] };
  if (power.kind === 'command')
    for (const name of power.env ?? []) {
      const v = process.env[name];
      if (v && v.length >= MIN_SECRET_LENGTH && /pass|token|secret|key/i.test(name)) registerSecret(v);
    }
}
