// Dasharo coreboot+UEFI v0.9.1 on a TCP console as its source says it behaves (docs/real-bench.md),
// strict where the firmware is: no sign-on (coreboot at log level 1), edk2's three prompt lines
// for `promptMs` (6 s: CONFIG_EDK2_BOOT_TIMEOUT), keys sent before the prompt are lost (nothing
// reads the console yet), only the hotkeys F10, DEL and Enter count at the prompt, which ends in
// the default boot. F10 (ESC [ 2 1 ~, one write) opens
// BootManagerMenuApp's popup, drawn as TerminalDxe draws it: cursor moves, colours, "|-/\" frame,
// the selection marked ">" and drawn after the help lines, first item selected, Down/Up wrapping.
// "iPXE Network Boot" is listed only when NetworkBoot is set (PlatformBootManager.c); Enter on it
// starts EFI iPXE with dasharo.ipxe, whose menu is DasharoMenu's (dasharo-menu-fake.ts).
import type { Socket } from 'node:net';
import { DasharoMenu } from './dasharo-menu-fake.ts';
import { firmwareFetch, grubFetches } from './uefi-grub-fake.ts';

export const UEFI_PROMPT_LINES =
  'DEL   to enter Setup\r\nF10   to enter Boot Manager Menu\r\nENTER to boot directly\r\n';
const F10 = '\x1b[21~';
const HELP = ['^ and v to move selection', 'ENTER to select boot device', 'ESC to exit'];
const IPXE_START =
  '\x1b[0m\x1b[2JiPXE initialising devices...ok\r\n\r\n\r\niPXE 1.21.1+ (g9ba5f) -- Open Source Network Boot Firmware\r\n';
const TOP = 6;
const LEFT = 20;
const WIDTH = 40;

type UefiStage = 'post' | 'prompt' | 'boot-menu' | 'ipxe' | 'default-boot' | 'setup' | 'other-option';

export class UefiBootManager extends DasharoMenu {
  uefiStage: UefiStage = 'post';
  /** The UEFI variable NetworkBoot (flash --settings pxe=on). */
  networkBoot = true;
  /** Boot options before Dasharo's (disks, found by the boot manager). */
  disks: string[] = [];
  /** Keys that reached the board before it read its console. */
  lost: string[] = [];
  selected = 0;
  promptMs = 6_000;
  /** How long POST takes before the prompt (seconds on an apu2). */
  postMs = 300;
  /** Draw "→" as UTF-8 (a VT-UTF8 terminal) instead of ">". */
  utf8 = false;
  /** What `chain` named in the iPXE shell, and every URL fetched after it (EFI iPXE, then GRUB). */
  chained?: string;
  fetched: string[] = [];
  private line = '';
  private timer?: NodeJS.Timeout;

  /** The boot options listed: disks, the UEFI Shell, then iPXE (added last: MAX_UINTN). */
  get items(): string[] {
    return [...this.disks, 'UEFI Shell', ...(this.networkBoot ? ['iPXE Network Boot'] : [])];
  }

  protected override poll(s: Socket, seg: string): void {
    if (this.uefiStage === 'ipxe' && this.stage === 'shell') this.shell(s, seg);
    else if (this.uefiStage === 'ipxe') super.poll(s, seg);
    else this.uefi(s, seg);
  }

  /**
   * EFI iPXE's shell: each key echoed, Ctrl-U clears the line (src/hci/editstring.c, the same
   * editor as BIOS iPXE's); `dhcp net0`; `chain` fetches an EFI image and runs it (GRUB:
   * uefi-grub-fake.ts).
   */
  private shell(s: Socket, text: string): void {
    for (const ch of text) {
      if (ch === '\x15') {
        const n = this.line.length;
        s.write('\b'.repeat(n) + ' '.repeat(n) + '\b'.repeat(n));
        this.line = '';
        continue;
      }
      if (ch !== '\n') {
        this.line += ch;
        s.write(ch);
        continue;
      }
      const cmd = this.line;
      this.line = '';
      s.write('\r\n');
      if (cmd === 'dhcp net0') s.write('Configuring (net0 00:0d:b9:00:00:01)...... ok\r\niPXE> ');
      if (!cmd.startsWith('chain ')) continue;
      this.chained = cmd.slice(6);
      void firmwareFetch(this.chained)
        .then(async (image) => {
          this.fetched.push(this.chained!);
          s.write(`${this.chained}... ok\r\n`);
          for (const url of await grubFetches(image)) this.fetched.push(url);
          s.write('Xen 4.17.6-pre\r\n(XEN) Xen version 4.17.6 (Debian 4.17.6+2-0+deb12u1)\r\n');
        })
        .catch((e: Error) => s.write(`${this.chained}... ${e.message}\r\niPXE> `));
    }
  }

