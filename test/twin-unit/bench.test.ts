// The twin bench wired like an RTE, without QEMU: RTE API → SPI mux → flashrom over real SSH
// (real OpenSSH sshd, ssh2 client), and a board that must stay silent when it cannot boot.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ssh2';
import { twinGpio } from '../../twin/base/gpio-map.ts';
import { TwinBench } from '../../twin/bench.ts';
import { buildTwinFirmware } from '../../twin/firmware/build.ts';

const CHIP = 'MX25L6436E/MX25L6445E/MX25L6465E/MX25L6473E/MX25L6473F';
const FLASHROM = `flashrom -p linux_spi:dev=/dev/spidev1.0,spispeed=16000 -c ${CHIP}`;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

function sshConnect(port: number, key: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    c.on('ready', () => resolve(c)).on('error', reject);
    c.connect({ host: '127.0.0.1', port, username: 'root', privateKey: readFileSync(key) });
  });
}

function exec(c: Client, cmd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    c.exec(cmd, (err, ch) => {
      if (err) return reject(err);
      let out = '';
      ch.on('data', (d: Buffer) => (out += d)).stderr.on('data', (d: Buffer) => (out += d));
      ch.on('close', (code: number) => resolve({ code, out }));
    });
  });
}

function sftpTransfer(c: Client, dir: 'put' | 'get', local: string, remote: string): Promise<void> {
  return new Promise((resolve, reject) => {
    c.sftp((err, sftp) => {
      if (err) return reject(err);
      const done = (e?: Error | null) => {
        sftp.end();
        if (e) reject(e);
        else resolve();
      };
      if (dir === 'put') sftp.fastPut(local, remote, done);
      else sftp.fastGet(remote, local, done);
    });
  });
}

describe('twin bench: RTE API, SPI mux, flashrom over the controller SSH, silent bricks', function () {
  this.timeout(60_000);
  let dir: string;
  let bench: TwinBench;
  let api: string;
  let ssh: Client;
  const serialOut: Buffer[] = [];
  const flash = () => join(dir, 'flash.rom');

  const gpio = async (id: number, state: 0 | 1) => {
    const res = await fetch(`${api}/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ state, direction: 'out', time: 0 }),
    });
    assert.equal(res.status, 200);
    await bench.settled();
  };

  before(async function () {
    if (process.getuid?.() !== 0) this.skip(); // sshd must run as root to log root in
    dir = mkdtempSync(join(tmpdir(), 'twin-bench-'));
    for (const k of ['client', 'host'])
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, k)]);
    await buildTwinFirmware({ out: flash(), iommu: true, pxe: true });
    bench = new TwinBench({
      flashImage: flash(),
      runDir: join(dir, 'run'),
      ports: { power: 0, serial: 0, controllerSsh: await freePort(), dom0Ssh: 0, guestSsh: 0 },
      controller: { hostKey: join(dir, 'host'), clientPublicKey: join(dir, 'client.pub') },
    });
    await bench.start();
    api = `http://127.0.0.1:${bench.rte.port}/api/v1/gpio`;
    const port = Number(
      /ListenAddress 127\.0\.0\.1:(\d+)/.exec(readFileSync(join(dir, 'run', 'controller', 'sshd_config'), 'utf8'))?.[1],
    );
    ssh = await sshConnect(port, join(dir, 'client'));
    const sock = connect(bench.serial.port, '127.0.0.1');
    sock.on('data', (d: Buffer) => serialOut.push(d));
    await new Promise((r) => sock.once('connect', r));
  });
  after(async () => {
    ssh?.end();
    await bench?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('SPI lines not switched: flashrom on the controller finds no chip', async () => {
    const r = await exec(ssh, `${FLASHROM} -r /tmp/twin-unit-none.bin`);
    assert.notEqual(r.code, 0);
    assert.match(r.out, /No EEPROM\/flash device found/);
  });

  it('board powered: even with Vcc on and lines switched the programmer sees no chip', async () => {
    // Lines first: the board then cannot boot, so no QEMU is started by this unit test.
    for (const id of [twinGpio.spiVoltage, twinGpio.spiVcc, twinGpio.spiLines]) await gpio(id, 1);
    await gpio(twinGpio.relay, 1);
    assert.equal(bench.status().spiMux, 'board');
    const r = await exec(ssh, `${FLASHROM} -r /tmp/twin-unit-none.bin`);
    assert.match(r.out, /No EEPROM\/flash device found/);
    await gpio(twinGpio.relay, 0);
  });

  it('unpowered, Vcc on, lines switched: a flashed image reads back exactly over SSH', async () => {
    assert.equal(bench.status().spiMux, 'programmer');
    const image = join(dir, 'new.rom');
    await buildTwinFirmware({ out: image, iommu: false, pxe: true, version: 'v4.19.0.9-unit' });
    await sftpTransfer(ssh, 'put', image, '/tmp/twin-unit-new.rom');
    const w = await exec(ssh, `${FLASHROM} -w /tmp/twin-unit-new.rom`);
    assert.equal(w.code, 0, w.out);
    assert.match(w.out, /Verifying flash\.\.\. VERIFIED/);
    const r = await exec(ssh, `${FLASHROM} -r /tmp/twin-unit-back.rom`);
    assert.equal(r.code, 0, r.out);
    await sftpTransfer(ssh, 'get', join(dir, 'back.rom'), '/tmp/twin-unit-back.rom');
    assert.deepEqual(readFileSync(join(dir, 'back.rom')), readFileSync(image));
    assert.deepEqual(readFileSync(flash()), readFileSync(image));
    await exec(ssh, 'rm -f /tmp/twin-unit-new.rom /tmp/twin-unit-back.rom /tmp/twin-unit-none.bin');
  });

  it('powered on with the SPI lines still switched, the board prints nothing', async () => {
    serialOut.length = 0;
    await gpio(twinGpio.relay, 1);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(bench.board.state, 'dead');
    assert.equal(Buffer.concat(serialOut).length, 0);
    await gpio(twinGpio.relay, 0);
    for (const id of [twinGpio.spiLines, twinGpio.spiVcc]) await gpio(id, 0);
  });

  it('a corrupt image: power on gives no console output at all', async () => {
    await buildTwinFirmware({ out: flash(), corrupt: true });
    serialOut.length = 0;
    await gpio(twinGpio.relay, 1);
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(bench.board.state, 'dead');
    assert.equal(Buffer.concat(serialOut).length, 0);
    assert.equal(bench.status().relay, 'on');
    await gpio(twinGpio.relay, 0);
    assert.equal(bench.board.state, 'off');
  });
});
