// A real bench's image set, from its rig: built by the same builder as the twin's into
// boot.server.root (or another folder), with the file names boot.server.files gives. The sets
// are cached in <root>/sets/<key>; <root>/<file> are links through <root>/sets/current, which
// the boot server follows (they stay inside the root) and a rebuild swaps atomically.

import { constants } from 'node:fs';
import { access, lstat, mkdir, readlink } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { RigError, UsageError } from '../core/errors.ts';
import { expandPath } from '../core/secrets.ts';
import type { BootServerConfig, Rig } from '../rig/schema.ts';
import { authorizedKeysFor, benchHostKeys } from './bench-keys.ts';
import type { Compression } from './cpio.ts';
import { CURRENT, type EnsureSetResult, ensureImageSet, linkCurrent, notRootError, swapLink } from './ensure.ts';
import { checkHostTools } from './host-tools.ts';
import { MANIFEST } from './manifest.ts';
import { type Addressing, fullPci, type ImageKeys, type ImageProfile, type StaticAddress } from './profile.ts';

export const SETS_DIR = 'sets';
/** Where the PV guest's initramfs lands (dom0 carries its own copy; a rig may also serve it). */
export const BENCH_GUEST_INITRD = 'guest/initrd.gz';

/** The dom0 initramfs is compressed as its name says: `.gz` gzip, otherwise a plain cpio. */
export function compressionFor(file: string): Compression {
  if (/\.(gz|tgz)$/.test(file)) return 'gzip-1';
  if (/\.(xz|zst|lz4|bz2|lzma|lzo)$/.test(file))
    throw new UsageError(`boot.server.files.dom0Initrd ${file}: only gzip is built; name it *.cpio.gz or *.cpio`);
  return 'none';
}

function dom0Addressing(cfg: BootServerConfig): Addressing {
  const a = cfg.image.address;
  return a === 'dhcp'
    ? { kind: 'dhcp' }
    : { kind: 'static', cidr: a.cidr, ...(a.gateway ? { gateway: a.gateway } : {}) };
}

/** The guest asks DHCP; the rig's traffic.guestAddress, when it is an address with a prefix, is its fallback. */
function guestAddressing(rig: Rig): Addressing {
  const g = rig.traffic?.guestAddress;
  const fallback: StaticAddress | undefined = g && /^[\d.]+\/\d+$/.test(g) ? { cidr: g } : undefined;
  return fallback ? { kind: 'dhcp', fallback } : { kind: 'dhcp' };
}

export function benchProfile(rig: Rig, keys: ImageKeys): ImageProfile {
  if (!rig.boot.server) throw new Error(`rig ${rig.name} has no boot.server`);
  const cfg = rig.boot.server;
  return {
    flavour: 'bench',
    label: `${rig.name} images`,
    dom0: { nicPci: fullPci(cfg.image.nic ?? rig.board.nics[0].pci), address: dom0Addressing(cfg) },
    guest: { address: guestAddressing(rig) },
    keys,
    dom0Compression: compressionFor(cfg.files.dom0Initrd),
    layout: {
      xen: cfg.files.xen,
      dom0Kernel: cfg.files.dom0Kernel,
      dom0Initrd: cfg.files.dom0Initrd,
      guestInitrd: BENCH_GUEST_INITRD,
    },
  };
}

const unwritable = (root: string, why: string): RigError =>
  new RigError(`cannot build into ${root}: ${why}: fix its permissions, or give another folder with --out`, {
    code: 'IMAGES_ROOT_UNWRITABLE',
  });

/** Made (with its parents) and writable, or one line saying why not. */
export async function prepareRoot(root: string): Promise<void> {
  try {
    await mkdir(root, { recursive: true });
    await access(root, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw unwritable(root, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }
}

/** `<root>/<rel>` → `sets/current/<rel>`, relative; only a link this command made is replaced. */
async function linkThrough(root: string, rel: string): Promise<void> {
  const link = join(root, rel);
  const target = relative(dirname(link), join(root, SETS_DIR, CURRENT, rel));
  const st = await lstat(link).catch(() => undefined);
  if (st && !st.isSymbolicLink()) throw unwritable(root, `${link} is a file this command did not make (move it away)`);
  if (st && (await readlink(link)) === target) return;
  await mkdir(dirname(link), { recursive: true });
  await swapLink(target, link);
}

export interface BenchImagesResult extends EnsureSetResult {
  root: string;
  /** The files as the rig names them, inside root. */
  files: string[];
}

export async function ensureBenchImages(
  rig: Rig,
  opts: { out?: string; force?: boolean } = {},
): Promise<BenchImagesResult> {
  if (!rig.boot.server) throw new Error(`rig ${rig.name} has no boot.server`);
  const root = expandPath(opts.out ?? rig.boot.server.root);
  // The cheap checks first, each a one-line error: the names, the key, the folder, the tools.
  compressionFor(rig.boot.server.files.dom0Initrd);
  const authorizedKeys = await authorizedKeysFor(rig);
  await prepareRoot(root);
  checkHostTools();
  const host = await benchHostKeys(root, rig.name);
  const profile = benchProfile(rig, { authorizedKeys, dom0HostKey: host.dom0, guestHostKey: host.guest });
  const setsDir = join(root, SETS_DIR);
  const r = await ensureImageSet({
    setsDir,
    profile,
    force: opts.force,
    notRoot: () => notRootError(`iommu-lab pxe images --rig ${rig.name}`),
  });
  await linkCurrent(setsDir, r.manifest.key);
  const files = [...Object.values(profile.layout), MANIFEST];
  for (const rel of files) await linkThrough(root, rel);
  return { ...r, root, files };
}
