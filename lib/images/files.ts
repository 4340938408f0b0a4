// The static files baked into the images (init scripts, inittabs, udhcpc hook, xl example),
// and the one conversion they need: OpenSSH host keys into dropbear's format.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { check } from '../core/exec.ts';

export const FILES_DIR = join(import.meta.dirname, 'files');
const DROPBEAR_HOST_KEY = 'etc/dropbear/dropbear_ed25519_host_key';

/**
 * Write `hostKey` (OpenSSH format, from ssh-keygen) into `dest` as dropbear's host key,
 * converted by the rootfs's own dropbearconvert run through the rootfs's loader.
 */
export async function installDropbearKey(rootfs: string, dest: string, hostKey: string): Promise<void> {
  await mkdir(join(dest, 'etc', 'dropbear'), { recursive: true, mode: 0o700 });
  await check([
    join(rootfs, 'usr/lib64/ld-linux-x86-64.so.2'),
    '--library-path',
    join(rootfs, 'usr/lib/x86_64-linux-gnu'),
    join(rootfs, 'usr/bin/dropbearconvert'),
    'openssh',
    'dropbear',
    hostKey,
    join(dest, DROPBEAR_HOST_KEY),
  ]);
}
