// Which coreboot build family an image or a console is: PC Engines' own v4.x releases, 3mdeb's
// Dasharo (coreboot+SeaBIOS) v24.x, Dasharo (coreboot+UEFI) v0.9.x, or an upstream coreboot build.
// (An image's flavour: flash/image/flavour.ts.) The flavour decides how settings are stored and how the board reaches iPXE, so an image whose
// flavour cannot be told is never flashed unless the user names it (--flavour).
//
// Sources (docs/real-bench.md):
// - PC Engines: CONFIG_LOCALVERSION "v4.MAJOR.MINOR.PATCH" (pcengines/coreboot configs).
// - Dasharo SeaBIOS: CONFIG_LOCALVERSION="v24.08.00.01" (Dasharo/dasharo-pq 24.08.00.01
//   patches/0087…, config.pcengines_seabios_apu2); sign-on "coreboot build 19700101" is the
//   reproducible-build constant, not a date (v24.05.00.01 release notes, dasharo-issues #889).
// - Dasharo UEFI: FMAP with SMMSTORE and RW_SECTION_A and no BOOTORDER (Dasharo/coreboot
//   src/mainboard/pcengines/apu2/vboot-rwa.fmd), payload edk2 (CONFIG_PAYLOAD_EDK2); console has
//   no board/version line, only edk2's "DEL   to enter Setup" / "ENTER to boot directly"
//   (Dasharo/edk2 DasharoPayloadPkg/Library/PlatformBootManagerLib/PlatformBootManager.c).
// - upstream coreboot: no LOCALVERSION tag, COREBOOT_VERSION "24.08", "26.06-12-gabcdef".
import { UsageError } from '../core/errors.ts';
import type { FirmwareBanner } from './banner.ts';

export const FLAVOURS = ['pcengines', 'dasharo-seabios', 'dasharo-uefi', 'coreboot'] as const;
export type Flavour = (typeof FLAVOURS)[number];

export interface FlavourVerdict {
  flavour: Flavour;
  version: string | null;
  /** Where the version was read: 'image: CBFS config', 'console: "BIOS version" line', … */
  versionFrom: string | null;
  /** Why this flavour, in words for the report. */
  why: string;
}

export function parseFlavourArg(arg: string): Flavour {
  if ((FLAVOURS as readonly string[]).includes(arg)) return arg as Flavour;
  throw new UsageError(`--flavour: "${arg}" is not one of ${FLAVOURS.join(', ')}`);
}

/** The build date a sign-on means, or null: Dasharo's timeless builds print 19700101. */
export function buildDateOf(corebootBuild: string | null): string | null {
  if (!corebootBuild || !/^\d{8}$/.test(corebootBuild) || corebootBuild === '19700101') return null;
  return `${corebootBuild.slice(0, 4)}-${corebootBuild.slice(4, 6)}-${corebootBuild.slice(6)}`;
}

/** By the version string alone; undefined when it fits no family. */
export function flavourOfVersion(version: string): Flavour | undefined {
  if (/^v4\.\d+\.\d+\.\d+/.test(version)) return 'pcengines';
  if (/^v2\d\.\d{2}\.\d{2}\.\d{2}/.test(version)) return 'dasharo-seabios';
  if (/^(?:Dasharo \(coreboot\+UEFI\) )?v0\.\d+\.\d+/.test(version)) return 'dasharo-uefi';
  if (/^\d+\.\d+(?:\.\d+)?(?:-|$)/.test(version)) return 'coreboot';
  return undefined;
}

/** edk2's prompt on a Dasharo UEFI build: "DEL   to enter Setup" … "ENTER to boot directly". */
const EDK2_PROMPT = /DEL\s+to enter Setup|ENTER to boot directly/;

export function flavourOfConsole(b: FirmwareBanner, log: string): FlavourVerdict | undefined {
  if (b.version) {
    const flavour = flavourOfVersion(b.version);
    const from = b.stageBanners.length && !/BIOS version/.test(log) ? 'console: coreboot stage banner' : null;
    if (flavour)
      return {
        flavour,
        version: b.version,
        versionFrom: from ?? 'console: "BIOS version" line',
        why: `${from ? 'stage banner' : 'sign-on'} version ${b.version}`,
      };
  }
  if (EDK2_PROMPT.test(log))
    return {
      flavour: 'dasharo-uefi',
      version: null,
      versionFrom: null,
      why: "edk2's boot prompt (no version on serial)",
    };
  return undefined;
}
