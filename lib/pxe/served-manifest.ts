// Which image set a boot served, for summary.json and the report: the manifest.json the image
// builder (lib/images) writes beside the files, found from the served dom0 initramfs upwards,
// never above boot.server.root. A hand-made set without one is served all the same; it just
// goes unrecorded.
import { realpath } from 'node:fs/promises';
import { dirname, sep } from 'node:path';
import { type ImageSetFacts, imageSetFacts, readManifest } from '../images/manifest.ts';
import { BOOT_PATHS, type ServedFile } from './served-set.ts';

export type ServedImages = ImageSetFacts;

export async function servedImages(root: string, files: readonly ServedFile[]): Promise<ServedImages | undefined> {
  const initrd = files.find((f) => f.path === BOOT_PATHS.dom0Initrd);
  const top = await realpath(root).catch(() => undefined);
  if (!initrd || !top) return undefined;
  for (let dir = dirname(initrd.file); dir === top || dir.startsWith(top + sep); dir = dirname(dir)) {
    const m = await readManifest(dir);
    if (m?.key && m.xenPackageVersion && m.kernelVersion) return imageSetFacts(m);
    if (dir === top) break;
  }
  return undefined;
}
