// Debian packages the twin needs on the test host. Xen and the kernel are not installed:
// they are fetched with `apt-get download` and unpacked (see apt.ts).
import { RigError } from '../../lib/core/errors.ts';
import { check, exec } from '../../lib/core/exec.ts';
import { progress } from '../../lib/core/progress.ts';
import { installCommand } from '../../lib/images/host-tools.ts';

const HOST_PACKAGES = [
  'qemu-system-x86',
  'qemu-utils',
  'ipxe-qemu',
  // /boot/ipxe.lkrn: the twin's PC Engines iPXE, which runs pcengines/coreboot's menu.ipxe (docs/twin.md).
  'ipxe',
  'seabios',
  // OVMF_CODE.fd / OVMF_VARS.fd: the firmware a Dasharo UEFI twin image boots (docs/twin.md).
  'ovmf',
  'mmdebstrap',
  'cpio',
  'kmod',
  'busybox-static',
  // The HVM guests' boot disk (lib/images/hvm-boot-disk.ts).
  'dosfstools',
  'syslinux',
  'mtools',
  // The PV guests' kernel unpacked from the bzImage (lib/images/vmlinux.ts).
  'xz-utils',
  'zstd',
  'iperf3',
  'flashrom',
  'socat',
  'coreboot-utils',
  'ser2net',
  'openssh-server',
  'openssh-client',
] as const;

export async function missingPackages(names: readonly string[] = HOST_PACKAGES): Promise<string[]> {
  // dpkg-query's own ${field} syntax, not a template string.
  const format = ['-f=$', '{Package} $', '{Status}\n'].join('');
  const r = await exec(['dpkg-query', '-W', format, ...names]);
  const installed = new Set(
    r.stdout
      .split('\n')
      .filter((l) => l.endsWith(' install ok installed'))
      .map((l) => l.split(' ')[0]),
  );
  return names.filter((n) => !installed.has(n));
}

export { installCommand };

/** Install what is missing when root; otherwise fail with the one line the user must run. */
export async function ensureHostPackages(names: readonly string[] = HOST_PACKAGES): Promise<string[]> {
  const missing = await missingPackages(names);
  if (missing.length === 0) return [];
  if (process.getuid?.() !== 0) {
    throw new RigError(`twin needs Debian packages; run as root: ${installCommand(missing)}`, {
      code: 'TWIN_PACKAGES_MISSING',
      phase: 'setup',
    });
  }
  progress.emit('info', `installing ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const attempt = await exec(['apt-get', 'install', '-y', '-q', '--no-install-recommends', ...missing], { env });
  if (attempt.exitCode !== 0) {
    // Stale package lists are the usual cause on a fresh machine.
    await check(['apt-get', 'update', '-q'], { env });
    await check(['apt-get', 'install', '-y', '-q', '--no-install-recommends', ...missing], { env });
  }
  return missing;
}
