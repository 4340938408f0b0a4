// A small QMP client over QEMU's unix socket: one command at a time, answers matched in order,
// asynchronous events (SHUTDOWN, RESET, ...) emitted separately.
import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import { RigError } from '../../lib/core/errors.ts';

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

export class QmpClient extends EventEmitter<{ event: [name: string, data: unknown]; close: [] }> {
  private buf = '';
  private queue: Pending[] = [];
  private greeted?: Pending;

  private constructor(private readonly sock: Socket) {
    super();
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => this.onData(d));
    sock.on('close', () => {
      for (const p of this.queue.splice(0)) p.reject(new RigError('QMP socket closed', { code: 'QMP_CLOSED' }));
      this.emit('close');
    });
    sock.on('error', () => {});
  }

  /** Connects, waits for the greeting and negotiates capabilities. */
  static async connect(path: string, timeoutMs = 10_000): Promise<QmpClient> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const sock = await new Promise<Socket>((resolve, reject) => {
          const s = connect(path, () => resolve(s));
          s.once('error', reject);
        });
        const qmp = new QmpClient(sock);
        await new Promise((resolve, reject) => {
          qmp.greeted = { resolve, reject };
        });
        await qmp.execute('qmp_capabilities');
        return qmp;
      } catch (e) {
        // QEMU creates the socket a moment after it starts.
        if (Date.now() > deadline)
          throw new RigError(`QMP at ${path}: ${(e as Error).message}`, {
            code: 'QMP_CONNECT',
            cause: e,
          });
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  execute<T = unknown>(command: string, args?: Record<string, unknown>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ resolve: resolve as (v: unknown) => void, reject });
      this.sock.write(`${JSON.stringify(args ? { execute: command, arguments: args } : { execute: command })}\n`);
    });
  }

  close(): void {
    this.sock.destroy();
  }

  private onData(d: string): void {
    this.buf += d;
    for (let nl = this.buf.indexOf('\n'); nl >= 0; nl = this.buf.indexOf('\n')) {
      const line = this.buf.slice(0, nl).trim();
      this.buf = this.buf.slice(nl + 1);
      if (line) this.onMessage(JSON.parse(line) as Record<string, unknown>);
    }
  }

  private onMessage(msg: Record<string, unknown>): void {
    if ('QMP' in msg) {
      this.greeted?.resolve(undefined);
      this.greeted = undefined;
    } else if ('event' in msg) {
      this.emit('event', String(msg.event), msg.data);
    } else if ('return' in msg || 'error' in msg) {
      const p = this.queue.shift();
      if (!p) return;
      if ('error' in msg) {
        const err = msg.error as { class?: string; desc?: string };
        p.reject(
          new RigError(`QMP: ${err.class ?? 'error'}: ${err.desc ?? 'no description'}`, {
            code: 'QMP_ERROR',
          }),
        );
      } else p.resolve(msg.return);
    }
  }
}
