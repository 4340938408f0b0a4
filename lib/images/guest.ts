// The PV guest's initramfs: static busybox, iperf3 / dropbear / lspci with their libraries
// taken from the dom0 rootfs, the NIC drivers, and the profile's authorized keys and guest host key.
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packCpio } from './cpio.ts';
import { closure, copyFiles } from './elf.ts';
import { FILES_DIR, installDropbearKey } from './files.ts';
import { installModules, resolveModules } from './modules.ts';
import { type Addressing, type ImageKeys, renderNetworkConfig } from './profile.ts';

/** pcifront exposes the passed-through NIC; e1000e drives the twin's, igb a real apu2's i210/i211. */
const GUEST_MODULES = ['xen-pcifront', 'xen-netfront', 'e1000e', 'igb'] as const;

const PROGRAMS = ['usr/bin/iperf3', 'usr/sbin/dropbear', 'usr/bin/lspci'];

export interface GuestInputs {
  rootfs: string;
  kernelRoot: string;
  kernelVersion: string;
  busybox: string;
  keys: ImageKeys;
  address: Addressing;
}

export async function buildGuestInitrd(dir: string, out: string, inp: GuestInputs): Promise<void> {
  for (const d of [
    'bin',
    'usr/lib64',
    'usr/lib/x86_64-linux-gnu',
    'etc/iommu-lab',
    'root/.ssh',
    'proc',
    'sys',
    'dev',
  ]) {
    await mkdir(join(dir, d), { recursive: true });
  }
  // merged-/usr like Debian, so the loader finds libraries where the rootfs had them.
  await symlink('usr/lib', join(dir, 'lib'));
  await symlink('usr/lib64', join(dir, 'lib64'));
  await copyFile(inp.busybox, join(dir, 'bin', 'busybox'));
  await chmod(join(dir, 'bin', 'busybox'), 0o755);
  // /init's interpreter must exist before init runs `busybox --install`.
  await symlink('busybox', join(dir, 'bin', 'sh'));

  await copyFiles(inp.rootfs, await closure(inp.rootfs, PROGRAMS), dir);
  // glibc dlopen()s libgcc_s for pthread_cancel, which no ELF names: Debian 13's threaded iperf3
  // (3.16+) dies at its end with "libgcc_s.so.1 must be installed for pthread_cancel to work".
  const libgcc = 'usr/lib/x86_64-linux-gnu/libgcc_s.so.1';
  if (existsSync(join(inp.rootfs, libgcc))) await copyFiles(inp.rootfs, [libgcc], dir);
  await copyFiles(inp.rootfs, ['usr/share/misc/pci.ids'], dir);

  const mods = await resolveModules(inp.kernelRoot, inp.kernelVersion, GUEST_MODULES);
  await installModules(inp.kernelRoot, inp.kernelVersion, mods, dir);
  const order = mods.map((m) => `${inp.kernelVersion}/${m}`);
  await writeFile(join(dir, 'etc', 'iommu-lab', 'guest-modules'), `${order.join('\n')}\n`);

  await copyFile(join(FILES_DIR, 'guest-init.sh'), join(dir, 'init'));
  await chmod(join(dir, 'init'), 0o755);
  await copyFile(join(FILES_DIR, 'guest-inittab'), join(dir, 'etc', 'inittab'));
  await copyFile(join(FILES_DIR, 'udhcpc.script'), join(dir, 'etc', 'udhcpc.script'));
  await chmod(join(dir, 'etc', 'udhcpc.script'), 0o755);
  await writeFile(join(dir, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  await writeFile(join(dir, 'etc', 'group'), 'root:x:0:\n');
  await writeFile(join(dir, 'etc', 'shells'), '/bin/sh\n');
  await writeFile(join(dir, 'etc', 'hostname'), 'guest\n');
  await writeFile(join(dir, 'etc', 'iommu-lab', 'guest-network'), renderNetworkConfig(inp.address));

  await installDropbearKey(inp.rootfs, dir, inp.keys.guestHostKey);
  await chmod(join(dir, 'root', '.ssh'), 0o700);
  await writeFile(join(dir, 'root', '.ssh', 'authorized_keys'), inp.keys.authorizedKeys);
  await chmod(join(dir, 'root', '.ssh', 'authorized_keys'), 0o600);

  // dom0 reads this from its own RAM disk, so size matters more than decompression speed.
  await packCpio(dir, out, 'gzip-9');
}
