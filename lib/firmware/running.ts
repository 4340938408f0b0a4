import type { Flavour } from './flavour.ts';

// What firmware a run put on the chip and what it saw of it: kept by the run, read by reports.
export interface FirmwareInfo {
  /** What was flashed by this run, if anything. */
  flashed?: {
    sha256: string;
    version?: string;
    source: string;
    flavour?: Flavour;
    versionFrom?: string;
    /** A Dasharo release source: the published .sha256 checked and whether its signature was. */
    release?: ReleaseCheck;
  };
  /** Settings read back from the chip after flashing (bootorder; Dasharo UEFI: NetworkBoot as pxe), when known. */
  settings?: Record<string, boolean | undefined>;
  warnings: string[];
}

/** What a Dasharo release check found (flash/supply/release-source.ts), as the report records it. */
export interface ReleaseCheck {
  flavour: Extract<Flavour, 'dasharo-seabios' | 'dasharo-uefi'>;
  version: string;
  board: string;
  /** The published `.sha256` the file was checked against. */
  sha256Url: string;
  /** "verified: <key file> <primary fingerprint>", or "not checked: <why>". */
  signature: string;
  signatureChecked: boolean;
}
