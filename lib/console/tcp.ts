// A console on a TCP port: ser2net (raw or telnet) or QEMU's `-serial tcp:`. ser2net accepts a
// second client and then drops it (printing "Port already in use"), or with `kickolduser` drops
// the first one: both are reported as what they are, at open time or when it happens.
import { connect, type Socket } from 'node:net';
import type { FailureCode } from '../core/error-codes.ts';
import { RigError } from '../core/errors.ts';
import { TelnetCodec } from './telnet.ts';
import type { ConsoleSink, Transport } from './transport.ts';

export interface TcpConsoleConfig {
  host: string;
  port: number;
  protocol: 'raw' | 'telnet';
}

export interface TcpOptions {
  connectTimeoutMs?: number;
  /** A server that drops us within this long after accepting refused us (ser2net: port in use). */
  settleMs?: number;
}

const IN_USE = /Port already in use/i;

export async function openTcp(cfg: TcpConsoleConfig, sink: ConsoleSink, opts: TcpOptions = {}): Promise<Transport> {
  const where = `${cfg.host}:${cfg.port}`;
  const description = `ser2net ${cfg.protocol} ${where}`;
  const telnet = cfg.protocol === 'telnet' ? new TelnetCodec() : undefined;
  const err = (code: FailureCode, msg: string, cause?: unknown) =>
    new RigError(`console ${description}: ${msg}`, { code, part: 'console', phase: 'open', cause });

  const socket: Socket = connect({ host: cfg.host, port: cfg.port, noDelay: true });
  let opened = false;
  let closing = false;
  let early = Buffer.alloc(0);
  // The reader is attached before the connection exists: no byte can arrive unseen.
  socket.on('data', (raw: Buffer) => {
    let data = raw;
    if (telnet) {
      const d = telnet.decode(raw);
      if (d.reply.length) socket.write(d.reply);
      data = d.data;
    }
    if (!opened && early.length < 4096) early = Buffer.concat([early, data]);
    if (data.length) sink.data(data);
  });

  // One listener per event for the socket's whole life; what it means depends on the phase.
  let onDrop: (e?: NodeJS.ErrnoException) => void = () => {};
  socket.on('error', (e: NodeJS.ErrnoException) => onDrop(e));
  socket.on('end', () => onDrop());
  socket.on('close', () => onDrop());

  await new Promise<void>((resolve, reject) => {
    const ms = opts.connectTimeoutMs ?? 5000;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(err('CONSOLE_UNREACHABLE', `no answer from ${where} within ${ms} ms`));
    }, ms);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    onDrop = (e) => {
      clearTimeout(timer);
      if (e?.code === 'ECONNREFUSED')
        reject(
          err('CONSOLE_REFUSED', `ser2net at ${where} refused the connection (is it running, is the port right?)`, e),
        );
      else reject(err('CONSOLE_UNREACHABLE', `cannot connect to ${where}: ${e?.message ?? 'closed'}`, e));
    };
  });
  if (telnet) socket.write(telnet.hello());
  socket.setKeepAlive(true, 10_000);

  // Settle: ser2net drops a client it will not serve right after accepting it.
  await new Promise<void>((resolve, reject) => {
    const busy = () => {
      clearTimeout(timer);
      const said = early.toString('latin1').replace(/\s+/g, ' ').trim();
      socket.destroy();
      reject(err('CONSOLE_BUSY', `ser2net refused: port in use${said ? ` (it said "${said.slice(0, 200)}")` : ''}`));
    };
    const timer = setTimeout(() => (IN_USE.test(early.toString('latin1')) ? busy() : resolve()), opts.settleMs ?? 300);
    onDrop = busy;
  });
  opened = true;

  onDrop = (e) => {
    if (closing) return;
    onDrop = () => {}; // report once
    sink.end(
      e
        ? err('CONSOLE_LOST', `connection lost: ${e.message}`, e)
        : err(
            'CONSOLE_TAKEN_OVER',
            'the server closed the connection: another client took over the console ' +
              '(ser2net kickolduser), or ser2net was restarted',
          ),
    );
  };

  return {
    description,
    write: (data) =>
      new Promise<void>((resolve, reject) => {
        if (socket.destroyed) return reject(err('CONSOLE_LOST', 'cannot send: the connection is closed'));
        socket.write(telnet ? telnet.encode(data) : data, (e) => (e ? reject(e) : resolve()));
      }),
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        if (socket.destroyed) return resolve();
        const t = setTimeout(() => socket.destroy(), 1000);
        socket.once('close', () => {
          clearTimeout(t);
          resolve();
        });
        socket.end();
      }),
  };
}
