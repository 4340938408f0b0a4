// Which coreboot build family an image is, read from the image itself (its FMAP, its CBFS config
// and version strings); the families and what a console says are lib/firmware/flavour.ts.
import { type FlavourVerdict, flavourOfVersion } from '../../lib/firmware/flavour.ts';
import type { ImageInfo } from './inspect.ts';

const CONFIG_SOURCE = /^version from (CBFS \S+|image strings)$/;

export function flavourOfImage(info: ImageInfo, buf: Buffer): FlavourVerdict | undefined {
  const { version } = info.identity;
  const versionSource = info.identity.sources.find((s) => CONFIG_SOURCE.test(s));
  const versionFrom = version && versionSource ? `image: ${versionSource.replace(/^version from /, '')}` : null;
  const areas = new Set(info.fmap?.areas.map((a) => a.name) ?? []);
  // UEFI first: its layout says so even when no text file names the version.
  const uefiLayout = areas.has('SMMSTORE') && areas.has('RW_SECTION_A') && !areas.has('BOOTORDER');
  if (uefiLayout || hasEdk2Config(info, buf))
    return {
      flavour: 'dasharo-uefi',
      version: version ?? null,
      versionFrom,
      why: uefiLayout ? 'FMAP has SMMSTORE and RW_SECTION_A, no BOOTORDER' : 'CBFS config selects the edk2 payload',
    };
  if (!version) return undefined;
  const flavour = flavourOfVersion(version);
  if (!flavour) return undefined;
  return { flavour, version, versionFrom, why: `version ${version}` };
}

function hasEdk2Config(info: ImageInfo, buf: Buffer): boolean {
  const f = info.cbfs.flatMap((c) => c.files).find((x) => x.name === 'config' && !x.compressed);
  if (!f) return false;
  return /^CONFIG_PAYLOAD_EDK2=y$/m.test(buf.subarray(f.dataOffset, f.dataOffset + f.size).toString('latin1'));
}
