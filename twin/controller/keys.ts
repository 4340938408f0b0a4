// SSH keys the bench needs. The images helper owns key generation (twin/images/keys.ts); until
// it exists, or for files it has not made, the twin makes them itself with the same names.
// Existing files are never overwritten.
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { check } from '../exec.ts';
import { twinPaths, twinPorts } from '../paths.ts';

export const controllerHostKey = join(twinPaths.keys, 'controller_host_ed25519');

async function keygen(file: string, comment: string): Promise<void> {
  if (existsSync(file)) return;
  await check('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
}

/** Makes sure the client key, the controller host key and its known_hosts line exist. */
export async function ensureControllerKeys(): Promise<void> {
  await mkdir(twinPaths.keys, { recursive: true, mode: 0o700 });
  const imagesKeys = join(import.meta.dirname, '..', 'images', 'keys.ts');
  if (existsSync(imagesKeys)) {
    const mod = (await import(imagesKeys)) as Record<string, unknown>;
    const ensure = Object.entries(mod).find(([k, v]) => /^ensure\w*Keys$/.test(k) && typeof v === 'function');
    if (ensure) await (ensure[1] as () => Promise<unknown>)();
  } else {
    await keygen(join(twinPaths.keys, 'dom0_host_ed25519'), 'iommu-lab twin dom0');
    await keygen(join(twinPaths.keys, 'guest_host_ed25519'), 'iommu-lab twin guest');
  }
  await keygen(twinPaths.clientKey, 'iommu-lab twin client');
  await keygen(controllerHostKey, 'iommu-lab twin controller');
  await addKnownHost(`[127.0.0.1]:${twinPorts.controllerSsh}`, `${controllerHostKey}.pub`);
  for (const [name, port] of [
    ['dom0', twinPorts.dom0Ssh],
    ['guest', twinPorts.guestSsh],
  ] as const) {
    const pub = join(twinPaths.keys, `${name}_host_ed25519.pub`);
    if (existsSync(pub)) await addKnownHost(`[127.0.0.1]:${port}`, pub);
  }
}

async function addKnownHost(host: string, pubFile: string): Promise<void> {
  const current = existsSync(twinPaths.knownHosts) ? await readFile(twinPaths.knownHosts, 'utf8') : '';
  if (current.split('\n').some((l) => l.startsWith(`${host} `))) return;
  const [type, key] = (await readFile(pubFile, 'utf8')).trim().split(/\s+/);
  await appendFile(twinPaths.knownHosts, `${current && !current.endsWith('\n') ? '\n' : ''}${host} ${type} ${key}\n`);
}
