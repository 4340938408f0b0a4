// Dasharo (coreboot+SeaBIOS) v24.08.00.01 on a TCP console as an apu2 would show it, from the
// relay to the iPXE shell: its sign-on ("coreboot build 19700101", "BIOS version v24.08.00.01"),
// "N for PXE boot", then (on 'n') Dasharo's dasharo.ipxe menu as the twin drew it
// (test/fixtures/boot/dasharo-ipxe-menu.bin, recorded: see its README). Keys are read as SeaBIOS's sercon reads them
// (see pcengines-menu-fake.ts): a bare ESC ends the script and iPXE returns to SeaBIOS. The menu
// follows iPXE's rules: Down past the last item stays there, Up from the first stays there (gap
// lines are not selectable), Enter runs the item; the countdown ran out is "Autoboot (DHCP)".
import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';

const MENU = readFileSync(new URL('../fixtures/boot/dasharo-ipxe-menu.bin', import.meta.url));
export const DASHARO_SIGN_ON =
  'PC Engines apu2\r\ncoreboot build 19700101\r\nBIOS version v24.08.00.01\r\n4080 MB ECC DRAM\r\n\r\nPress F10 key now for boot menu, N for PXE boot\r\n';
const LEFT_IPXE = '\x1b[0m\x1b[2JBooting from Hard Disk...\r\nNo bootable device.\r\n';
export const ITEMS = ['boot', 'dasharo', 'netbootxyz', 'shell'] as const;

export type Stage = 'prompt' | 'menu' | 'shell' | 'elsewhere' | 'gone';

export class DasharoMenu {
  readonly segments: string[] = [];
  stage: Stage = 'prompt';
  /** Index into ITEMS; the script's --default boot. */
  current = 0;
  /** Drop this many arrow keys (a lossy console link). */
  loseArrows = 0;
  /** What ran after Enter: the item's label. */
  ran?: (typeof ITEMS)[number];
  port = 0;
  private server!: Server;
  private readonly sockets = new Set<Socket>();

  async start(): Promise<void> {
    this.server = createServer((s) => {
      this.sockets.add(s);
      s.setNoDelay(true);
      s.on('error', () => {});
      s.on('data', (d) => this.poll(s, d.toString('latin1')));
      this.onConnect(s);
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Power-on: SeaBIOS's sign-on and prompt. */
  protected onConnect(s: Socket): void {
    setTimeout(() => s.write(DASHARO_SIGN_ON), 20);
  }

  protected poll(s: Socket, seg: string): void {
    this.segments.push(seg);
    if (this.loseArrows > 0 && seg.startsWith('\x1b[')) {
      this.loseArrows--;
      return;
    }
    if (this.stage === 'prompt' && /n/i.test(seg)) {
      this.openMenu(s, 'Booting from ROM...\r\n');
      return;
    }
    if (this.stage !== 'menu') return;
    if (seg === '\x1b') {
      this.stage = 'gone';
      s.write(LEFT_IPXE);
      return;
    }
    if (seg.startsWith('\x1b[B')) this.current = Math.min(this.current + 1, ITEMS.length - 1);
    else if (seg.startsWith('\x1b[A')) this.current = Math.max(this.current - 1, 0);
    if (!seg.includes('\r')) return;
    this.ran = ITEMS[this.current];
    if (this.ran === 'shell') {
      this.stage = 'shell';
      s.write('\x1b[0m\x1b[2JYou are now in iPXE shell. Type "exit" to go back to the main menu.\r\niPXE> ');
    } else {
      this.stage = 'elsewhere';
      s.write('\x1b[0m\x1b[2JConfiguring (net0 00:0d:b9:00:00:01)...... ok\r\n');
    }
  }

  /** iPXE starts and runs dasharo.ipxe: the menu is drawn. */
  protected openMenu(s: Socket, before: string): void {
    this.stage = 'menu';
    s.write(Buffer.concat([Buffer.from(before), MENU]));
  }

  stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((r) => this.server.close(() => r()));
  }
}
