// The twin's image sets, one folder of cached sets per Debian release: Xen 4.17 (Debian 12) in
// `images/`, where it always was, and Xen 4.20 (Debian 13) beside it in `images-xen420/`. Separate
// folders because a build prunes every other key in its own folder: building one release never
// removes or relinks the other, which someone may be booting.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BOOKWORM, type ImageRelease, RELEASES } from '../../lib/images/release.ts';
import { twinPaths } from '../base/paths.ts';

/** The folder of cached sets for `release` (its `current` link is what a twin rig serves). */
export function twinImagesRoot(release: ImageRelease, home = twinPaths.home): string {
  return release.id === BOOKWORM.id ? join(home, 'images') : join(home, `images-${release.id}`);
}

/**
 * The release whose sets a rig's boot server serves (its `boot.server.root`): what the twin must
 * have built before that rig boots. A root that is no twin set's (or none) is Debian 12's, as
 * before there were two.
 */
export function releaseServedFrom(root: string | undefined, home = twinPaths.home): ImageRelease {
  return RELEASES.find((r) => root !== undefined && twinImagesRoot(r, home) === root) ?? BOOKWORM;
}

/** True when `twin setup` has built the release's images at least once (any cache key). */
export function imagesBuilt(release: ImageRelease = BOOKWORM): boolean {
  return existsSync(twinImagesRoot(release));
}
