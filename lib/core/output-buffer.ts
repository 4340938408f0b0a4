// Collects a command's stdout/stderr. A runaway command (a `dmesg -w`, a `cat` of a device)
// must not eat the test host's memory, so only the last `limit` bytes are kept.

export const OUTPUT_LIMIT = 32 * 1024 * 1024;

export class OutputBuffer {
  private chunks: Buffer[] = [];
  private kept = 0;
  private dropped = 0;

  constructor(private readonly limit = OUTPUT_LIMIT) {}

  push(chunk: Buffer | string): void {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.chunks.push(b);
    this.kept += b.length;
    while (this.kept > this.limit) {
      const over = this.kept - this.limit;
      const first = this.chunks[0]!;
      if (first.length <= over) this.chunks.shift();
      else this.chunks[0] = first.subarray(over);
      const cut = Math.min(first.length, over);
      this.kept -= cut;
      this.dropped += cut;
    }
  }

  toString(): string {
    const text = Buffer.concat(this.chunks).toString('utf8');
    return this.dropped > 0 ? `[... ${this.dropped} bytes of earlier output dropped]\n${text}` : text;
  }
}
