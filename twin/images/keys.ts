// The twin's SSH identities, generated once with ssh-keygen into twinPaths.keys: one client
// key (authorized on dom0, guest and the bench controller) and a host key per SSH server,
// pinned in known_hosts under the loopback ports the twin forwards. Loopback-only keys, but
// private halves are still never printed.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateKeyPair as generate, publicKey } from '../../lib/images/ssh-keys.ts';
import { twinPaths, twinPorts } from '../base/paths.ts';

export interface TwinKeys {
  dir: string;
  client: string;
  dom0Host: string;
  guestHost: string;
  controllerHost: string;
  knownHosts: string;
}

export function twinKeyPaths(dir = twinPaths.keys): TwinKeys {
  return {
    dir,
    client: join(dir, 'client_ed25519'),
    dom0Host: join(dir, 'dom0_host_ed25519'),
    guestHost: join(dir, 'guest_host_ed25519'),
    controllerHost: join(dir, 'controller_host_ed25519'),
    knownHosts: join(dir, 'known_hosts'),
  };
}

export async function ensureTwinKeys(dir = twinPaths.keys): Promise<TwinKeys> {
  const k = twinKeyPaths(dir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await generate(k.client, 'iommu-lab-twin-client');
  await generate(k.dom0Host, 'iommu-lab-twin-dom0');
  await generate(k.guestHost, 'iommu-lab-twin-guest');
  await generate(k.controllerHost, 'iommu-lab-twin-controller');
  const lines = [
    `[127.0.0.1]:${twinPorts.controllerSsh} ${await publicKey(k.controllerHost)}`,
    `[127.0.0.1]:${twinPorts.dom0Ssh} ${await publicKey(k.dom0Host)}`,
    `[127.0.0.1]:${twinPorts.guestSsh} ${await publicKey(k.guestHost)}`,
  ];
  await writeFile(k.knownHosts, `${lines.join('\n')}\n`, { mode: 0o644 });
  return k;
}
