// Every received byte goes to the transcript file, synchronously: once write() returns the bytes
// are in the kernel, so a crash, a timeout or a kill -9 of this process loses none of them. At
// serial rates (~11.5 KB/s) the syscall per chunk costs nothing.
// A secret the board prints (a login echo, a kernel command line) is masked as "***": every other
// byte is kept as it came. Only the end of a chunk that could be the start of a secret waits for
// the next chunk (or the close), so even a kill -9 loses at most those few bytes.
import { closeSync, constants, fsyncSync, lstatSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { StreamRedactor } from '../core/redact.ts';

/** How iommu-lab's own lines in a transcript begin (test start and end markers). */
export const MARK = '### iommu-lab';

export class Transcript {
  private fd: number | undefined;
  /** Bytes of console data written (the header line excluded). */
  bytes = 0;
  /** Newlines written so far: the line being written is lines + 1 (the header is line 1). */
  private lines = 0;
  private atLineStart = true;

  /** Opens (truncates) the file and writes one header line naming the console. */
  constructor(
    readonly path: string,
    description: string,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    // A link planted at the name is replaced, never written through (#24 N18): O_NOFOLLOW makes
    // one planted between the unlink and the open an error instead.
    if (lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) unlinkSync(path);
    this.fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
    writeSync(this.fd, `# iommu-lab console transcript: ${description}, opened ${new Date().toISOString()}\n`);
    this.lines = 1;
  }

  private readonly redactor = new StreamRedactor();

  write(chunk: Buffer): void {
    if (this.fd === undefined) return;
    // latin1 maps each byte to one character and back: line noise (0xff, …) survives unchanged.
    this.writeRaw(Buffer.from(this.redactor.push(chunk.toString('latin1')), 'latin1'));
    this.bytes += chunk.length;
  }

  private writeRaw(data: Buffer): void {
    if (this.fd === undefined || data.length === 0) return;
    let done = 0;
    while (done < data.length) done += writeSync(this.fd, data, done, data.length - done);
    for (let i = data.indexOf(0x0a); i >= 0; i = data.indexOf(0x0a, i + 1)) this.lines++;
    this.atLineStart = data[data.length - 1] === 0x0a;
  }

  /**
   * One marker line from iommu-lab itself ("### iommu-lab <text>"), on a line of its own: a
   * partial board line is ended first. Returns the marker's line number (1 = the header), or
   * undefined once closed. The bytes held back for masking go out first, so the order is kept.
   */
  mark(text: string): number | undefined {
    if (this.fd === undefined) return undefined;
    try {
      this.writeRaw(Buffer.from(this.redactor.flush(), 'latin1'));
      // Mid-line, the newline that ends the board's partial line is ours, not the board's: the
      // marker says so ("+"), so transcriptBody() gives back the board's bytes exactly.
      const own = this.atLineStart ? '' : '\n';
      const line = this.lines + (own ? 2 : 1);
      this.writeRaw(Buffer.from(`${own}${MARK}${own ? '+' : ''} ${text.replace(/[\r\n]+/g, ' ')}\n`, 'utf8'));
      return line;
    } catch {
      // A full disk is reported by the console's own write; a marker is not worth failing a test.
      return undefined;
    }
  }

  /**
   * Flushes to disk and closes; safe to call twice. Never throws: a disk that filled up was
   * already reported by the write that failed, and closing must still release the file.
   */
  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    try {
      this.writeRaw(Buffer.from(this.redactor.flush(), 'latin1'));
      fsyncSync(fd);
    } catch {
      // Reported where it happened (console/open.ts); nothing more can be kept.
    } finally {
      this.fd = undefined;
      closeSync(fd);
    }
  }
}

/** iommu-lab's marker lines, with the newline a mid-line marker added before itself. */
const MARKERS = /\n### iommu-lab\+ [^\n]*\n|(?<=^|\n)### iommu-lab [^\n]*\n/g;

/** The console bytes of a transcript file, as the board sent them: no header line, no markers. */
export function transcriptBody(file: Buffer): Buffer {
  const body = file.subarray(file.indexOf(0x0a) + 1);
  if (!body.includes(MARK)) return body;
  return Buffer.from(body.toString('latin1').replace(MARKERS, ''), 'latin1');
}
