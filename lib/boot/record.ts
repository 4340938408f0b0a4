// What one boot left behind: the evidence the firmware and iommu-detection suites read.
import type { Smbios } from '../firmware/smbios.ts';

interface StageTiming {
  stage: string;
  ms: number;
  attempt: number;
}

interface Hang {
  stage: string;
  attempt: number;
  reason: string;
  lastLines: string;
}

export interface BootRecord {
  /** Boots attempted in this run (power-ons by iommu-lab). */
  attempts: number;
  timings: StageTiming[];
  hangs: Hang[];
  /** Serial text from power-on to the network-boot hand-over (coreboot + SeaBIOS). */
  firmwareLog: string;
  /** Serial text from the Xen banner until dom0 answered. */
  xenLog: string;
  /** dom0's SMBIOS, read when the console named no firmware version (Dasharo coreboot+UEFI). */
  smbios?: Smbios;
  /** True when the board was adopted with force() and never booted by this run. */
  assumed: boolean;
}

export function emptyRecord(): BootRecord {
  return { attempts: 0, timings: [], hangs: [], firmwareLog: '', xenLog: '', assumed: false };
}
