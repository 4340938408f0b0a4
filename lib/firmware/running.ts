import type { Flavour } from './flavour.ts';

// What firmware a run put on the chip and what it saw of it: kept by the run, read by reports.
export interface FirmwareInfo {
  /** What was flashed by this run, if anything. */
  flashed?: { sha256: string; version?: string; source: string; flavour?: Flavour; versionFrom?: string };
  /** Settings read back from the chip after flashing (bootorder; Dasharo UEFI: NetworkBoot as pxe), when known. */
  settings?: Record<string, boolean | undefined>;
  warnings: string[];
}
