// What the board ran above the firmware: Xen and the dom0 kernel. Read from the boot's serial
// capture by default; a suite that runs `xl info` records that too (it outranks the serial
// capture, which may be cut short): `notePlatformFromXlInfo(run.platform, r.stdout)`.
import { parseXenLog } from '../xen/xen-log.ts';
import { parseXlInfo } from '../xen/xl-info.ts';

export interface PlatformFacts {
  xenVersion: string | null;
  /** The whole "Xen version 4.17.7 (Debian …) … debug=n …" banner line. */
  xenBanner: string | null;
  /** dom0 kernel release ("6.1.0-57-amd64"). */
  dom0Kernel: string | null;
  xenCommandLine: string | null;
}

const last = (text: string, re: RegExp): RegExpExecArray | null => {
  let found: RegExpExecArray | null = null;
  for (const line of text.split(/\r?\n/)) found = re.exec(line) ?? found;
  return found;
};

/** From a serial capture of a Xen boot (the last boot in it wins). */
export function platformFromLog(xenLog: string): PlatformFacts {
  const x = parseXenLog(xenLog);
  const banner = last(xenLog, /\bXen version (\d+\.\d+(?:\.\d+)?)[^\r\n]*/);
  return {
    // The banner may share its line with firmware noise ("Booting from ROM..(XEN) Xen version").
    xenVersion: x.xenVersion ?? banner?.[1] ?? null,
    xenBanner: banner ? banner[0].trim() : null,
    dom0Kernel: last(xenLog, /\bLinux version (\S+)/)?.[1] ?? null,
    xenCommandLine: x.commandLine,
  };
}

/** Records what `xl info` says into the run's facts (fields it does not state are left alone). */
export function notePlatformFromXlInfo(into: Partial<PlatformFacts>, xlInfoText: string): void {
  const i = parseXlInfo(xlInfoText);
  if (i.xenVersion) into.xenVersion = i.xenVersion;
  if (i.fields.release) into.dom0Kernel = i.fields.release;
  if (i.commandLine) into.xenCommandLine = i.commandLine;
}

/** What the run noted explicitly outranks what the serial capture showed. */
export function platformFacts(noted: Partial<PlatformFacts>, xenLog: string): PlatformFacts {
  const fromLog = platformFromLog(xenLog);
  const pick = <K extends keyof PlatformFacts>(k: K) => noted[k] ?? fromLog[k];
  return {
    xenVersion: pick('xenVersion'),
    xenBanner: pick('xenBanner'),
    dom0Kernel: pick('dom0Kernel'),
    xenCommandLine: pick('xenCommandLine'),
  };
}
