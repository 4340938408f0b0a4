// A console on a local serial device (USB adapter, or the twin's pty) through `serialport`. The
// port is opened with an exclusive flock (`lock: true`): two readers on one tty would each get
// part of the bytes, so a second opener must fail at once, naming the process that holds it.
import { SerialPort } from 'serialport';
import type { FailureCode } from '../core/error-codes.ts';
import { RigError } from '../core/errors.ts';
import { describeHolders, findHolders } from './holders.ts';
import type { ConsoleSink, Transport } from './transport.ts';

export interface TtyConsoleConfig {
  path: string;
  baudRate: number;
}

export async function openTty(cfg: TtyConsoleConfig, sink: ConsoleSink): Promise<Transport> {
  const description = `${cfg.path} @${cfg.baudRate}`;
  const err = (code: FailureCode, msg: string, cause?: unknown) =>
    new RigError(`console ${cfg.path}: ${msg}`, { code, part: 'console', phase: 'open', cause });
  const port = new SerialPort({ path: cfg.path, baudRate: cfg.baudRate, autoOpen: false, lock: true });
  // Attached before open: the first byte the board sends is already seen.
  port.on('data', (chunk: Buffer) => sink.data(chunk));
  let closing = false;

  try {
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  } catch (e) {
    const msg = (e as Error).message;
    if (/Cannot lock port|Resource busy|EBUSY/i.test(msg))
      throw err('CONSOLE_BUSY', `is busy: ${describeHolders(await findHolders(cfg.path))}`, e);
    if (/ENOENT|No such file/i.test(msg))
      throw err('CONSOLE_MISSING', 'does not exist (USB serial adapter unplugged, or the wrong path?)', e);
    if (/EACCES|Permission denied/i.test(msg))
      throw err('CONSOLE_DENIED', 'permission denied (is the user in the dialout group?)', e);
    throw err('CONSOLE_OPEN_FAILED', `cannot open: ${msg}`, e);
  }

  port.on('error', () => {}); // reported through 'close'
  port.on('close', (e?: Error & { disconnected?: boolean }) => {
    if (closing) return;
    sink.end(err('CONSOLE_LOST', `closed under us${e?.disconnected ? ' (device disconnected)' : ''}`, e));
  });

  return {
    description,
    write: (data) =>
      new Promise<void>((resolve, reject) => {
        port.write(data, (e) => {
          if (e) return reject(err('CONSOLE_LOST', `cannot send: ${e.message}`, e));
          port.drain((d) => (d ? reject(d) : resolve()));
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        if (!port.isOpen) return resolve();
        port.close(() => resolve());
      }),
  };
}