  private uefi(s: Socket, seg: string): void {
    this.segments.push(seg);
    if (this.uefiStage === 'post') this.lost.push(seg);
    else if (this.uefiStage === 'prompt') {
      // Only hotkeys end BdsWait (F10, DEL, Enter registered by PlatformBootManager.c); any
      // other key is read and dropped while the countdown goes on (BdsEntry.c BdsWait).
      if (![F10, '\x1b[3~', '\r'].includes(seg)) return;
      clearTimeout(this.timer);
      if (seg === F10) this.drawMenu(s);
      else if (seg === '\x1b[3~') this.uefiStage = 'setup';
      else this.defaultBoot(s);
    } else if (this.uefiStage === 'boot-menu') {
      const n = this.items.length;
      if (seg === '\x1b[B') this.select(s, (this.selected + 1) % n);
      else if (seg === '\x1b[A') this.select(s, (this.selected - 1 + n) % n);
      else if (seg === '\r') this.run(s);
    }
  }

  /** POST (silent: coreboot at log level 1), then the prompt; then the boot order runs unless a key came. */
  protected override onConnect(s: Socket): void {
    this.timer = setTimeout(() => {
      this.uefiStage = 'prompt';
      s.write(UEFI_PROMPT_LINES);
      this.timer = setTimeout(() => this.defaultBoot(s), this.promptMs);
    }, this.postMs);
  }

  private defaultBoot(s: Socket): void {
    this.uefiStage = 'default-boot';
    s.write('\x1b[2J\x1b[1;1HBooting the first boot option\r\n');
  }

  private at(row: number, col: number, text: string): string {
    return `\x1b[${row + 1};${col + 1}H${text}`;
  }

  private drawMenu(s: Socket): void {
    this.uefiStage = 'boot-menu';
    const bar = '-'.repeat(WIDTH - 2);
    const centred = (t: string) => LEFT + Math.floor((WIDTH - t.length) / 2);
    let out = '\x1b[0m\x1b[37m\x1b[44m\x1b[2J';
    out += this.at(TOP, LEFT, `/${bar}\\`);
    out += this.at(TOP + 1, LEFT, `|${' '.repeat(WIDTH - 2)}|`);
    out += this.at(TOP + 2, LEFT, `|${bar}|`);
    this.items.forEach((_, i) => {
      out += this.at(TOP + 3 + i, LEFT, `|${' '.repeat(WIDTH - 2)}|`);
    });
    const foot = TOP + 3 + this.items.length;
    out += this.at(foot, LEFT, `|${bar}|`);
    HELP.forEach((_, i) => {
      out += this.at(foot + 1 + i, LEFT, `|${' '.repeat(WIDTH - 2)}|`);
    });
    out += this.at(foot + 1 + HELP.length, LEFT, `\\${bar}/`);
    out += this.at(TOP + 1, centred('Please select boot device:'), 'Please select boot device:');
    this.items.forEach((item, i) => {
      out += this.at(TOP + 3 + i, LEFT + 1, '  ') + this.at(TOP + 3 + i, LEFT + 3, item);
    });
    HELP.forEach((h, i) => {
      out += this.at(foot + 1 + i, centred(h), h);
    });
    s.write(out);
    this.selected = 0;
    this.select(s, 0, true);
  }

  private select(s: Socket, want: number, first = false): void {
    const arrow = this.utf8 ? '→' : '>';
    let out = '';
    if (!first)
      out += `\x1b[37m\x1b[44m${this.at(TOP + 3 + this.selected, LEFT + 1, '  ')}${this.at(TOP + 3 + this.selected, LEFT + 3, this.items[this.selected]!)}`;
    out += `\x1b[1m\x1b[33m\x1b[44m${this.at(TOP + 3 + want, LEFT + 1, arrow)}${this.at(TOP + 3 + want, LEFT + 3, this.items[want]!)}\x1b[0m`;
    this.selected = want;
    s.write(out);
  }

  private run(s: Socket): void {
    if (this.items[this.selected] === 'iPXE Network Boot') {
      this.uefiStage = 'ipxe';
      this.openMenu(s, IPXE_START);
      return;
    }
    this.uefiStage = 'other-option';
    s.write('\x1b[0m\x1b[2J');
  }

  override stop(): Promise<void> {
    clearTimeout(this.timer);
    return super.stop();
  }
}
