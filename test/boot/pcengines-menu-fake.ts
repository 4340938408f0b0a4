// PC Engines' firmware on a TCP console as the apu2 shows it, from the relay to the iPXE shell:
// the sign-on, "N for PXE boot", then (on 'n') the iPXE menu recorded from the twin
// (test/fixtures/boot/pcengines-ipxe-menu.bin: SeaBIOS's sercon drawing pcengines/coreboot's
// menu.ipxe). Keys arrive as SeaBIOS's sercon reads them: what one TCP segment brings is one poll,
// so an ESC with nothing after it in the same segment is a bare ESC — which cancels `choose`, ends
// the script, and returns to SeaBIOS ("No bootable device" on a board without disks).
import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';

const MENU = readFileSync(new URL('../fixtures/boot/pcengines-ipxe-menu.bin', import.meta.url));
const SIGN_ON =
  'PC Engines apu2\r\ncoreboot build 20251125\r\nBIOS version v4.19.0.1\r\n\r\nPress F10 key now for boot menu, N for PXE boot\r\n';
const LEFT_IPXE =
  '\x1b[0m\x1b[2JBooting from Hard Disk...\r\nBoot failed: could not read the boot disk\r\n\r\nNo bootable device.\r\n';

type Stage = 'prompt' | 'menu' | 'shell' | 'gone';

export class PcEnginesMenu {
  /** Each TCP segment the board received, as sercon would poll it. */
  readonly segments: string[] = [];
  stage: Stage = 'prompt';
  selected: 'shell' | 'boot' = 'boot';
  /** Drop this many arrow keys (a lossy console link). */
  loseArrows = 0;
  port = 0;
  private server!: Server;
  private readonly sockets = new Set<Socket>();

  async start(): Promise<void> {
    this.server = createServer((s) => {
      this.sockets.add(s);
      s.setNoDelay(true);
      s.on('error', () => {});
      s.on('data', (d) => this.poll(s, d.toString('latin1')));
      setTimeout(() => s.write(SIGN_ON), 20);
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  private poll(s: Socket, seg: string): void {
    this.segments.push(seg);
    if (this.loseArrows > 0 && seg.startsWith('\x1b[')) {
      this.loseArrows--;
      return;
    }
    if (this.stage === 'prompt' && /n/i.test(seg)) {
      this.stage = 'menu';
      s.write(Buffer.concat([Buffer.from('Booting from ROM...\r\n'), MENU]));
      return;
    }
    if (this.stage !== 'menu') return;
    if (seg === '\x1b') {
      this.leave(s);
      return;
    }
    if (seg.startsWith('\x1b[A')) this.selected = 'shell';
    else if (seg.startsWith('\x1b[B')) this.selected = 'boot';
    if (!seg.includes('\r')) return;
    if (this.selected === 'shell') {
      this.stage = 'shell';
      s.write('\x1b[0m\x1b[2JiPXE> ');
    } else
      s.write('\x1b[0m\x1b[2JConfiguring (net0 00:0d:b9:00:00:01)...... ok\r\nNo filename or root path specified\r\n');
  }

  private leave(s: Socket): void {
    this.stage = 'gone';
    s.write(LEFT_IPXE);
  }

  stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((r) => this.server.close(() => r()));
  }
}
