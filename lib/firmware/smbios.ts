// The firmware's identity as dom0 reads it from SMBIOS, for the build whose console names none:
// Dasharo coreboot+UEFI prints no board or version line (coreboot at log level 1, edk2's prompt
// only), but its SMBIOS type 0 carries "Dasharo (coreboot+UEFI) " CONFIG_LOCALVERSION (Dasharo/
// coreboot src/vendorcode/dasharo/smbios.c), and Linux shows SMBIOS in /sys/class/dmi/id
// (bios_vendor, bios_version, sys_vendor, product_name; dasharo-issues #784 shows them in a kernel's
// "Hardware name: PC Engines apu6/apu6, BIOS Dasharo (coreboot+UEFI) v0.9.0" line: sys_vendor
// "PC Engines", product_name "apu6"). Read once dom0 answers; what cannot be read stays unknown, never guessed.
import { shq } from '../core/quote.ts';
import type { RemoteShell } from '../remote/types.ts';
import { type FlavourVerdict, flavourOfVersion } from './flavour.ts';

export const DMI_DIR = '/sys/class/dmi/id';
const FIELDS = {
  biosVendor: 'bios_vendor',
  biosVersion: 'bios_version',
  sysVendor: 'sys_vendor',
  productName: 'product_name',
} as const;
export const SMBIOS_SOURCE = `dom0 SMBIOS (${DMI_DIR}/bios_version)`;

export type Smbios = Record<keyof typeof FIELDS, string | null>;

/** One `name=value` line per field; a file that is absent or unreadable prints `name=`. */
export function smbiosCommand(dir = DMI_DIR): string {
  const names = Object.values(FIELDS).join(' ');
  return `for f in ${names}; do printf '%s=' "$f"; head -n 1 ${shq(dir)}/"$f" 2>/dev/null || echo; done`;
}

export function parseSmbios(stdout: string): Smbios {
  const got = new Map(
    stdout.split('\n').map((l) => {
      const eq = l.indexOf('=');
      return [l.slice(0, eq), l.slice(eq + 1).trim()] as const;
    }),
  );
  const value = (name: string) => got.get(name) || null;
  return {
    biosVendor: value(FIELDS.biosVendor),
    biosVersion: value(FIELDS.biosVersion),
    sysVendor: value(FIELDS.sysVendor),
    productName: value(FIELDS.productName),
  };
}

/** Best effort: undefined when dom0 cannot say (no sysfs DMI under Xen, a shell error). */
export async function readSmbios(shell: RemoteShell, dir = DMI_DIR): Promise<Smbios | undefined> {
  try {
    const r = await shell.run(smbiosCommand(dir), { timeoutMs: 10_000 });
    const s = parseSmbios(r.stdout);
    return r.exitCode === 0 && (s.biosVersion || s.productName) ? s : undefined;
  } catch {
    return undefined;
  }
}

/** "Dasharo (coreboot+UEFI) v0.9.1" → dasharo-uefi, version "v0.9.1" (as the image names it). */
export function flavourOfSmbios(s: Smbios): FlavourVerdict | undefined {
  const full = s.biosVersion;
  const flavour = full ? flavourOfVersion(full) : undefined;
  if (!full || !flavour) return undefined;
  const version = /\bv\d[\w.+-]*$/.exec(full)?.[0] ?? full;
  return { flavour, version, versionFrom: SMBIOS_SOURCE, why: `SMBIOS BIOS version "${full}"` };
}
