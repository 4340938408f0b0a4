// A console on a TCP port: ser2net (raw or telnet) or QEMU's `-serial tcp:`. ser2net accepts a
// second client and then drops it (printing "Port already in use"), or with `kickolduser` drops
// the first one: both are reported as what they are, at open time or when it happens.
//
// ser2net also closes a connection that has been quiet for its `timeout` (the RTE's old
// `13541:telnet:600:…` line: 600 s; ser2net.conf(5) v3.5, ser2net.yaml(5) v4). Nothing can keep
// it open without typing at the board: a telnet NOP never reaches the port and does not reset
// the timer (ser2net v3.5 dataxfer.c net_fd_read2). So a server closing a connection that was
// quiet that long, with nothing left to send, is dialled again at once, into the same sink: the
// transcript goes on where it stopped (ser2net replays nothing, so nothing is doubled). A close
// while the board talks, or a reset, is still a lost or taken-over console; so is a failed redial.
import { connect, type Socket } from 'node:net';
import type { FailureCode } from '../core/error-codes.ts';
import { RigError } from '../core/errors.ts';
import { progress } from '../core/progress.ts';
import { now, sleep } from '../core/time.ts';
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
  /**
   * A server closing a connection quiet at least this long (nothing received or sent) timed it
   * out, and is dialled again. Shorter than any ser2net `timeout` a lab sets (600 s on old RTE
   * images), longer than the pauses of a boot, where a close means something else.
   */
  idleReconnectMs?: number;
  /** Dials of one reconnect before the console is lost (a restarting ser2net takes a moment). */
  redialAttempts?: number;
}

const IN_USE = /Port already in use/i;

/** One TCP connection to the console server, and its own telnet state (renegotiated per connection). */
interface Conn {
  socket: Socket;
  telnet?: TelnetCodec;
  /** What a drop of this connection means; replaced once it is open. */
  onDrop: (e?: NodeJS.ErrnoException) => void;
}

