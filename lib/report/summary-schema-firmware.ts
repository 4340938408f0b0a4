// summary.json's `firmware`: what ran on the board and how each fact was known — the banner read at
// boot, the image this run flashed, a Dasharo release's published checksum, the settings on the
// chip and at boot. Part of the contract in summary-schema.ts.
import { z } from 'zod';
import { FLAVOURS } from '../firmware/flavour.ts';

const flags = z.record(z.string(), z.boolean());

export const firmwareSchema = z
  .strictObject({
    version: z.string().nullable().describe("what ran: the banner's version, else the flashed image's"),
    flavour: z
      .enum(FLAVOURS)
      .nullable()
      .describe('the build family: told by the console at boot, else by the flashed image; null when neither told'),
    versionFrom: z
      .string()
      .nullable()
      .describe("where version was read: 'console: \"BIOS version\" line', 'image: CBFS config', …"),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional()
      .describe('of the image this run flashed; absent when it flashed none'),
    source: z.string().optional().describe('--firmware as given'),
    flashedVersion: z.string().nullable().optional().describe("the flashed image's own version string"),
    release: z
      .strictObject({
        flavour: z.enum(['dasharo-seabios', 'dasharo-uefi']),
        version: z.string(),
        board: z.string(),
        sha256Url: z.string().describe("the release's published .sha256 the flashed file matched"),
        signatureChecked: z.boolean().describe('true when the .sha256.sig was verified with the release key'),
        signature: z
          .string()
          .describe('"verified: <key file> <fingerprint>", or "not checked: <why>" (no gpg, no .sig published)'),
      })
      .optional()
      .describe('a Dasharo release given as --firmware flavour:version:board with --firmware-file'),
    banner: z
      .strictObject({
        board: z.string().nullable(),
        version: z.string().nullable(),
        corebootBuild: z.string().nullable(),
        buildDate: z
          .string()
          .nullable()
          .describe('corebootBuild as YYYY-MM-DD; null for 19700101, the constant of reproducible (Dasharo) builds'),
        seabios: z.string().nullable(),
      })
      .nullable()
      .describe('read on serial at boot; null when no banner was captured (--assume)'),
    settings: z.strictObject({
      onChip: flags
        .optional()
        .describe("read back from the chip after flashing (bootorder; Dasharo UEFI: SMMSTORE's NetworkBoot as pxe)"),
      menu: flags.optional().describe('as the setup menu showed them on serial'),
      atBoot: z
        .strictObject({ iommu: z.boolean().optional(), pxe: z.boolean().optional() })
        .optional()
        .describe(
          'as the console showed them at this boot, flashed or not: a "bootorder: iommu1" line, the setup menu, SeaBIOS\'s "N for PXE boot" (pxen1); absent without a firmware capture',
        ),
    }),
    warnings: z.array(z.string()),
  })
  .describe('the firmware that ran');
