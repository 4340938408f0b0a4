// The console's received bytes as latin1 text (one char per byte, so offsets are byte offsets and
// serial line noise never shifts them). Chunks are kept as they came: appending never copies the
// whole buffer (a `+=` string would be flattened by every regex exec: quadratic), and a scan
// materialises only the window it needs.

export class TextStore {
  private chunks: string[] = [];
  /** Absolute offset of each chunk's first byte. */
  private starts: number[] = [];
  /** Absolute offset of the first byte still held. */
  private base = 0;
  /** Absolute offset one past the last byte received. */
  end = 0;
  /** Absolute offset of the last '\n' received (-1 before any). */
  lastNewline = -1;

  append(text: string): void {
    if (text.length === 0) return;
    const nl = text.lastIndexOf('\n');
    if (nl >= 0) this.lastNewline = this.end + nl;
    this.chunks.push(text);
    this.starts.push(this.end);
    this.end += text.length;
  }

  get held(): number {
    return this.base;
  }

  /** Text in [from, to), clamped to what is still held. */
  slice(from: number, to = this.end): string {
    from = Math.max(from, this.base);
    if (to <= from) return '';
    let i = this.indexOf(from);
    const parts: string[] = [];
    for (; i < this.chunks.length && this.starts[i] < to; i++) {
      const c = this.chunks[i];
      const s = this.starts[i];
      parts.push(s >= from && s + c.length <= to ? c : c.slice(Math.max(0, from - s), Math.min(c.length, to - s)));
    }
    return parts.length === 1 ? parts[0] : parts.join('');
  }

  /** Offset just after the last '\n' before `at`, looking back at most `limit` bytes (else at - limit). */
  lineStartBefore(at: number, limit: number): number {
    const floor = Math.max(this.base, at - limit);
    if (at <= floor) return floor;
    if (this.lastNewline < at) return Math.max(this.lastNewline + 1, floor);
    // Walk back chunk by chunk: never join what may be a long line.
    for (let i = this.indexOf(at - 1); i >= 0 && this.starts[i] + this.chunks[i].length > floor; i--) {
      const nl = this.chunks[i].lastIndexOf('\n', at - 1 - this.starts[i]);
      if (nl >= 0) return Math.max(this.starts[i] + nl + 1, floor);
    }
    return floor;
  }

  /** Forget chunks that end before `offset` (consumed and outside the tail we keep). */
  dropBefore(offset: number): void {
    let n = 0;
    while (n < this.chunks.length - 1 && this.starts[n + 1] <= offset) n++;
    if (n === 0) return;
    this.chunks.splice(0, n);
    this.starts.splice(0, n);
    this.base = this.starts[0];
  }

  private indexOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
