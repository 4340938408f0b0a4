// The Console on top of any transport: the expect engine, the transcript and the Allure steps.
import { step } from '../core/step.ts';
import { sleep } from '../core/time.ts';
import type { ExpectBuffer } from './expect-buffer.ts';
import type { Transcript } from './transcript.ts';
import type { Transport } from './transport.ts';
import type { Console, ExpectMatch, ExpectOptions } from './types.ts';

/** Typing speed that the Xen/dom0 console and iPXE did not drop characters at (docs/twin.md). */
const SLOW_TYPING = { chunk: 8, delayMs: 30 };

export class StreamConsole implements Console {
  private closed = false;

  constructor(
    private readonly transport: Transport,
    private readonly buffer: ExpectBuffer,
    private readonly transcript: Transcript,
  ) {}

  get description(): string {
    return this.transport.description;
  }

  get transcriptPath(): string {
    return this.transcript.path;
  }

  expect(pattern: RegExp | string, opts: ExpectOptions): Promise<ExpectMatch> {
    const params = { pattern: String(pattern), timeoutMs: opts.timeout, silenceMs: opts.silenceMs };
    return step(`console: wait for ${opts.name}`, params, () => this.buffer.expect(pattern, opts));
  }

  send(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    return step('console: send', { text: bytes.toString('utf8') }, () => this.transport.write(bytes));
  }

  sendSlowly(text: string, opts: { chunk?: number; delayMs?: number } = {}): Promise<void> {
    const { chunk, delayMs } = { ...SLOW_TYPING, ...opts };
    return step('console: type slowly', { text, chunk, delayMs }, async () => {
      const bytes = Buffer.from(text, 'utf8');
      for (let i = 0; i < bytes.length; i += chunk) {
        if (i > 0) await sleep(delayMs);
        await this.transport.write(bytes.subarray(i, i + chunk));
      }
    });
  }

  pending(): string {
    return this.buffer.pending();
  }

  discard(): void {
    this.buffer.discard();
  }

  tail(lines?: number): string {
    return this.buffer.tail(lines);
  }

  silentForMs(): number {
    return this.buffer.silentForMs();
  }

  mark(text: string): number | undefined {
    return this.transcript.mark(text);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.transport.close();
    } finally {
      this.transcript.close();
    }
  }
}
