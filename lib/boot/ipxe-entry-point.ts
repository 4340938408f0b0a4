// Where an iPXE build shows which way into its shell it offers: the Ctrl-B line of a plain iPXE,
// or the embedded menu of PC Engines' builds. Both entries wait for either, so a rig that names
// the wrong one fails at once with the fix, not after its timeouts (on a real apu2 the Ctrl-B
// line never comes).
import { RigError } from '../core/errors.ts';
import type { BootBench } from './bench.ts';
import type { BootRecord } from './record.ts';

export type IpxeEntry = 'menu' | 'ctrl-b';

export const IPXE_PROMPT = /iPXE>/;
const CTRL_B_LINE = /Press Ctrl-B for the [^\r\n]*command line/;
/** menu.ipxe's default item, the string 3mdeb's automation waits for. */
const MENU_ITEM = /autoboot/;

const SEEN: Record<IpxeEntry, string> = {
  menu: 'PC Engines iPXE menu ("autoboot")',
  'ctrl-b': 'iPXE Ctrl-B prompt',
};

export async function expectEntryPoint(s: BootBench, rec: BootRecord, want: IpxeEntry): Promise<void> {
  const t = s.rig.boot.timeoutsMs.firmware;
  const either = new RegExp(`${CTRL_B_LINE.source}|${MENU_ITEM.source}`);
  const m = await s.console.expect(either, { timeout: t, name: `${SEEN[want]}`, silenceMs: t });
  rec.firmwareLog += m.before + m.text;
  const offered: IpxeEntry = CTRL_B_LINE.test(m.text) ? 'ctrl-b' : 'menu';
  if (offered === want) return;
  const fix = offered === 'menu' ? "boot.network.entry: 'menu'" : "boot.network.entry: 'ctrl-b'";
  throw new RigError(
    `iPXE offers ${offered === 'menu' ? 'its embedded menu (PC Engines), not Ctrl-B' : 'Ctrl-B, not an embedded menu'}: the rig names entry '${want}'; set ${fix}`,
    { code: 'IPXE_ENTRY_MISMATCH', part: 'rig', phase: 'ipxe', consoleTail: s.console.tail(20) },
  );
}
