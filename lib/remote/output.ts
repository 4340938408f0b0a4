// Collects a command's stdout/stderr. A runaway command (a `dmesg -w`, a `cat` of a device)
// must not eat the test host's memory, so only the last `limit` bytes are kept.

const OUTPUT_LIMIT = 32 * 1024 * 1024;

export class OutputBuffer {
  private chunks: Buffer[] = [];
  private kept = 0;
  private dropped = 0;

  constructor(private readonly limit = OUTPUT_LIMIT) {}

  push(chunk: Buffer | string): void {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.chunks.push(b);
    this.kept += b.length;
    while (this.kept > this.limit && this.chunks.length > 1) {
      const old = this.chunks.shift()!;
      this.kept -= old.length;
      this.dropped += old.length;
    }
  }

  toString(): string {
    const text = Buffer.concat(this.chunks).toString('utf8');
    return this.dropped > 0 ? `[... ${this.dropped} bytes of earlier output dropped]\n${text}` : text;
  }
}
