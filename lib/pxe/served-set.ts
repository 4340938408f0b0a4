// The fixed map of what one boot serves: request path → a file inside boot.server.root, or the
// rendered script. Resolved once, before the server listens: every file must exist, be a regular
// file, and resolve (symlinks followed) inside the root. The server serves this map and nothing
// else — no directory, no path built from the request.
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { RigError } from '../core/errors.ts';
import { expandPath } from '../core/secrets.ts';
import type { BootServerConfig } from '../rig/schema.ts';

export interface ServedFile {
  /** The request path, e.g. `/xen`. */
  path: string;
  /** What it is, for people: `Xen`, `dom0 kernel`, `guest image`. */
  what: string;
  /** Its real path (symlinks resolved), opened without following links at request time. */
  file: string;
}

/** The request paths of the boot's own files (the script names them). */
export const BOOT_PATHS = { xen: '/xen', dom0Kernel: '/dom0/kernel', dom0Initrd: '/dom0/initrd' } as const;

const REMEDY = 'build or copy the image set there, or fix the rig';

function missing(key: string, file: string, why: string): RigError {
  return new RigError(`boot.server.files.${key}: ${file} ${why}: ${REMEDY}`, {
    code: 'PXE_IMAGE_MISSING',
    part: 'pxe',
  });
}

async function resolveOne(root: string, key: string, rel: string): Promise<string> {
  const given = join(root, rel);
  const real = await realpath(given).catch(() => undefined);
  if (!real) throw missing(key, given, 'does not exist');
  // A symlink may point elsewhere inside the root (a "current" link), never out of it.
  if (!real.startsWith(root + sep))
    throw new RigError(`boot.server.files.${key}: ${given} resolves to ${real}, outside ${root}: not served`, {
      code: 'PXE_OUTSIDE_ROOT',
      part: 'pxe',
    });
  if (!(await stat(real)).isFile()) throw missing(key, given, 'is not a regular file');
  if (
    await access(real, constants.R_OK).then(
      () => false,
      () => true,
    )
  )
    throw missing(key, given, 'is not readable');
  return real;
}

/** One wanted file: resolved, or why it cannot be served. */
export type Checked = { path: string; what: string } & ({ file: string } | { error: RigError });

/** Every file of the boot checked, none skipped by an earlier failure (what `--dry-run` shows). */
export async function checkServedSet(cfg: BootServerConfig): Promise<Checked[]> {
  const root = await realpath(expandPath(cfg.root)).catch(() => undefined);
  const noRoot = new RigError(`boot.server.root: ${expandPath(cfg.root)} does not exist: ${REMEDY}`, {
    code: 'PXE_IMAGE_MISSING',
    part: 'pxe',
  });
  const f = cfg.files;
  const wanted: [string, string, string, string][] = [
    ['xen', f.xen, BOOT_PATHS.xen, 'Xen'],
    ['dom0Kernel', f.dom0Kernel, BOOT_PATHS.dom0Kernel, 'dom0 kernel'],
    ['dom0Initrd', f.dom0Initrd, BOOT_PATHS.dom0Initrd, 'dom0 initramfs'],
    ...f.guests.map((g, i): [string, string, string, string] => [`guests[${i}]`, g, `/guest/${g}`, 'guest image']),
  ];
  return Promise.all(
    wanted.map(async ([key, rel, path, what]) => {
      try {
        if (!root) throw noRoot;
        return { path, what, file: await resolveOne(root, key, rel) };
      } catch (e) {
        return { path, what, error: e as RigError };
      }
    }),
  );
}

/** The boot's files (without the script, which the server renders); the first problem is thrown. */
export async function resolveServedSet(cfg: BootServerConfig): Promise<ServedFile[]> {
  return (await checkServedSet(cfg)).map((c) => {
    if ('error' in c) throw c.error;
    return c;
  });
}
