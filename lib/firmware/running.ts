import type { ReleaseCheck } from '../../flash/supply/release-source.ts';
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
  /** Settings read back from the chip after flashing (bootorder), when known. */
  settings?: Record<string, boolean | undefined>;
  warnings: string[];
}
