// The programs a build runs on this host, checked before anything starts: a missing one fails
// in one line with the apt-get command that installs it, not minutes into mmdebstrap.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { RigError } from '../core/errors.ts';
import { sh } from '../core/quote.ts';

/** Program → the Debian package that ships it. */
export const BUILD_TOOLS: Record<string, string> = {
  mmdebstrap: 'mmdebstrap',
  'apt-get': 'apt',
  'apt-cache': 'apt',
  'dpkg-deb': 'dpkg',
  cpio: 'cpio',
  gzip: 'gzip',
  gunzip: 'gzip',
  depmod: 'kmod',
  modinfo: 'kmod',
  'ssh-keygen': 'openssh-client',
  // The HVM guests' boot disk (hvm-boot-disk.ts).
  'mkfs.fat': 'dosfstools',
  syslinux: 'syslinux',
  mcopy: 'mtools',
  // The PV guests' kernel unpacked from the bzImage (vmlinux.ts): Debian 12's is xz, 13's zstd.
  xz: 'xz-utils',
  zstd: 'zstd',
};

/** sbin is searched too: a user's PATH often lacks it, and the build runs as root. */
function onPath(program: string, path: string): boolean {
  const dirs = [...path.split(delimiter).filter(Boolean), '/usr/sbin', '/sbin'];
  return dirs.some((d) => {
    try {
      accessSync(join(d, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The one line a user runs as root to install Debian packages (the twin's host packages too). */
export function installCommand(packages: readonly string[]): string {
  return sh('apt-get', 'install', '-y', '--no-install-recommends', ...packages);
}

export function missingTools(path = process.env.PATH ?? '', tools = BUILD_TOOLS): string[] {
  return Object.keys(tools).filter((t) => !onPath(t, path));
}

export function checkHostTools(path = process.env.PATH ?? ''): void {
  const missing = missingTools(path);
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map((t) => BUILD_TOOLS[t]))];
  throw new RigError(
    `building images needs ${missing.join(', ')}, not found on this host; as root: ${installCommand(pkgs)}`,
    { code: 'IMAGES_HOST_TOOLS' },
  );
}
