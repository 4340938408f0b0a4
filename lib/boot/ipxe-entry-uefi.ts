// Into the iPXE shell of Dasharo coreboot+UEFI. Its console shows no board or version line, only
// edk2's prompt for 6 s (Dasharo/edk2 DasharoPayloadPkg/Library/PlatformBootManagerLib/
// PlatformBootManager.c at 9c5dd7ba: "DEL   to enter Setup" / "F10   to enter Boot Manager Menu"
// / "ENTER to boot directly"). F10 opens the boot manager menu (uefi-boot-menu.ts); its "iPXE
// Network Boot" entry exists only when the UEFI variable NetworkBoot is set ("Registering iPXE
// boot option by variable"), and it starts EFI iPXE with the same dasharo.ipxe menu as Dasharo's
// SeaBIOS flavour, where "iPXE Shell" is picked the same way (ipxe-entry-dasharo.ts). 3mdeb's OSFV
// does the same: waits for "ENTER", sends F10, reads the menu, arrows to the entry ("Enter IPXE",
// lib/bios/menus.robot). Keys as OSFV's keys.robot sends them: one write each.
import { RigError } from '../core/errors.ts';
import { progress } from '../core/progress.ts';
import { sleep } from '../core/time.ts';
import type { BootBench } from './bench.ts';
import { ARROW_DOWN, pickShellFromDasharoMenu } from './ipxe-entry-dasharo.ts';
import { ENTER, MENU_KEY_GAP_MS } from './ipxe-entry-menu.ts';
import { expectEntryPoint } from './ipxe-entry-point.ts';
import type { BootRecord } from './record.ts';
import { BOOT_MENU_LAST_LINE, downsTo, parseBootMenu } from './uefi-boot-menu.ts';

/** F10 as a VT100 terminal sends it (CONFIG_EDK2_BOOT_MENU_KEY=0x0014, SCAN_F10). */
export const F10 = '\x1b[21~';
/** The boot option Dasharo registers for its iPXE (CONFIG_EDK2_IPXE_OPTION_NAME's default). */
export const IPXE_BOOT_OPTION = 'iPXE Network Boot';

const NO_NETWORK_BOOT =
  'the UEFI variable NetworkBoot is not set: flash with --settings pxe=on (it sets NetworkBoot), or enable Dasharo System Features → Networking Options → Enable network boot';

export async function enterByUefiBootManager(s: BootBench, rec: BootRecord): Promise<void> {
  await expectEntryPoint(s, rec, 'uefi-boot-manager');
  await fromUefiPrompt(s, rec);
}

/** Once "ENTER to boot directly" is on screen: F10, the menu, "iPXE Network Boot", Dasharo's menu, `iPXE>`. */
export async function fromUefiPrompt(s: BootBench, rec: BootRecord): Promise<void> {
  const c = s.console;
  // The menu comes once the boot manager has refreshed its options (devices connected): the
  // firmware stage's time, not a fixed one.
  const within = s.rig.boot.timeoutsMs.firmware;
  await c.send(F10);
  let raw = '';
  try {
    const end = await c.expect(BOOT_MENU_LAST_LINE, { timeout: within, name: 'UEFI boot manager menu' });
    // The selection is drawn after the help lines: its marker is the next ">", or "→" on a
    // UTF-8 terminal (the console matches bytes: its three, as latin1 characters).
    const mark = await c.expect(/>|\xe2\x86\x92/, { timeout: 2_000, name: 'UEFI boot menu selection' });
    raw = end.before + end.text + mark.before + mark.text;
  } catch (e) {
    if (!(e instanceof RigError) || e.code !== 'CONSOLE_TIMEOUT') throw e;
    throw missed(s, `no boot manager menu within ${within / 1000} s of F10 (a key lost, or sent after the 6 s prompt)`);
  }
  rec.firmwareLog += raw;
  const menu = parseBootMenu(raw);
  if (!menu) throw missed(s, 'the boot manager menu could not be read (no title, items or selection)');
  const target = menu.items.findIndex((i) => i.includes(IPXE_BOOT_OPTION));
  if (target < 0)
    throw new RigError(
      `UEFI boot manager menu lists ${menu.items.map((i) => `"${i}"`).join(', ')} but no "${IPXE_BOOT_OPTION}": ${NO_NETWORK_BOOT}`,
      { code: 'UEFI_NO_NETWORK_BOOT', phase: 'firmware', consoleTail: c.tail(20) },
    );
  const downs = downsTo(menu, target);
  for (let i = 0; i < downs; i++) {
    await c.send(ARROW_DOWN);
    await sleep(MENU_KEY_GAP_MS);
  }
  await c.send(ENTER);
  progress.emit('step', `UEFI boot manager: ${IPXE_BOOT_OPTION} (Down ×${downs})`);
  await expectEntryPoint(s, rec, 'dasharo-menu');
  await pickShellFromDasharoMenu(s, rec);
}

function missed(s: BootBench, why: string): RigError {
  return new RigError(`UEFI boot manager: ${why}; last lines:\n${s.console.tail(10)}`, {
    code: 'UEFI_BOOT_MENU_MISSED',
    phase: 'firmware',
    consoleTail: s.console.tail(20),
  });
}
