// What Dasharo (coreboot+UEFI)'s edk2 shows on the serial console before it boots, as the twin
// draws it (Debian's OVMF prints none of it): the boot prompt for 6 s, F10's boot menu, and the
// choice of boot option. The board decides the choice before QEMU starts, because the NIC's EFI
// iPXE ROM is fixed when the machine is built (as the SeaBIOS flavours' "N for PXE boot").
//
// Sources (docs/real-bench.md, docs/twin.md "Dasharo UEFI on the twin"):
// - prompt: Dasharo/edk2 DasharoPayloadPkg/Library/PlatformBootManagerLib/PlatformBootManager.c
//   @ 9c5dd7ba: `Print (L"%-5s to enter Setup\n", SetupMenuKey)`, `"%-5s to enter Boot Manager
//   Menu\n"`, `"ENTER to boot directly\n"`; keys CONFIG_EDK2_SETUP_MENU_KEY=0x0008 (DEL) and
//   CONFIG_EDK2_BOOT_MENU_KEY=0x0014 (F10), CONFIG_EDK2_BOOT_TIMEOUT=6 (Dasharo/coreboot
//   configs/config.pcengines_uefi_apu2 @ pcengines_apu2_v0.9.1-rc1);
// - menu: MdeModulePkg/Application/BootManagerMenuApp/BootManagerMenuStrings.uni @ 9c5dd7ba
//   ("Please select boot device:", "ENTER to select boot device", "ESC to exit");
// - entries: "iPXE Network Boot" registered only when NetworkBoot is true, then "UEFI Shell"
//   (PlatformBootManager.c, the same function); keys over serial as OSFV sends them (keys.robot:
//   F10 = ESC [ 2 1 ~, DEL = ESC [ 3 ~, Down = ESC [ B).

export const EDK2_PROMPT_MS = 6000;
export const IPXE_ENTRY = 'iPXE Network Boot';
export const SHELL_ENTRY = 'UEFI Shell';
export const EDK2_PROMPT = 'DEL   to enter Setup\r\nF10   to enter Boot Manager Menu\r\nENTER to boot directly\r\n';
/** How long a lone ESC waits for the rest of a sequence (a real terminal driver waits too). */
export const ESC_WAIT_MS = 300;

export type Edk2Key = 'f10' | 'del' | 'up' | 'down' | 'enter' | 'esc';
export type BootChoice = 'ipxe' | 'shell';

/** The boot options on a diskless apu2, in Dasharo's registration order. */
export function bootEntries(networkBoot: boolean): string[] {
  return networkBoot ? [IPXE_ENTRY, SHELL_ENTRY] : [SHELL_ENTRY];
}

export function choiceOf(entry: string): BootChoice {
  return entry === IPXE_ENTRY ? 'ipxe' : 'shell';
}

/** Where the twin's menu sits on the 80×25 screen (edk2 centres a framed popup; no frame here). */
const MENU_TOP = 6;
const MENU_COL = 20;
const at = (row: number, text: string) => `\x1b[${row};${MENU_COL}H${text}`;

/**
 * The boot manager menu as edk2's BootManagerMenuApp draws it over a serial terminal: the screen
 * cleared, every string placed with a cursor move (TerminalDxe), the title, the items, the help
 * lines, and the selected item drawn last, after the help, marked "→" — which TerminalDxe sends
 * as ">" (Dasharo/edk2 BootManagerMenu.c DrawBootPopupMenu/BootMenuSelectItem, TerminalConOut.c,
 * at 9c5dd7ba). No frame around it (docs/twin.md).
 */
export function renderMenu(entries: string[], selected: number): string {
  const help = ['^ and v to move selection', 'ENTER to select boot device', 'ESC to exit'];
  const itemRow = (i: number) => MENU_TOP + 2 + i;
  return [
    '\x1b[2J',
    at(MENU_TOP, 'Please select boot device:'),
    ...entries.map((e, i) => at(itemRow(i), `  ${e}`)),
    ...help.map((h, i) => at(itemRow(entries.length) + 1 + i, h)),
    at(itemRow(selected), `> ${entries[selected]}`),
  ].join('');
}

