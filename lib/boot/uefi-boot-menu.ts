// The UEFI boot manager menu of Dasharo coreboot+UEFI as its serial console shows it. edk2's
// BootManagerMenuApp (Dasharo/edk2 MdeModulePkg/Application/BootManagerMenuApp, at 9c5dd7ba)
// draws a framed popup: the title "Please select boot device:", one row per active, visible boot
// option, then "↑ and ↓ to move selection" / "ENTER to select boot device" / "ESC to exit"; the
// selected item is drawn last, marked "→". On serial TerminalDxe turns the frame into | - / \,
// "→" into ">" and the arrows into "^" and "v" (TerminalConOut.c); OSFV reads the same shape
// (lib/bios/menus.robot "Get Boot Menu Construction"). Selection starts on the first item and
// Down/Up wrap around at the ends (BootManagerMenu.c BootManagerMenuEntry).
import { screenRows } from './uefi-screen.ts';

export const BOOT_MENU_TITLE = 'Please select boot device:';
/** The help line drawn after the items (the arrows differ between ASCII and UTF-8 terminals). */
export const BOOT_MENU_HELP = /to move selection/;
/** The last help line; only the selection is drawn after it. */
export const BOOT_MENU_LAST_LINE = /ESC to exit/;
/** The selection marker: "→", ">" on an ASCII terminal. */
export const SELECTED = /^[>→]\s*/;

export interface BootMenu {
  items: string[];
  /** Index of the highlighted item. */
  selected: number;
}

/**
 * Frame characters as each terminal type sends them: ASCII `| - / \ +` (VT100), box drawing
 * (VT-UTF8), or PC-ANSI's code-page bytes, which arrive as invalid UTF-8 (U+FFFD).
 */
const FRAME = '|\\-/+\u2500-\u257f\ufffd';
const SIDE = new RegExp(`^[${FRAME}]|[${FRAME}]$`, 'g');
const FRAME_ROW = new RegExp(`^[${FRAME}\\s]+$`);

/** A row without the popup's side bars. */
function inside(row: string): string {
  return row.trim().replace(SIDE, '').trim();
}

/** The menu drawn in `raw` (console text from before F10 to the selection), or undefined when it is not whole. */
export function parseBootMenu(raw: string): BootMenu | undefined {
  const rows = screenRows(raw);
  const top = rows.findIndex((r) => r.includes(BOOT_MENU_TITLE));
  const help = rows.findIndex((r, i) => i > top && BOOT_MENU_HELP.test(r));
  if (top < 0 || help < 0) return undefined;
  const items: string[] = [];
  let selected = -1;
  for (const row of rows.slice(top + 1, help)) {
    const text = inside(row);
    // Frame rows (|-----|) and blank padding rows hold no item.
    if (text === '' || FRAME_ROW.test(text)) continue;
    if (SELECTED.test(text)) selected = items.length;
    items.push(text.replace(SELECTED, '').trim());
  }
  if (items.length === 0 || selected < 0) return undefined;
  return { items, selected };
}

/** Down presses from the selection to `index` (Down wraps from the last item to the first). */
export function downsTo(menu: BootMenu, index: number): number {
  return (index - menu.selected + menu.items.length) % menu.items.length;
}
