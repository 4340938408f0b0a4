// A small image set on disk (Xen, dom0 kernel and initramfs, a guest image), a secret next to it
// that must never be served, and a rig whose boot.server serves the set from 127.0.0.1.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateRig } from '../../lib/rig/load.ts';
import type { Rig } from '../../lib/rig/schema.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { baseRig } from '../rig/base-rig.ts';

export interface ImageSet {
  root: string;
  /** A file outside the root, its content recognisable in any reply. */
  secret: string;
  bytes: { xen: Buffer; kernel: Buffer; initrd: Buffer; guest: Buffer };
}

export const SECRET_TEXT = 'root:$6$not-to-be-served';

export function makeImageSet(): ImageSet {
  const top = tempDir('pxe-');
  const root = join(top, 'images');
  mkdirSync(join(root, 'guest'), { recursive: true });
  const bytes = {
    xen: Buffer.from('XEN-ELF'.repeat(100)),
    kernel: Buffer.from('bzImage'.repeat(50)),
    initrd: Buffer.alloc(300_000, 7),
    guest: Buffer.from('guest-initrd'),
  };
  writeFileSync(join(root, 'xen'), bytes.xen);
  writeFileSync(join(root, 'vmlinuz'), bytes.kernel);
  writeFileSync(join(root, 'dom0.cpio.gz'), bytes.initrd);
  writeFileSync(join(root, 'guest', 'initrd.gz'), bytes.guest);
  const secret = join(top, 'shadow');
  writeFileSync(secret, SECRET_TEXT);
  return { root, secret, bytes };
}

/** A valid rig serving `set`; `port` 0 (any free port) is set after validation, as only tests do. */
export function pxeRig(set: ImageSet, files: Record<string, unknown> = {}, port = 0): Rig {
  const raw = structuredClone(baseRig) as Record<string, unknown> & { boot: Record<string, unknown> };
  raw.boot = {
    ...raw.boot,
    network: { method: 'ipxe-shell', charDelayMs: 0 },
    server: {
      listen: { host: '127.0.0.1', port: 8080 },
      advertise: { host: '127.0.0.1' },
      root: set.root,
      files: { xen: 'xen', dom0Kernel: 'vmlinuz', dom0Initrd: 'dom0.cpio.gz', guests: ['guest/initrd.gz'], ...files },
      dom0CommandLine: 'console=hvc0 earlyprintk=xen',
    },
  };
  const rig = validateRig(raw, 'test-rig.ts');
  rig.boot.server!.listen.port = port;
  return rig;
}