export async function openTcp(cfg: TcpConsoleConfig, sink: ConsoleSink, opts: TcpOptions = {}): Promise<Transport> {
  const where = `${cfg.host}:${cfg.port}`;
  const description = `ser2net ${cfg.protocol} ${where}`;
  const idleMs = opts.idleReconnectMs ?? 30_000;
  const err = (code: FailureCode, msg: string, phase: string, cause?: unknown) =>
    new RigError(`console ${description}: ${msg}`, { code, part: 'console', phase, cause });

  let closing = false;
  /** The last byte received or sent, on any connection. */
  let lastActivity = now();

  /**
   * Connects and waits out the settle time. On the first open every byte goes to the sink at
   * once (the board may already be printing); on a redial the bytes are held until the server
   * has kept us, so a refusal ("Port already in use") never lands in the transcript.
   */
  async function dial(phase: 'open' | 'reconnect'): Promise<Conn> {
    const conn: Conn = {
      socket: connect({ host: cfg.host, port: cfg.port, noDelay: true }),
      telnet: cfg.protocol === 'telnet' ? new TelnetCodec() : undefined,
      onDrop: () => {},
    };
    const { socket, telnet } = conn;
    let settled = false;
    let early = Buffer.alloc(0);
    const held: Buffer[] = [];
    // The reader is attached before the connection exists: no byte can arrive unseen.
    socket.on('data', (raw: Buffer) => {
      lastActivity = now();
      let data = raw;
      if (telnet) {
        const d = telnet.decode(raw);
        if (d.reply.length) socket.write(d.reply);
        data = d.data;
      }
      if (!settled && early.length < 4096) early = Buffer.concat([early, data]);
      if (!data.length) return;
      if (!settled && phase === 'reconnect') held.push(data);
      else sink.data(data);
    });
    // One listener per event for the socket's whole life; what it means depends on the phase.
    socket.on('error', (e: NodeJS.ErrnoException) => conn.onDrop(e));
    socket.on('end', () => conn.onDrop());
    socket.on('close', () => conn.onDrop());

    await new Promise<void>((resolve, reject) => {
      const ms = opts.connectTimeoutMs ?? 5000;
      const timer = setTimeout(() => {
        socket.destroy();
        reject(err('CONSOLE_UNREACHABLE', `no answer from ${where} within ${ms} ms`, phase));
      }, ms);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      conn.onDrop = (e) => {
        clearTimeout(timer);
        if (e?.code === 'ECONNREFUSED')
          reject(
            err(
              'CONSOLE_REFUSED',
              `ser2net at ${where} refused the connection (is it running, is the port right?)`,
              phase,
              e,
            ),
          );
        else reject(err('CONSOLE_UNREACHABLE', `cannot connect to ${where}: ${e?.message ?? 'closed'}`, phase, e));
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
        reject(
          err('CONSOLE_BUSY', `ser2net refused: port in use${said ? ` (it said "${said.slice(0, 200)}")` : ''}`, phase),
        );
      };
      const timer = setTimeout(
        () => (IN_USE.test(early.toString('latin1')) ? busy() : resolve()),
        opts.settleMs ?? 300,
      );
      conn.onDrop = busy;
    });
    settled = true;
    for (const d of held) sink.data(d);
    return conn;
  }

  let conn = await dial('open');
  /** While a redial runs, writes wait for it. */
  let redialing: Promise<Conn> | undefined;

  const lost = (e: NodeJS.ErrnoException | undefined): RigError =>
    e
      ? err('CONSOLE_LOST', `connection lost: ${e.message}`, 'run', e)
      : err(
          'CONSOLE_TAKEN_OVER',
          'the server closed the connection: another client took over the console ' +
            '(ser2net kickolduser), or ser2net was restarted',
          'run',
        );

  /** Which way a drop of an open connection goes: redial (ser2net's idle timeout) or the end. */
  function watch(c: Conn): void {
    c.onDrop = (e) => {
      if (closing || c !== conn) return;
      c.onDrop = () => {}; // report once
      const quietMs = now() - lastActivity;
      const nothingPending = c.socket.writableLength === 0 && (c.telnet?.between() ?? true);
      if (!e && quietMs >= idleMs && nothingPending) redial(quietMs);
      else sink.end(lost(e));
    };
  }
  watch(conn);

  function redial(quietMs: number): void {
    const quiet = `${Math.round(quietMs / 1000)} s`;
    const started = now();
    const attempts = Math.max(1, opts.redialAttempts ?? 3);
    const attempt = async (): Promise<Conn> => {
      let last: unknown;
      for (let i = 0; i < attempts && !closing; i++) {
        if (i > 0) await sleep(1000);
        try {
          return await dial('reconnect');
        } catch (e) {
          last = e;
        }
      }
      throw last ?? new Error('closed while reconnecting');
    };
    redialing = attempt().then(
      (c) => {
        redialing = undefined;
        if (closing) {
          c.socket.destroy();
          return c;
        }
        conn = c;
        lastActivity = now();
        watch(c);
        progress.emit(
          'warn',
          `console ${description}: the server closed the console after ${quiet} quiet (ser2net's idle timeout); ` +
            `reconnected in ${Math.round(now() - started)} ms, the transcript goes on`,
        );
        return c;
      },
      (e: unknown) => {
        redialing = undefined;
        const why = e instanceof Error ? e.message : String(e);
        const fail = err(
          'CONSOLE_LOST',
          `the server closed the console after ${quiet} quiet and it could not be reopened: ${why}`,
          'run',
          e,
        );
        if (!closing) sink.end(fail);
        throw fail;
      },
    );
    redialing.catch(() => {}); // reported to the sink; a waiting write sees it too
  }

  return {
    description,
    write: async (data) => {
      const c = redialing ? await redialing : conn;
      return new Promise<void>((resolve, reject) => {
        if (c.socket.destroyed) return reject(err('CONSOLE_LOST', 'cannot send: the connection is closed', 'run'));
        lastActivity = now();
        c.socket.write(c.telnet ? c.telnet.encode(data) : data, (e) => (e ? reject(e) : resolve()));
      });
    },
    close: async () => {
      closing = true;
      const c = redialing ? await redialing.catch(() => conn) : conn;
      await new Promise<void>((resolve) => {
        if (c.socket.destroyed) return resolve();
        const t = setTimeout(() => c.socket.destroy(), 1000);
        c.socket.once('close', () => {
          clearTimeout(t);
          resolve();
        });
        c.socket.end();
      });
    },
  };
}
