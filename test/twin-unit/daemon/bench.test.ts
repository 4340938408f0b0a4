// The twin bench wired like an RTE, without QEMU: RTE API → power state (relay, power button) →
// flashrom over real SSH (real OpenSSH sshd, ssh2 client), and a board that must stay silent when
// it cannot boot. The chip answers only in S5, and through the SPI mux where the bench has one.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ssh2';
import { type GpioMap, rteV11Mux, twinGpio } from '../../../twin/base/gpio-map.ts';
import { TwinBench } from '../../../twin/daemon/bench.ts';
import { buildTwinFirmware } from '../../../twin/firmware/build.ts';

const CHIP = 'MX25L6436E/MX25L6445E/MX25L6465E/MX25L6473E/MX25L6473F';
/** Per process: other checkouts' test runs on this host use the same controller /tmp. */
const REMOTE = `/tmp/twin-unit-${process.pid}`;
const FLASHROM = `flashrom -p linux_spi:dev=/dev/spidev1.0,spispeed=16000 -c ${CHIP}`;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

function sshConnectOnce(port: number, key: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    c.on('ready', () => resolve(c)).on('error', reject);
    c.connect({ host: '127.0.0.1', port, username: 'root', privateKey: readFileSync(key) });
  });
}

/**
 * The fixture's login to the controller sshd just started. A few tries: once (CI, two Node
 * versions' suites side by side on 2 cores) the first connection was closed before the
 * handshake right after sshd began listening; what these tests check comes after the login.
 */
