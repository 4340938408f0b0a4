// The bench's serial port on TCP, like ser2net in raw mode with `kickolduser: true`: one client
// at a time, a new connection replaces (and closes) the old one; bytes from the board go to the
// current client (dropped when nobody listens, as on a UART), client bytes go to the board.
// It outlives power cycles: the port belongs to the bench, not to the board.
//
// With `recordDir`, every byte handed to a client is also appended to `<ms>-<seq>-<peer port>.bin`
// there, one file per connection: a test proves a run's console.log holds all the twin sent.
// Only bytes really handed over count: a client that said goodbye (FIN) or was replaced gets
// nothing more, and a replaced client is ended gracefully so what it was sent still arrives.

import { appendFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { listenOn } from '../base/listen.ts';

/** The loopback address the twin's own serial clients connect from. */
export const OWN_CLIENT_ADDRESS = '127.0.0.2';

export interface SerialServerOptions {
  host?: string;
  port: number;
  /** Bytes typed by the client. */
  onInput: (data: Buffer) => void;
  /** Where to record what each client was sent (see above); omit to record nothing. */
  recordDir?: string;
}

interface Client {
  sock: Socket;
  /** The record file, if recording. */
  record?: string;
  /** No more bytes for it: it ended its side, or is being dropped or replaced. */
  done: boolean;
}

export class SerialServer {
  private server?: Server;
  private client?: Client;
  private seq = 0;
  /** Called when a client connects or goes away. */
  onConnectionChange?: () => void;

  constructor(private readonly o: SerialServerOptions) {
    if (o.recordDir) mkdirSync(o.recordDir, { recursive: true });
  }

  async listen(): Promise<void> {
    this.server = await listenOn(
      createServer((sock) => this.accept(sock)),
      this.o.port,
      this.o.host,
    );
  }

  get port(): number {
    const a = this.server?.address();
    return a && typeof a === 'object' ? a.port : this.o.port;
  }

  get connected(): boolean {
    return Boolean(this.client && !this.client.sock.destroyed);
  }

  /** Board output. */
  write(data: Buffer): void {
    const c = this.client;
    if (!c || c.done || c.sock.destroyed) return;
    c.sock.write(data);
    if (c.record) appendFileSync(c.record, data);
  }

  /**
   * Cuts the current client's connection like a pulled cable or a crashed ser2net: a TCP reset,
   * after what it was already sent has drained (so the record holds only delivered bytes).
   * Resolves false when nobody was connected.
   */
  async drop(): Promise<boolean> {
    const c = this.client;
    if (!c || c.sock.destroyed) return false;
    c.done = true;
    this.client = undefined;
    for (let i = 0; i < 50 && c.sock.writableLength > 0; i++) await new Promise((r) => setTimeout(r, 20));
    // Give the peer a moment to read what the kernel already delivered before the RST.
    await new Promise((r) => setTimeout(r, 200));
    c.sock.resetAndDestroy();
    this.onConnectionChange?.();
    return true;
  }

  async close(): Promise<void> {
    this.client?.sock.destroy();
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  private accept(sock: Socket): void {
    const old = this.client;
    const peer = sock.remotePort ?? 0;
    // The twin's own client (a fault's "other user") comes from OWN_CLIENT_ADDRESS: not recorded.
    const record =
      this.o.recordDir && sock.remoteAddress !== OWN_CLIENT_ADDRESS
        ? join(this.o.recordDir, `${Date.now()}-${String(++this.seq).padStart(4, '0')}-${peer}.bin`)
        : undefined;
    if (record) {
      this.prune();
      appendFileSync(record, '');
    }
    const c: Client = { sock, record, done: false };
    this.client = c;
    if (old) this.retire(old);
    sock.setNoDelay(true);
    this.onConnectionChange?.();
    sock.on('data', (d: Buffer) => {
      if (this.client === c) this.o.onInput(d);
    });
    sock.on('error', () => {});
    // The client is done listening: what the board prints from now on reaches nobody.
    sock.on('end', () => {
      c.done = true;
    });
    sock.on('close', () => {
      c.done = true;
      if (this.client === c) {
        this.client = undefined;
        this.onConnectionChange?.();
      }
    });
  }

  /** Keeps the newest records only: the twin lives for many runs. */
  private prune(keep = 64): void {
    const dir = this.o.recordDir;
    if (!dir) return;
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.bin'))
      .sort();
    for (const f of files.slice(0, Math.max(0, files.length - keep + 1))) rmSync(join(dir, f), { force: true });
  }

  /** kickolduser: the old client is closed gracefully (what it was sent still arrives). */
  private retire(c: Client): void {
    c.done = true;
    c.sock.end();
    setTimeout(() => c.sock.destroy(), 2000).unref();
  }
}
