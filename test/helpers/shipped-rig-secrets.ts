// The shipped rigs name secrets that live on a real bench's test host (~/.ssh/id_rte,
// TASMOTA_PASSWORD, ...): a CLI loading them reads them (lib/rig/rig-secrets.ts). This gives a
// child process a home and variables holding stand-ins, so the tests never need the real ones.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp-dir.ts';

export function shippedRigSecretsEnv(): NodeJS.ProcessEnv {
  const home = tempDir('rig-home-');
  mkdirSync(join(home, '.ssh'));
  for (const key of ['id_rte', 'id_apu2_dom0'])
    writeFileSync(join(home, '.ssh', key), `stand-in for ${key}\n`, { mode: 0o600 });
  return {
    ...process.env,
    HOME: home,
    TASMOTA_PASSWORD: 'stand-in-tasmota-password',
    APU2_DOM0_KEY: 'stand-in-apu2-dom0-key',
  };
}

/**
 * A copy of a rig (as written) whose every secret reference names one stand-in file in `dir`:
 * for tests that derive a rig from a shipped one (the twin's keys exist only after `twin setup`).
 */
export function withStandInSecrets<T>(rig: T, dir: string): T {
  const file = join(dir, 'stand-in-secret');
  writeFileSync(file, 'stand-in secret for tests\n', { mode: 0o600 });
  const swap = (v: unknown): unknown => {
    if (!v || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(swap);
    const keys = Object.keys(v);
    if (keys.length === 1 && (keys[0] === 'env' || keys[0] === 'file')) return { file };
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x)]));
  };
  return swap(rig) as T;
}
