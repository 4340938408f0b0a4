// Where an iPXE build shows which way into its shell it offers: the Ctrl-B line of a plain iPXE,
// the embedded menu of PC Engines' builds, or Dasharo's "Dasharo Network Boot Menu" (Dasharo
// SeaBIOS v24.08.00.01 and the UEFI flavour embed Dasharo/dasharo-blobs dasharo/dasharo.ipxe) —
// or, before any iPXE, the edk2 prompt of Dasharo coreboot+UEFI ("ENTER to boot directly"), whose
// way in goes through the boot manager menu (ipxe-entry-uefi.ts).
// Every entry waits for any of them, so a rig that names the wrong one fails at once with the
// fix, not after its timeouts (on a real apu2 the Ctrl-B line never comes); `auto` takes the
// one offered.
import { RigError } from '../core/errors.ts';
import type { BootBench } from './bench.ts';
import type { BootRecord } from './record.ts';

/** The ways in a console can show; `auto` (lib/boot/ipxe-entries.ts) follows whichever it shows. */
export type OfferedEntry = 'menu' | 'dasharo-menu' | 'uefi-boot-manager' | 'ctrl-b';
export type IpxeEntry = OfferedEntry | 'auto';

export const IPXE_PROMPT = /iPXE>/;
const CTRL_B_LINE = /Press Ctrl-B for the [^\r\n]*command line/;
/** menu.ipxe's default item, the string 3mdeb's automation waits for. */
const MENU_ITEM = /autoboot/;
/** dasharo.ipxe's gap line, drawn before its items (its "Autoboot (DHCP)" never matches MENU_ITEM). */
export const DASHARO_MENU_TITLE = /Dasharo Network Boot Menu/;
/** edk2's last prompt line (PlatformBootManager.c), printed for 6 s before the boot order runs. */
export const UEFI_PROMPT = /ENTER to boot directly/;

const SEEN: Record<IpxeEntry, string> = {
  menu: 'PC Engines iPXE menu ("autoboot")',
  'dasharo-menu': 'Dasharo Network Boot Menu',
  'uefi-boot-manager': 'UEFI prompt "ENTER to boot directly"',
  'ctrl-b': 'iPXE Ctrl-B prompt',
  auto: 'an iPXE menu, Ctrl-B prompt or UEFI prompt',
};

const OFFERS: Record<OfferedEntry, string> = {
  menu: 'its embedded menu (PC Engines)',
  'dasharo-menu': "Dasharo's network boot menu",
  'uefi-boot-manager': "the UEFI boot manager (Dasharo coreboot+UEFI's prompt)",
  'ctrl-b': 'Ctrl-B',
};

/** Waits for whichever way in the iPXE offers; returns it, or fails at once when the rig names another. */
export async function expectEntryPoint(s: BootBench, rec: BootRecord, want: IpxeEntry): Promise<OfferedEntry> {
  const t = s.rig.boot.timeoutsMs.firmware;
  const any = new RegExp(
    `${CTRL_B_LINE.source}|${DASHARO_MENU_TITLE.source}|${UEFI_PROMPT.source}|${MENU_ITEM.source}`,
  );
  const m = await s.console.expect(any, { timeout: t, name: `${SEEN[want]}`, silenceMs: t });
  rec.firmwareLog += m.before + m.text;
  const offered: OfferedEntry = CTRL_B_LINE.test(m.text)
    ? 'ctrl-b'
    : DASHARO_MENU_TITLE.test(m.text)
      ? 'dasharo-menu'
      : UEFI_PROMPT.test(m.text)
        ? 'uefi-boot-manager'
        : 'menu';
  if (offered === want || want === 'auto') return offered;
  throw new RigError(
    `iPXE offers ${OFFERS[offered]}, not ${OFFERS[want]}: the rig names entry '${want}'; set boot.network.entry: '${offered}' (or 'auto')`,
    { code: 'IPXE_ENTRY_MISMATCH', phase: 'ipxe', consoleTail: s.console.tail(20) },
  );
}
