// One QEMU run: spawned paused (-S) so the serial reader is attached before the first byte,
// tied to the daemon's life (setpriv --pdeathsig), stopped through QMP or, failing that, SIGKILL.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { RigError } from '../../lib/core/errors.ts';
import { QmpClient } from './qmp.ts';

export interface QemuRun {
  readonly child: ChildProcess;
  readonly qmp: QmpClient;
  readonly serial: Socket;
  /** Resolves when QEMU has exited; the value is the SHUTDOWN reason if QEMU reported one. */
  readonly exited: Promise<string | undefined>;
  stop(): Promise<void>;
}

const QEMU_BINARY = process.env.IOMMU_LAB_QEMU ?? 'qemu-system-x86_64';

export async function startQemu(
  args: string[],
  sockets: { qmp: string; serial: string },
  logFile: string,
): Promise<QemuRun> {
  for (const s of [sockets.qmp, sockets.serial]) if (existsSync(s)) rmSync(s);
  const log = createWriteStream(logFile, { flags: 'a' });
  log.write(`\n# ${new Date().toISOString()} ${QEMU_BINARY} ${args.join(' ')}\n`);
  // If the daemon dies without cleaning up (SIGKILL), the kernel kills QEMU too.
  const child = spawn('setpriv', ['--pdeathsig', 'KILL', '--', QEMU_BINARY, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  let reason: string | undefined;
  const exited = new Promise<string | undefined>((resolve) =>
    child.once('exit', (code, signal) => {
      log.end(`# exit ${code ?? signal}\n`);
      resolve(reason);
    }),
  );
  let qmp: QmpClient;
  try {
    qmp = await Promise.race([
      QmpClient.connect(sockets.qmp),
      exited.then(() => {
        throw new RigError(`QEMU exited at start (see ${logFile})`, { code: 'QEMU_START' });
      }),
    ]);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  qmp.on('event', (name, data) => {
    if (name === 'SHUTDOWN') reason = (data as { reason?: string } | undefined)?.reason;
  });
  const serial = await new Promise<Socket>((resolve, reject) => {
    const s = connect(sockets.serial, () => resolve(s));
    s.once('error', reject);
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    qmp.execute('quit').catch(() => child.kill('SIGKILL'));
    await exited;
    clearTimeout(timer);
  };
  return { child, qmp, serial, exited, stop };
}
