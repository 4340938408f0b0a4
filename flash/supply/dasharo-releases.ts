// The Dasharo releases for the PC Engines apu2 family that iommu-lab can check a ROM against,
// and the `--firmware dasharo-<flavour>:<version>:<board>` words that name one. 3mdeb publishes
// only a `.sha256` and its `.sha256.sig` per board and release on dl.3mdeb.com; the ROMs come
// with a Dasharo Pro Package subscription, or are built from source. Sources (docs/real-bench.md):
// - file names and folders: the "Binaries" links of Dasharo/docs
//   docs/variants/pc_engines/releases_seabios.md and releases_uefi.md (8d3f97d9c467): the folder
//   changed per release line (v24.05.00.01 and v0.9.0 directly under pcengines_apu2/, v24.08.00.01
//   under seabios/, v0.9.1 under uefi/), and the SeaBIOS ROMs carry "_seabios_" in their name;
// - boards: the same release notes list apu2, apu3, apu4 and apu6 for every release; "apu5 is not
//   supported by UEFI builds" (docs/variants/pc_engines/building-manual.md);
// - signing keys, one per release line: 3mdeb/3mdeb-secpack dasharo/pcengines_apu2/*.asc
//   (4d7acdad5fdb), copied verbatim into keys/dasharo/ (keys/dasharo/README.md).
import { UsageError } from '../../lib/core/errors.ts';

export type DasharoFlavour = 'dasharo-seabios' | 'dasharo-uefi';

export const DASHARO_DOWNLOAD_BASE = 'https://dl.3mdeb.com/open-source-firmware/Dasharo';

export interface DasharoRelease {
  flavour: DasharoFlavour;
  version: string;
  /** Release date, from the heading of its release notes. */
  date: string;
  /** Under DASHARO_DOWNLOAD_BASE: the folder holding the release's files. */
  folder: string;
  /** "seabios_" for the SeaBIOS line: pcengines_apu2_seabios_v24.08.00.01.rom. */
  infix: string;
  boards: readonly string[];
  /** File in keys/dasharo/ (from 3mdeb/3mdeb-secpack dasharo/pcengines_apu2/). */
  key: string;
}

const APUS = ['apu2', 'apu3', 'apu4', 'apu6'] as const;
const KEY = (line: string) => `dasharo-release-${line}-for-pc-engines-signing-key.asc`;

export const DASHARO_RELEASES: readonly DasharoRelease[] = [
  {
    flavour: 'dasharo-seabios',
    version: 'v24.05.00.01',
    date: '2024-06-28',
    folder: 'pcengines_apu2/v24.05.00.01',
    infix: 'seabios_',
    boards: APUS,
    key: KEY('24.05.00.x'),
  },
  {
    flavour: 'dasharo-seabios',
    version: 'v24.08.00.01',
    date: '2025-06-10',
    folder: 'pcengines_apu2/seabios/v24.08.00.01',
    infix: 'seabios_',
    boards: APUS,
    key: KEY('24.08.00.x'),
  },
  {
    flavour: 'dasharo-uefi',
    version: 'v0.9.0',
    date: '2024-04-02',
    folder: 'pcengines_apu2/v0.9.0',
    infix: '',
    boards: APUS,
    key: KEY('0.9.x'),
  },
  {
    flavour: 'dasharo-uefi',
    version: 'v0.9.1',
    date: '2025-11-27',
    folder: 'pcengines_apu2/uefi/v0.9.1',
    infix: '',
    boards: APUS,
    key: KEY('0.9.x'),
  },
];

/** One board's ROM of one release. */
export interface ReleaseSpec {
  release: DasharoRelease;
  board: string;
  /** The words as given: "dasharo-uefi:v0.9.1:apu2". */
  spec: string;
}

const SPEC = /^(dasharo-seabios|dasharo-uefi):/;

/** True when `source` names a release (and is then never read as a path or URL). */
export const isReleaseSpec = (source: string): boolean => SPEC.test(source);

export const romName = (r: ReleaseSpec): string => `pcengines_${r.board}_${r.release.infix}${r.release.version}.rom`;

export function sha256Url(r: ReleaseSpec, base = DASHARO_DOWNLOAD_BASE): string {
  return `${base.replace(/\/+$/, '')}/${r.release.folder}/${romName(r)}.sha256`;
}

const known = (flavour: DasharoFlavour) =>
  DASHARO_RELEASES.filter((r) => r.flavour === flavour)
    .map((r) => r.version)
    .join(', ');

/** `dasharo-uefi:v0.9.1:apu2` → the release and board; a usage error names what is known. */
export function parseReleaseSpec(spec: string): ReleaseSpec {
  const m = /^(dasharo-seabios|dasharo-uefi):([^:]*):([^:]*)$/.exec(spec.trim());
  if (!m)
    throw new UsageError(
      `--firmware ${JSON.stringify(spec)}: a Dasharo release is dasharo-seabios|dasharo-uefi:<version>:<board>, e.g. dasharo-uefi:v0.9.1:apu2`,
    );
  const flavour = m[1] as DasharoFlavour;
  const version = m[2]!.startsWith('v') ? m[2]! : `v${m[2]}`;
  const board = m[3]!.toLowerCase();
  const release = DASHARO_RELEASES.find((r) => r.flavour === flavour && r.version === version);
  if (!release)
    throw new UsageError(`--firmware ${spec}: no known ${flavour} release ${version} (known: ${known(flavour)})`);
  if (!release.boards.includes(board))
    throw new UsageError(
      `--firmware ${spec}: ${flavour} ${version} has no build for ${board || 'an empty board'} (boards: ${release.boards.join(', ')}${board === 'apu5' && flavour === 'dasharo-uefi' ? '; apu5 has no UEFI build' : ''})`,
    );
  return { release, board, spec: `${flavour}:${version}:${board}` };
}

/** Where to get the ROM a `.sha256` is for: it is not on the download server. */
export function romRemedy(r: ReleaseSpec): string {
  const build =
    r.release.flavour === 'dasharo-uefi'
      ? `git clone https://github.com/Dasharo/coreboot && cd coreboot && git checkout pcengines_apu2_${r.release.version} && git submodule update --init --checkout && ./build.sh ${r.board}`
      : `the Dasharo/dasharo-pq ${r.release.version.slice(1)} README with pcengines/pce-fw-builder`;
  return (
    `the ROM itself is not downloadable: it comes with a Dasharo Pro Package subscription ` +
    `(docs.dasharo.com, PC Engines release notes), or build it reproducibly from source (${build}; ` +
    `Dasharo/docs docs/variants/pc_engines/building-manual.md)`
  );
}
