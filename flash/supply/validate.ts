// The checks an image passes before anything touches a chip. Each refusal is one line naming
// the reason; a pass returns what the image says about itself, for the report.

import { FLAVOURS, type Flavour } from '../../lib/firmware/flavour.ts';
import type { Rig } from '../../lib/rig/schema.ts';
import { CBFS_TYPE } from '../image/cbfs.ts';
import { flavourOfImage } from '../image/flavour.ts';
import { FMAP_SIGNATURE, parseFmapAt } from '../image/fmap.ts';
import { sameBoard } from '../image/identify.ts';
import { describeRegions, type ImageInfo, inspectImage, readImageSettings } from '../image/inspect.ts';
import { FlashRefused } from './errors.ts';
import { readUefiSettings, smmstoreRegionOf } from './uefi-settings.ts';

export interface ImageReport {
  sizeBytes: number;
  regions: string[];
  version?: string;
  board?: string;
  /** pcengines | dasharo-seabios | dasharo-uefi | coreboot: told by the image, else by --flavour. */
  flavour?: Flavour;
  /** How the flavour was told ("version v24.08.00.01", "--flavour"). */
  flavourWhy?: string;
  /** Where the version was read ("image: CBFS config"). */
  versionFrom?: string;
  bootorderLayout?: 'fmap' | 'cbfs';
  /** The image's own settings: bootorder knobs, or Dasharo UEFI's { NetworkBoot: '1' | '0' }. */
  settings?: Record<string, string>;
  warnings: string[];
}

export interface ValidateOptions {
  forceBoard?: boolean;
  /** The user's word for an image that does not tell its flavour itself (--flavour). */
  flavour?: Flavour;
  /** An image this rig already ran (the known-good one): an untold flavour is a warning, not a refusal. */
  trusted?: boolean;
}

export function validateImage(
  bytes: Buffer,
  rig: Pick<Rig, 'board'>,
  opts: ValidateOptions = {},
): { info: ImageInfo; report: ImageReport } {
  const chip = rig.board.flash;
  if (bytes.length !== chip.sizeBytes)
    throw new FlashRefused(
      'REFUSED_SIZE',
      `image is ${bytes.length} bytes, the rig's chip${chip.chip ? ` (${[chip.chip].flat().join(' or ')})` : ''} holds ${chip.sizeBytes}`,
    );
  const info = inspectImage(bytes);
  const hasCbfs = info.cbfs.some((c) => c.files.length > 0);
  if (!info.fmap && !info.masterHeader) {
    const at = bytes.indexOf(FMAP_SIGNATURE);
    const why =
      at >= 0
        ? `its FMAP at 0x${at.toString(16)} is not sane (${parseFmapAt(bytes, at)})`
        : 'no FMAP and no CBFS master header';
    throw new FlashRefused('REFUSED_NOT_COREBOOT', `not a coreboot image: ${why}`);
  }
  if (!hasCbfs)
    throw new FlashRefused('REFUSED_NOT_COREBOOT', 'not a coreboot image: it has a layout but no CBFS files');
  const warnings: string[] = [];
  const { board, version } = info.identity;
  if (board && !sameBoard(board, rig.board.model)) {
    if (!opts.forceBoard)
      throw new FlashRefused(
        'REFUSED_WRONG_BOARD',
        `image is for ${board}, the rig's board is ${rig.board.model} (--force-board to flash anyway)`,
      );
    warnings.push(`image is for ${board}, flashed on ${rig.board.model} because of --force-board`);
  }
  if (!board) warnings.push('the image does not name its board');
  const told = flavourOfImage(info, bytes);
  if (told && opts.flavour && told.flavour !== opts.flavour)
    throw new FlashRefused(
      'REFUSED_FLAVOUR',
      `image is ${told.flavour} (${told.why}), not the ${opts.flavour} --flavour names`,
    );
  if (!told && !opts.flavour) {
    const why = `cannot tell the image's flavour (no PC Engines v4.x, Dasharo or coreboot version, no Dasharo UEFI layout)`;
    if (!opts.trusted)
      throw new FlashRefused('REFUSED_FLAVOUR', `${why}: name it with --flavour ${FLAVOURS.join('|')}`);
    warnings.push(why);
  }
  const files = info.cbfs.flatMap((c) => c.files).filter((f) => f.type !== CBFS_TYPE.null);
  if (!files.length) warnings.push('CBFS holds no files');
  const flavour = told?.flavour ?? opts.flavour;
  const settings =
    flavour === 'dasharo-uefi' ? uefiSettings(bytes, warnings) : readImageSettings(bytes, info.bootorder);
  return {
    info,
    report: {
      sizeBytes: bytes.length,
      regions: describeRegions(info),
      version,
      board,
      flavour,
      flavourWhy: told?.why ?? (opts.flavour ? '--flavour' : undefined),
      versionFrom: told?.versionFrom ?? undefined,
      bootorderLayout: info.bootorder?.layout,
      settings,
      warnings,
    },
  };
}

/** A Dasharo UEFI image's NetworkBoot as it came ({ NetworkBoot: '1' }); a store it cannot read is a warning. */
function uefiSettings(bytes: Buffer, warnings: string[]): Record<string, string> | undefined {
  const a = smmstoreRegionOf(bytes);
  if (!a) return undefined;
  const r = readUefiSettings(bytes.subarray(a.offset, a.offset + a.size));
  if (r.text.startsWith('unknown')) warnings.push(`the image's ${r.text.replace(/^unknown \((.*)\)$/, '$1')}`);
  return r.settings?.pxe === undefined ? undefined : { NetworkBoot: r.settings.pxe ? '1' : '0' };
}
