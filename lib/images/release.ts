// Which Debian release an image set is made of, and so which Xen: Debian 12 ships Xen 4.17,
// Debian 13 Xen 4.20. Every package, file and path that carries Xen's version is named here, so
// the builder and dom0's /init never spell a version themselves.

export interface ImageRelease {
  /** Short name: the twin's image set and `twin setup --xen` go by it. */
  id: 'xen417' | 'xen420';
  /** Debian codename the dom0 rootfs, the kernel, Xen and its tools come from. */
  suite: 'bookworm' | 'trixie';
  /** Xen's major.minor as Debian's package names carry it. */
  xen: '4.17' | '4.20';
}

/** Debian 12: xen-hypervisor-4.17-amd64, Linux 6.1. What the twin always ran. */
export const BOOKWORM: ImageRelease = { id: 'xen417', suite: 'bookworm', xen: '4.17' };
/** Debian 13: xen-hypervisor-4.20-amd64, Linux 6.12. */
export const TRIXIE: ImageRelease = { id: 'xen420', suite: 'trixie', xen: '4.20' };

export const RELEASES: readonly ImageRelease[] = [BOOKWORM, TRIXIE];

/** `4.20` (or `xen420`, `trixie`) → the release; undefined for anything else. */
export function releaseNamed(name: string): ImageRelease | undefined {
  return RELEASES.find((r) => r.xen === name || r.id === name || r.suite === name);
}

/** The hypervisor package: it ships `/boot/xen-<xen>-amd64.gz`. */
export const xenPackage = (r: ImageRelease): string => `xen-hypervisor-${r.xen}-amd64`;
/** xl, xenstored, xen-init-dom0, xen-mfndump… under /usr/lib/xen-<xen>/bin. */
export const xenToolsPackage = (r: ImageRelease): string => `xen-utils-${r.xen}`;
/** The gzipped multiboot ELF inside the unpacked hypervisor package. */
export const xenBinaryIn = (r: ImageRelease): string => `boot/xen-${r.xen}-amd64.gz`;
/** Where Debian puts the Xen tools it leaves off PATH (dom0's /init starts xenstored from here). */
export const xenToolsDir = (r: ImageRelease): string => `/usr/lib/xen-${r.xen}/bin`;