const SEQUENCES: Record<string, Edk2Key> = { '[21~': 'f10', '[3~': 'del', '[A': 'up', '[B': 'down' };

/**
 * Serial bytes to keys. A run types a sequence one byte at a time (30 ms apart on the twin), so
 * the decoder keeps state across chunks; a lone ESC becomes 'esc' once ESC_WAIT_MS pass without
 * the rest. Unknown sequences and other bytes are dropped, as edk2 drops keys it has no use for.
 */
export class KeyDecoder {
  private pending: string | undefined;
  private timer?: NodeJS.Timeout;

  constructor(private readonly onKey: (k: Edk2Key) => void) {}

  feed(data: Buffer): void {
    for (const ch of data.toString('latin1')) this.byte(ch);
  }

  close(): void {
    clearTimeout(this.timer);
  }

  private byte(ch: string): void {
    if (this.pending === undefined) {
      if (ch === '\x1b') this.startEsc();
      else if (ch === '\r' || ch === '\n') this.onKey('enter');
      return;
    }
    if (ch === '\x1b') {
      this.flushEsc();
      this.startEsc();
      return;
    }
    this.pending += ch;
    const key = SEQUENCES[this.pending];
    if (key) this.emit(key);
    else if (this.pending.length === 1 && ch !== '[') this.flushEsc();
    else if (this.pending.length > 1 && /[~A-Za-z]$/.test(this.pending)) this.drop();
  }

  private startEsc(): void {
    this.pending = '';
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flushEsc(), ESC_WAIT_MS);
    this.timer.unref();
  }

  private emit(k: Edk2Key): void {
    this.drop();
    this.onKey(k);
  }

  private flushEsc(): void {
    this.drop();
    this.onKey('esc');
  }

  private drop(): void {
    clearTimeout(this.timer);
    this.pending = undefined;
  }
}

/**
 * The prompt and the menu as a state machine: keys in, screen text out, and at the end the boot
 * option chosen. ENTER, the timeout, DEL (setup is not emulated) and ESC from the menu boot the
 * first option, as edk2 boots BootOrder when no key or no choice is made.
 */
export class Edk2Front {
  private menu: number | undefined;
  private finished = false;

  constructor(
    private readonly entries: string[],
    private readonly out: (text: string) => void,
    private readonly done: (c: BootChoice, why: string) => void,
  ) {}

  start(): void {
    this.out(EDK2_PROMPT);
  }

  timeout(): void {
    if (this.menu === undefined) this.finish(this.entries[0]!, 'prompt timed out');
  }

  get inMenu(): boolean {
    return this.menu !== undefined;
  }

  key(k: Edk2Key): void {
    if (this.finished) return;
    if (this.menu === undefined) {
      if (k === 'f10') {
        this.menu = 0;
        this.out(renderMenu(this.entries, 0));
      } else if (k === 'enter') this.finish(this.entries[0]!, 'ENTER');
      else if (k === 'del') {
        this.out('\r\n(the twin does not emulate the setup menu: booting directly)\r\n');
        this.finish(this.entries[0]!, 'DEL (no setup on the twin)');
      }
      return;
    }
    if (k === 'up' || k === 'down') {
      // Down past the last item wraps to the first, Up past the first to the last (BootManagerMenu.c).
      const n = this.entries.length;
      const next = (this.menu + (k === 'down' ? 1 : n - 1)) % n;
      if (next !== this.menu) {
        this.menu = next;
        this.out(renderMenu(this.entries, next));
      }
    } else if (k === 'enter') this.finish(this.entries[this.menu]!, 'selected in the boot menu');
    else if (k === 'esc') this.finish(this.entries[0]!, 'ESC left the boot menu');
  }

  private finish(entry: string, why: string): void {
    this.finished = true;
    this.done(choiceOf(entry), `${entry}: ${why}`);
  }
}
