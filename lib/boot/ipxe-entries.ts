// The ways into an iPXE shell, by the rig's boot.network.entry. A new firmware's way in is one
// more file and one more row here. `auto` takes whichever way the console shows (PC Engines' menu,
// Dasharo's menu, the UEFI prompt, Ctrl-B): one rig for every flavour. Each says which iPXE it
// reached: an EFI one cannot load Xen as multiboot, so the board then chains GRUB (lib/pxe/efi-boot.ts).
import type { BootBench } from './bench.ts';
import { afterCtrlBLine, enterByCtrlB } from './ipxe-entry-ctrl-b.ts';
import { enterByDasharoMenu, pickShellFromDasharoMenu } from './ipxe-entry-dasharo.ts';
import { enterByMenu, pickShellFromMenu } from './ipxe-entry-menu.ts';
import { expectEntryPoint, type IpxeEntry, type OfferedEntry } from './ipxe-entry-point.ts';
import { enterByUefiBootManager, fromUefiPrompt } from './ipxe-entry-uefi.ts';
import type { BootRecord } from './record.ts';

export type { IpxeEntry } from './ipxe-entry-point.ts';

/** The iPXE reached: a BIOS build (multiboot) or an EFI one (no multiboot). */
export type IpxePlatform = 'pcbios' | 'efi';
type Way = (s: BootBench, rec: BootRecord) => Promise<void>;
type Entry = (s: BootBench, rec: BootRecord) => Promise<IpxePlatform>;

const PLATFORM: Record<OfferedEntry, IpxePlatform> = {
  menu: 'pcbios',
  'dasharo-menu': 'pcbios',
  'uefi-boot-manager': 'efi',
  'ctrl-b': 'pcbios',
};

/** What each way in does once the console has shown it. */
const ONCE_SEEN: Record<OfferedEntry, Way> = {
  menu: pickShellFromMenu,
  'dasharo-menu': pickShellFromDasharoMenu,
  'uefi-boot-manager': fromUefiPrompt,
  'ctrl-b': afterCtrlBLine,
};

export async function enterByWhatIsOffered(s: BootBench, rec: BootRecord): Promise<IpxePlatform> {
  const offered = await expectEntryPoint(s, rec, 'auto');
  await ONCE_SEEN[offered](s, rec);
  return PLATFORM[offered];
}

const named =
  (way: Way, offered: OfferedEntry): Entry =>
  async (s, rec) => {
    await way(s, rec);
    return PLATFORM[offered];
  };

export const IPXE_ENTRIES: Record<IpxeEntry, Entry> = {
  menu: named(enterByMenu, 'menu'),
  'dasharo-menu': named(enterByDasharoMenu, 'dasharo-menu'),
  'uefi-boot-manager': named(enterByUefiBootManager, 'uefi-boot-manager'),
  'ctrl-b': named(enterByCtrlB, 'ctrl-b'),
  auto: enterByWhatIsOffered,
};
