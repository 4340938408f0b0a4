// Which firmware ran and where that was read: the serial sign-on where it names itself, dom0's
// SMBIOS for the build whose console names nothing (Dasharo coreboot+UEFI: lib/firmware/smbios.ts).
import { parseFirmwareLog } from './banner.ts';
import { type FlavourVerdict, flavourOfConsole } from './flavour.ts';
import { flavourOfSmbios, type Smbios } from './smbios.ts';

export interface RunningIdentity {
  board: string | null;
  boardFrom: string | null;
  /** Flavour, version and where the version was read; undefined when nothing told. */
  verdict?: FlavourVerdict;
}

/** True when the console showed a build that names no version on serial: dom0 is asked instead. */
export function consoleNamesNoVersion(firmwareLog: string): boolean {
  const b = parseFirmwareLog(firmwareLog);
  return !b.version && flavourOfConsole(b, firmwareLog)?.flavour === 'dasharo-uefi';
}

/** What a boot saw (lib/boot's BootRecord has these; named here so lib/firmware stays below lib/boot). */
export interface SeenAtBoot {
  firmwareLog: string;
  smbios?: Smbios;
}

export function runningIdentity(rec: SeenAtBoot): RunningIdentity {
  const log = rec.firmwareLog;
  const b = parseFirmwareLog(log);
  const seen = flavourOfConsole(b, log);
  const dom0 = !b.version && rec.smbios ? flavourOfSmbios(rec.smbios) : undefined;
  // "PC Engines" + "apu2": the board as the sign-on names it ("PC Engines apu2").
  const product = rec.smbios?.productName
    ? [rec.smbios.sysVendor, rec.smbios.productName].filter(Boolean).join(' ')
    : null;
  return {
    board: b.board ?? product,
    boardFrom: b.board ? 'console: sign-on' : product ? 'dom0 SMBIOS (sys_vendor, product_name)' : null,
    verdict: dom0 ?? seen,
  };
}
