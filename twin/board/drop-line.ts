// Drops one line the twin's stand-in prints and the real part never does. Dasharo's EFI iPXE runs
// its embedded dasharo.ipxe and, having an image to run, never offers Ctrl-B (ipxe/ipxe
// src/usr/autoboot.c ipxe(): the shell banner only without an image). The twin's stand-in is
// Debian's EFI iPXE ROM, fetching the script by DHCP, which does print "Press Ctrl-B for the iPXE
// command line...": the twin removes that line from the serial output (docs/twin.md).
// Serial output comes in arbitrary chunks, so a tail that could begin the line is held back, and
// let go after FLUSH_MS when nothing follows.

const FLUSH_MS = 150;

export class LineDropper {
  private pending = '';
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly line: string,
    private readonly emit: (b: Buffer) => void,
  ) {}

  push(chunk: Buffer): void {
    clearTimeout(this.timer);
    const text = (this.pending + chunk.toString('latin1')).split(this.line).join('');
    const keep = this.prefixTail(text);
    this.pending = text.slice(text.length - keep);
    const out = text.slice(0, text.length - keep);
    if (out) this.emit(Buffer.from(out, 'latin1'));
    if (this.pending) this.timer = setTimeout(() => this.flush(), FLUSH_MS);
  }

  flush(): void {
    clearTimeout(this.timer);
    if (this.pending) this.emit(Buffer.from(this.pending, 'latin1'));
    this.pending = '';
  }

  /** The length of the longest end of `text` that is a start of the dropped line. */
  private prefixTail(text: string): number {
    for (let k = Math.min(this.line.length - 1, text.length); k > 0; k--)
      if (this.line.startsWith(text.slice(text.length - k))) return k;
    return 0;
  }
}

/** What Debian's iPXE prints before its 2 s Ctrl-B wait (src/usr/autoboot.c shell_banner). */
export const IPXE_CTRL_B_LINE = 'Press Ctrl-B for the iPXE command line...';
