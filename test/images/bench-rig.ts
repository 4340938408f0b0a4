// A bench rig that `iommu-lab pxe images` accepts: boot.server with the apu2 file names, and a
// dom0 key pair made for the test (its .pub beside it, as ssh-keygen leaves it).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateRig } from '../../lib/rig/load.ts';
import type { Rig } from '../../lib/rig/schema.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { baseRig } from '../rig/base-rig.ts';

export interface BenchRig {
  raw: Record<string, unknown> & { boot: Record<string, unknown>; dom0: Record<string, unknown> };
  rig: Rig;
  /** The dom0 private key; `${key}.pub` its public half. */
  key: string;
  root: string;
}

export function makeKey(dir = tempDir('images-key-'), name = 'id_dom0'): string {
  const key = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'owner@test', '-f', key]);
  return key;
}

/** `image` is boot.server.image; `server` overrides other boot.server keys. */
export function benchRig(image: Record<string, unknown> = {}, server: Record<string, unknown> = {}): BenchRig {
  const key = makeKey();
  const root = join(tempDir('images-root-'), 'apu2');
  const raw = structuredClone(baseRig) as BenchRig['raw'];
  raw.boot = {
    ...raw.boot,
    network: { method: 'ipxe-shell' },
    server: {
      advertise: { host: '192.168.10.1' },
      root,
      files: { xen: 'xen', dom0Kernel: 'vmlinuz', dom0Initrd: 'dom0.cpio.gz' },
      image,
      ...server,
    },
  };
  raw.dom0 = { host: '192.168.10.201', user: 'root', privateKey: { file: key }, hostKey: { knownHosts: '/dev/null' } };
  return { raw, rig: validateRig(raw, 'bench-rig.ts'), key, root };
}

export function writeRig(raw: unknown): string {
  const file = join(tempDir('images-rig-'), 'rig.json');
  writeFileSync(file, JSON.stringify(raw));
  return file;
}
