// The twin daemon: one process owning the RTE API, the serial port, the controller sshd and
// QEMU. Started detached by `iommu-lab twin up` (twin/daemon/manage.ts); stops everything on
// SIGTERM/SIGINT or a crash, and its children die with it even on SIGKILL (pdeathsig).
//   node --import tsx twin/daemon/daemon.ts
// The board boots from the network only through iommu-lab's HTTP boot server on the test host
// (the slirp gateway): the daemon serves no boot files itself.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { acquireLock, releaseLock } from '../base/lock.ts';
import { twinPaths, twinPorts } from '../base/paths.ts';
import { controllerHostKey, ensureControllerKeys } from '../controller/keys.ts';
import { faultSocket } from '../fault/client.ts';
import { serveFaults } from '../fault/server.ts';
import { ensureFlashImage } from '../firmware/default.ts';
import { observeSocket } from '../observe/client.ts';
import { serveObserver } from '../observe/server.ts';
import { TwinBench } from './bench.ts';

export const statusFile = join(twinPaths.run, 'status.json');

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
}

async function main(): Promise<void> {
  await mkdir(twinPaths.run, { recursive: true });
  acquireLock(twinPaths.lock);
  await ensureControllerKeys();
  await ensureFlashImage(twinPaths.flashImage);
  const bench = new TwinBench({
    flashImage: twinPaths.flashImage,
    runDir: twinPaths.run,
    ports: twinPorts,
    controller: { hostKey: controllerHostKey, clientPublicKey: `${twinPaths.clientKey}.pub` },
    board: { accel: process.env.IOMMU_LAB_TWIN_ACCEL === 'kvm' ? 'kvm' : 'tcg' },
    log,
  });
  let stopping = false;
  const writeStatus = () =>
    writeFile(
      statusFile,
      JSON.stringify({ pid: process.pid, ready: !stopping, ports: twinPorts, ...bench.status() }),
    ).catch(() => {});
  const stop = async (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    log(`stopping: ${why}`);
    await bench.stop().catch((e) => log(`stop: ${(e as Error).message}`));
    await writeStatus();
    releaseLock(twinPaths.lock);
    process.exit(code);
  };
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGHUP', () => void stop('SIGHUP', 0));
  process.on('uncaughtException', (e) => void stop(`uncaught: ${e.stack ?? e}`, 2));
  process.on('unhandledRejection', (e) => void stop(`unhandled: ${(e as Error)?.stack ?? e}`, 2));
  try {
    await bench.start();
  } catch (e) {
    await stop(`start failed: ${(e as Error).message}`, 2);
    return;
  }
  await serveFaults(bench.faults, faultSocket);
  await serveObserver(bench.board, observeSocket);
  bench.board.on('state', () => void writeStatus());
  bench.bank.on('change', () => void bench.settled().then(writeStatus));
  bench.serial.onConnectionChange = () => void writeStatus();
  await writeStatus();
}

await main();
