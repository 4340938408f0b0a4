// The bench's serial port on TCP, like ser2net in raw mode with `kickolduser: true`: one client
// at a time, a new connection replaces (and closes) the old one; bytes from the board go to the
// current client (dropped when nobody listens, as on a UART), client bytes go to the board.
// It outlives power cycles: the port belongs to the bench, not to the board.

import { createServer, type Server, type Socket } from 'node:net';
import { listenOn } from '../base/listen.ts';

export interface SerialServerOptions {
  host?: string;
  port: number;
  /** Bytes typed by the client. */
  onInput: (data: Buffer) => void;
}

export class SerialServer {
  private server?: Server;
  private client?: Socket;
  /** Called when a client connects or goes away. */
  onConnectionChange?: () => void;

  constructor(private readonly o: SerialServerOptions) {}

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
    return Boolean(this.client && !this.client.destroyed);
  }

  /** Board output. */
  write(data: Buffer): void {
    if (this.client && !this.client.destroyed) this.client.write(data);
  }

  async close(): Promise<void> {
    this.client?.destroy();
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  private accept(sock: Socket): void {
    const old = this.client;
    this.client = sock;
    old?.destroy();
    sock.setNoDelay(true);
    this.onConnectionChange?.();
    sock.on('data', (d: Buffer) => {
      if (this.client === sock) this.o.onInput(d);
    });
    sock.on('error', () => {});
    sock.on('close', () => {
      if (this.client === sock) {
        this.client = undefined;
        this.onConnectionChange?.();
      }
    });
  }
}
