// The ways into an iPXE shell, by the rig's boot.network.entry. A new firmware's way in (a
// UEFI boot manager) is one more file and one more row here. `auto` takes whichever way the
// console shows (PC Engines' menu, Dasharo's menu, Ctrl-B): one rig for every SeaBIOS flavour.
import type { BootBench } from './bench.ts';
import { afterCtrlBLine, enterByCtrlB } from './ipxe-entry-ctrl-b.ts';
import { enterByDasharoMenu, pickShellFromDasharoMenu } from './ipxe-entry-dasharo.ts';
import { enterByMenu, pickShellFromMenu } from './ipxe-entry-menu.ts';
import { expectEntryPoint, type IpxeEntry, type OfferedEntry } from './ipxe-entry-point.ts';
import type { BootRecord } from './record.ts';

export type { IpxeEntry } from './ipxe-entry-point.ts';

type Entry = (s: BootBench, rec: BootRecord) => Promise<void>;

/** What each way in does once the console has shown it. */
const ONCE_SEEN: Record<OfferedEntry, Entry> = {
  menu: pickShellFromMenu,
  'dasharo-menu': pickShellFromDasharoMenu,
  'ctrl-b': afterCtrlBLine,
};

export async function enterByWhatIsOffered(s: BootBench, rec: BootRecord): Promise<void> {
  const offered = await expectEntryPoint(s, rec, 'auto');
  await ONCE_SEEN[offered](s, rec);
}

export const IPXE_ENTRIES: Record<IpxeEntry, Entry> = {
  menu: enterByMenu,
  'dasharo-menu': enterByDasharoMenu,
  'ctrl-b': enterByCtrlB,
  auto: enterByWhatIsOffered,
};
