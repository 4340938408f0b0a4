// The ways into an iPXE shell, by the rig's boot.network.entry. A new firmware's way in (a
// Dasharo menu, a UEFI boot manager) is one more file and one more row here.
import type { BootBench } from './bench.ts';
import { enterByCtrlB } from './ipxe-entry-ctrl-b.ts';
import { enterByMenu } from './ipxe-entry-menu.ts';
import type { IpxeEntry } from './ipxe-entry-point.ts';
import type { BootRecord } from './record.ts';

export type { IpxeEntry } from './ipxe-entry-point.ts';

export const IPXE_ENTRIES: Record<IpxeEntry, (s: BootBench, rec: BootRecord) => Promise<void>> = {
  menu: enterByMenu,
  'ctrl-b': enterByCtrlB,
};