async function sshConnect(port: number, key: string): Promise<Client> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sshConnectOnce(port, key);
    } catch (e) {
      if (attempt >= 3 || !/before handshake/.test((e as Error).message)) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
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

/** A twin bench with its controller sshd, an SSH client to it and its serial output. */
function benchFixture(gpioMap: GpioMap) {
  const f = {
    dir: '',
    bench: undefined as unknown as TwinBench,
    api: '',
    ssh: undefined as unknown as Client,
    serialOut: [] as Buffer[],
    flash: () => join(f.dir, 'flash.rom'),
    /** PATCH as a client would; `time` flips the pin back after that many seconds (RteCtrl). */
    gpio: async (id: number, state: 0 | 1, time = 0) => {
      const res = await fetch(`${f.api}/${id}`, {
        method: 'PATCH',
        body: JSON.stringify({ state, direction: 'out', time }),
      });
      assert.equal(res.status, 200);
      await f.bench.settled();
    },
    /** Waits until the queued GPIO side effects and the board's timers have settled. */
    until: async (pred: () => boolean, ms: number) => {
      const end = Date.now() + ms;
      while (!pred()) {
        if (Date.now() > end) throw new Error(`bench never got there: ${JSON.stringify(f.bench.status())}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      await f.bench.settled();
    },
  };
  before(async function () {
    if (process.getuid?.() !== 0) this.skip(); // sshd must run as root to log root in
    f.dir = mkdtempSync(join(tmpdir(), 'twin-bench-'));
    for (const k of ['client', 'host'])
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(f.dir, k)]);
    await buildTwinFirmware({ out: f.flash(), iommu: true, pxe: true });
    f.bench = new TwinBench({
      flashImage: f.flash(),
      runDir: join(f.dir, 'run'),
      ports: { power: 0, serial: 0, controllerSsh: await freePort(), dom0Ssh: 0, guestSsh: 0 },
      controller: { hostKey: join(f.dir, 'host'), clientPublicKey: join(f.dir, 'client.pub') },
      // The firmware waits long at "N for PXE boot": no QEMU starts within these tests.
      board: { promptMs: 30_000 },
      gpio: gpioMap,
    });
    await f.bench.start();
    f.api = `http://127.0.0.1:${f.bench.rte.port}/api/v1/gpio`;
    const port = Number(
      /ListenAddress 127\.0\.0\.1:(\d+)/.exec(
        readFileSync(join(f.dir, 'run', 'controller', 'sshd_config'), 'utf8'),
      )?.[1],
    );
    f.ssh = await sshConnect(port, join(f.dir, 'client'));
    const sock = connect(f.bench.serial.port, '127.0.0.1');
    sock.on('data', (d: Buffer) => f.serialOut.push(d));
    await new Promise((r) => sock.once('connect', r));
  });
  after(async () => {
    f.ssh?.end();
    await f.bench?.stop();
    if (f.dir) rmSync(f.dir, { recursive: true, force: true });
  });
  return f;
}

/** flashrom writes an image over SSH and reads it back exactly, and the twin's chip holds it. */
async function writeAndReadBack(f: ReturnType<typeof benchFixture>, version: string): Promise<void> {
  const image = join(f.dir, `${version}.rom`);
  await buildTwinFirmware({ out: image, iommu: false, pxe: true, version });
  await sftpTransfer(f.ssh, 'put', image, `${REMOTE}-new.rom`);
  const w = await exec(f.ssh, `${FLASHROM} -w ${REMOTE}-new.rom`);
  assert.equal(w.code, 0, w.out);
  assert.match(w.out, /Verifying flash\.\.\. VERIFIED/);
  const r = await exec(f.ssh, `${FLASHROM} -r ${REMOTE}-back.rom`);
  assert.equal(r.code, 0, r.out);
  await sftpTransfer(f.ssh, 'get', join(f.dir, 'back.rom'), `${REMOTE}-back.rom`);
  assert.deepEqual(readFileSync(join(f.dir, 'back.rom')), readFileSync(image));
  assert.deepEqual(readFileSync(f.flash()), readFileSync(image));
  await exec(f.ssh, `rm -f ${REMOTE}-new.rom ${REMOTE}-back.rom ${REMOTE}-none.bin`);
}

async function noChip(f: ReturnType<typeof benchFixture>): Promise<void> {
  const r = await exec(f.ssh, `${FLASHROM} -r ${REMOTE}-none.bin`);
  assert.notEqual(r.code, 0);
  assert.match(r.out, /No EEPROM\/flash device found/);
}

describe('twin bench (RTE v1.0, no mux): the chip answers in S5 only, silent bricks', function () {
  this.timeout(60_000);
  const f = benchFixture(twinGpio);
  const g = twinGpio;

  it('G3 (relay open): flashrom on the controller finds no chip, with its own message', async () => {
    assert.equal(f.bench.status().chip, 'absent');
    await noChip(f);
  });

  it('a power-button press in G3 does nothing', async () => {
    await f.gpio(g.power, 1);
    await f.gpio(g.power, 0);
    assert.equal(f.bench.board.state, 'off');
  });

  it('powered and running: no chip; the button held 4 s forces S5, and then the chip answers', async () => {
    await f.gpio(g.relay, 1);
    assert.equal(f.bench.board.state, 'firmware', 'an apu2 starts by itself when power comes');
    await noChip(f);
    const t0 = Date.now();
    await f.gpio(g.power, 1, 6); // osfv power_off(6): RteCtrl releases it after 6 s
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(f.bench.board.state, 'firmware', 'not before the 4 s override');
    await f.until(() => f.bench.board.state === 's5', 3000);
    assert.ok(Date.now() - t0 >= 4000);
    assert.deepEqual([f.bench.status().relay, f.bench.status().chip], ['on', 'reachable']);
    await writeAndReadBack(f, 'v4.19.0.9-unit');
    await f.until(() => f.bench.bank.get(g.power).state === 0, 4000); // RteCtrl lets go at 6 s
    assert.equal(f.bench.board.state, 's5', 'letting go of the button changes nothing');
  });

  it('a short press in S5 starts the board, and the chip is gone again', async () => {
    f.serialOut.length = 0;
    await f.gpio(g.power, 1, 1);
    assert.equal(f.bench.board.state, 'firmware');
    assert.equal(f.bench.status().chip, 'absent');
    await f.until(() => Buffer.concat(f.serialOut).includes('N for PXE boot'), 5000);
    await f.until(() => f.bench.bank.get(g.power).state === 0, 3000);
    await f.gpio(g.relay, 0);
    assert.equal(f.bench.board.state, 'off');
  });

  it('power applied with the button held (J2 2-3 shorted): S5 at once, nothing on serial', async () => {
    f.serialOut.length = 0;
    await f.gpio(g.power, 1);
    await f.gpio(g.relay, 1);
    await f.gpio(g.power, 0);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(f.bench.board.state, 's5');
    assert.equal(Buffer.concat(f.serialOut).length, 0);
    assert.equal(f.bench.status().chip, 'reachable');
    await f.gpio(g.relay, 0);
    assert.equal(f.bench.status().chip, 'absent', 'G3 again: no chip');
  });

  it('reports the WP pin and counts CMOS clears', async () => {
    await f.gpio(g.wp, 1);
    assert.equal(f.bench.status().writeProtect, 'held');
    await f.gpio(g.wp, 0);
    assert.equal(f.bench.status().writeProtect, 'released');
    const before = f.bench.status().cmosClears;
    await f.gpio(g.cmos, 1);
    await f.gpio(g.cmos, 0);
    assert.equal(f.bench.status().cmosClears, before + 1);
  });

  it('a corrupt image: power on gives no console output at all', async () => {
    await buildTwinFirmware({ out: f.flash(), corrupt: true });
    f.serialOut.length = 0;
    await f.gpio(g.relay, 1);
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(f.bench.board.state, 'dead');
    assert.equal(Buffer.concat(f.serialOut).length, 0);
    assert.equal(f.bench.status().relay, 'on');
    await f.gpio(g.relay, 0);
    assert.equal(f.bench.board.state, 'off');
  });
});

describe('twin bench with an RTE v1.1 SPI mux: S5 and the mux switched', function () {
  this.timeout(60_000);
  const map = { ...twinGpio, spiMux: rteV11Mux };
  const f = benchFixture(map);
  const m = rteV11Mux;

  it('S5 with the mux left to the board: no chip; voltage, Vcc and lines switched: the chip answers', async () => {
    await f.gpio(map.power, 1);
    await f.gpio(map.relay, 1);
    await f.gpio(map.power, 0);
    assert.equal(f.bench.board.state, 's5');
    await noChip(f);
    for (const id of [m.voltage, m.vcc, m.lines]) await f.gpio(id, 1);
    assert.deepEqual([f.bench.status().spiMux, f.bench.status().chip], ['programmer', 'reachable']);
    await writeAndReadBack(f, 'v4.19.0.8-unit');
  });

  it('G3 with the mux switched: no chip (the RTE does not power it)', async () => {
    await f.gpio(map.relay, 0);
    assert.equal(f.bench.status().spiMux, 'programmer');
    await noChip(f);
  });

  it('powered on with the SPI lines still switched, the board prints nothing', async () => {
    f.serialOut.length = 0;
    await f.gpio(map.relay, 1);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(f.bench.board.state, 'dead');
    assert.equal(Buffer.concat(f.serialOut).length, 0);
    await f.gpio(map.relay, 0);
    for (const id of [m.vcc, m.lines, m.voltage]) await f.gpio(id, 0);
  });
});
