// The twin's raw TCP serial port as a person at a terminal uses it: everything read kept as
// text, waits on a pattern from a point in that text, keys typed (slowly, as iPXE needs).
import { connect, type Socket } from 'node:net';
import { sleep } from '../../lib/core/time.ts';
import { twinPorts } from '../base/paths.ts';

export class SerialClient {
  text = '';
  readonly opened = Date.now();
  private constructor(private readonly sock: Socket) {
    sock.on('data', (d: Buffer) => {
      this.text += d.toString('latin1');
    });
    sock.on('error', () => {});
  }

  static async open(port = twinPorts.serial): Promise<SerialClient> {
    const sock = connect(port, '127.0.0.1');
    await new Promise((r, j) => sock.once('connect', r).once('error', j));
    return new SerialClient(sock);
  }

  /** Where a match of `pattern` ends in the text read, searching from `from`; -1 if none yet. */
  find(pattern: RegExp | string, from = 0): number {
    const rest = this.text.slice(from);
    if (typeof pattern === 'string') {
      const i = rest.indexOf(pattern);
      return i < 0 ? -1 : from + i + pattern.length;
    }
    const m = new RegExp(pattern.source, pattern.flags.replace('g', '')).exec(rest);
    return m ? from + m.index + m[0].length : -1;
  }

  /** Waits for a pattern after `from`; returns ms since `since` and where the match ends. */
  async waitFor(pattern: RegExp | string, timeoutMs: number, since = this.opened, from = 0): Promise<number> {
    return (await this.waitForAt(pattern, timeoutMs, since, from)).ms;
  }

  async waitForAt(
    pattern: RegExp | string,
    timeoutMs: number,
    since = this.opened,
    from = 0,
  ): Promise<{ ms: number; end: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.find(pattern, from);
      if (end >= 0) return { ms: Date.now() - since, end };
      if (Date.now() > deadline)
        throw new Error(`no ${pattern} on the console within ${timeoutMs} ms; last:\n${this.text.slice(-1500)}`);
      await sleep(20);
    }
  }

  send(s: string): void {
    this.sock.write(s);
  }

  /** One character at a time, `delayMs` apart: the apu2's iPXE drops fast input. */
  async type(s: string, delayMs: number): Promise<void> {
    for (const ch of s) {
      this.sock.write(ch);
      await sleep(delayMs);
    }
  }

  close(): void {
    this.sock.destroy();
  }
}
