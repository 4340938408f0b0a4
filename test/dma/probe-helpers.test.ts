// The C helpers built with the real gcc and run against a fake sysfs device: they refuse what
// they must, and the layout they compiled is the datasheets' (numbers checked by hand against
// the 8254x SDM s3.3.3/s13.4, the I210 datasheet s7.2.2.1/s8.10/s8.12, Linux e1000e/igb headers
// and QEMU's e1000x_regs.h; see lib/dma/probe/nic-regs.h).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHelper } from '../../lib/dma/build.ts';
import { parseCanaryOutput } from '../../lib/dma/canary-report.ts';
import { parseProbeOutput } from '../../lib/dma/probe-report.ts';
import { type FakeDevice, fakePciDevice } from './fake-sysfs.ts';

let bin: string;
let probe: string;
let canary: string;
const fakes: FakeDevice[] = [];

function run(file: string, args: string[], input = '') {
  const r = spawnSync(file, args, { input, encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function device(id: string, opts?: Parameters<typeof fakePciDevice>[1]): Promise<string> {
  const f = await fakePciDevice(id, opts);
  fakes.push(f);
  return f.dir;
}

describe('dma/probe helpers (C, built with gcc -static)', function () {
  this.timeout(120_000);
  before(async () => {
    bin = await mkdtemp(join(tmpdir(), 'iommu-lab-probe-'));
    probe = await buildHelper('dma-probe', bin);
    canary = await buildHelper('dom0-canary', bin);
  });
  after(async () => {
    await rm(bin, { recursive: true, force: true });
    for (const f of fakes) await rm(f.root, { recursive: true, force: true });
  });

  it('builds static binaries that need no library in the guest', () => {
    const r = spawnSync('file', [probe], { encoding: 'utf8' });
    if (r.status === 0) assert.match(r.stdout, /statically linked/);
    assert.equal(run(probe, ['--help']).code, 2);
  });

  it('refuses an unknown device ID with exit 3 and says which IDs it knows', async () => {
    const dir = await device('1234');
    const r = run(probe, ['--device', dir, '--positive']);
    assert.equal(r.code, 3);
    assert.match(
      r.stderr,
      /refusing 8086:1234 at .*0000:00:05\.0: not a NIC this probe knows \(known: 8086:10d3\/1533/,
    );
    const rep = parseProbeOutput(r.stdout);
    assert.equal(rep.ok, false);
    assert.equal(!rep.ok && rep.stage, 'identify');
    // --layout is refused too: no numbers are claimed for a device the probe does not know.
    assert.equal(run(probe, ['--device', dir, '--layout']).code, 3);
  });

  it('refuses a directory that is not a PCI device (exit 4)', async () => {
    const r = run(probe, ['--device', bin, '--positive']);
    assert.equal(r.code, 4);
    assert.match(r.stderr, /no readable vendor\/device files/);
  });

  it('prints the e1000e (82574L) register offsets and legacy descriptor layout of the datasheets', async () => {
    const r = run(probe, ['--device', await device('10d3'), '--layout']);
    assert.equal(r.code, 0, r.stderr);
    const l = JSON.parse(r.stdout);
    assert.deepEqual(l.device.name, '82574L');
    assert.deepEqual(l.registers, {
      CTRL: 0x0000,
      STATUS: 0x0008,
      MDIC: 0x0020,
      IMC: 0x00d8,
      RCTL: 0x0100,
      TCTL: 0x0400,
      TIPG: 0x0410,
      RDBAL: 0x2800,
      RDBAH: 0x2804,
      RDLEN: 0x2808,
      RDH: 0x2810,
      RDT: 0x2818,
      TDBAL: 0x3800,
      TDBAH: 0x3804,
      TDLEN: 0x3808,
      TDH: 0x3810,
      TDT: 0x3818,
    });
    // Legacy TX descriptor, 16 bytes: [offset, size].
    assert.deepEqual(l.txDescriptor, {
      size: 16,
      addr: [0, 8],
      length: [8, 2],
      cso: [10, 1],
      cmd: [11, 1],
      status: [12, 1],
      css: [13, 1],
      special: [14, 2],
    });
    assert.deepEqual(l.rxDescriptor, {
      size: 16,
      addr: [0, 8],
      length: [8, 2],
      csum: [10, 2],
      status: [12, 1],
      errors: [13, 1],
      special: [14, 2],
    });
    // CMD: EOP bit 0, IFCS bit 1, RS bit 3; DD = status bit 0; RCTL.LBM = 01b in bits 7:6.
    assert.equal(l.bits.TXD_CMD_EOP, 1 << 0);
    assert.equal(l.bits.TXD_CMD_IFCS, 1 << 1);
    assert.equal(l.bits.TXD_CMD_RS, 1 << 3);
    assert.equal(l.bits.TXD_STAT_DD, 1 << 0);
    assert.equal(l.bits.RXD_STAT_DD, 1 << 0);
    assert.equal(l.bits.RCTL_LBM_MAC, 0b01 << 6);
    assert.equal(l.bits.TCTL_EN, 1 << 1);
    assert.equal(l.bits.CTRL_RST, 1 << 26);
    assert.equal(l.queueEnable, false, 'the 82574 has no TXDCTL queue-enable bit');
  });

  it('adds the igb queue registers for the apu2 i210/i211', async () => {
    for (const id of ['1533', '1539']) {
      const l = JSON.parse(run(probe, ['--device', await device(id), '--layout']).stdout);
      assert.equal(l.device.family, 'igb');
      assert.equal(l.registers.SRRCTL, 0x280c);
      assert.equal(l.registers.RXDCTL, 0x2828);
      assert.equal(l.registers.TXDCTL, 0x3828);
      assert.equal(l.bits.XDCTL_QUEUE_ENABLE, 1 << 25);
      assert.equal(l.queueEnable, true);
    }
  });

  it('checks its arguments before touching anything (exit 2)', async () => {
    const dir = await device('10d3');
    for (const args of [
      ['--device', dir, '--target', '0x1000ff0'], // 128 bytes would cross the page
      ['--device', dir, '--target', 'zz'],
      ['--device', dir, '--positive', '--write'],
      ['--device', dir],
      ['--device', dir, '--positive', '--loopback', 'serdes'],
      ['--device', dir, '--positive', '--m2p', '--p2m', '/tmp/p2m.txt'],
      ['--device', dir, '--positive', '--pciback', '--unbind'],
    ])
      assert.equal(run(probe, args).code, 2, args.join(' '));
  });

  describe('against a fake BAR (a regular file: nothing answers)', () => {
    before(function () {
      if (process.getuid?.() !== 0) this.skip(); // PFNs in /proc/self/pagemap need CAP_SYS_ADMIN
    });

    it('--m2p outside a Xen PV dom0 is refused before the device is touched (exit 3)', async () => {
      const f = await fakePciDevice('10d3', { driver: 'pciback' });
      fakes.push(f);
      const r = run(probe, ['--device', f.dir, '--target', '0x7a3c5000', '--m2p', '--pciback']);
      assert.equal(r.code, 3, r.stderr);
      const rep = parseProbeOutput(r.stdout);
      assert.ok(!rep.ok && rep.stage === 'memory' && /not a Xen domain/.test(rep.error), r.stdout);
      assert.equal(await readFile(join(f.driverDir!, 'unbind'), 'utf8'), '', 'pciback was left alone');
    });

    it('refuses a NIC its driver still owns, and unbinds it only when asked (then rebinds)', async () => {
      const f = await fakePciDevice('10d3', { driver: 'e1000e' });
      fakes.push(f);
      const refused = run(probe, ['--device', f.dir, '--positive']);
      assert.equal(refused.code, 4);
      assert.match(refused.stderr, /0000:00:05\.0 is bound to driver e1000e: unbind it or pass --unbind/);
      assert.equal(await readFile(join(f.driverDir!, 'unbind'), 'utf8'), '');

      const r = run(probe, ['--device', f.dir, '--positive', '--unbind', '--rebind', '--timeout-ms', '100']);
      assert.equal(await readFile(join(f.driverDir!, 'unbind'), 'utf8'), '0000:00:05.0');
      assert.equal(await readFile(join(f.driverDir!, 'bind'), 'utf8'), '0000:00:05.0');
      // A file never clears CTRL.RST: the probe reports a dead device, exit 5, never a result.
      assert.equal(r.code, 5);
      const rep = parseProbeOutput(r.stdout);
      assert.ok(!rep.ok && rep.stage === 'reset' && rep.device?.unbound === true);
    });

    it('writes the registers at the datasheet offsets and puts the command register back', async () => {
      const dir = await device('10d3', { command: 0x0400 });
      // The driver's CTRL (link up, full duplex, ASDE, as Linux's e1000e leaves it) and RFCTL.EXTEN.
      const before = await readFile(join(dir, 'resource0'));
      before.writeUInt32LE(0x00140241, 0x0000);
      before.writeUInt32LE(0x00008000, 0x5008);
      await writeFile(join(dir, 'resource0'), before);
      const r = run(probe, ['--device', dir, '--target', '0x7a3c5000', '--timeout-ms', '100']);
      assert.equal(r.code, 5);
      const bar = await readFile(join(dir, 'resource0'));
      // A file never clears CTRL.RST, so the probe stops at "reset" — and still puts back what
      // the driver had, and asks the PHY (MDIC 0x0020: read, PHY 1, BMCR) whether it is looped.
      assert.equal(bar.readUInt32LE(0x0000), 0x00140241, 'CTRL put back as the driver had it (0x0000)');
      assert.equal(bar.readUInt32LE(0x5008), 0x00008000, 'RFCTL put back (0x5008)');
      assert.equal(bar.readUInt32LE(0x0020) & 0x0fff0000, 0x08200000, 'BMCR read through MDIC at 0x0020');
      assert.equal(bar.readUInt32LE(0x00d8), 0xffffffff, 'all interrupts masked through IMC at 0x00d8');
      assert.equal(bar.readUInt32LE(0x0100), 0, 'receiver off (RCTL at 0x0100)');
      assert.equal(bar.readUInt32LE(0x3800), 0, 'no TX ring handed over after a failed reset');
      const config = await readFile(join(dir, 'config'));
      assert.equal(config.readUInt16LE(4), 0x0400, 'command register restored');
    });
  });

  describe('dom0-canary', () => {
    it('refuses clearly when not in a Xen domain (exit 3)', () => {
      const r = run(canary, ['--hypervisor-dir', join(bin, 'none')]);
      assert.equal(r.code, 3);
      assert.match(r.stderr, /not a Xen domain .* the canary needs a Xen PV dom0/);
      assert.match(parseCanaryOutput(r.stdout).error ?? '', /not a Xen domain/);
    });

    it('refuses an HVM or PVH domain, whose frames are not machine frames', async () => {
      const f = await fakePciDevice('10d3');
      fakes.push(f);
      const { writeFile } = await import('node:fs/promises');
      await writeFile(join(f.root, 'type'), 'xen\n');
      for (const kind of ['HVM', 'PVH']) {
        await writeFile(join(f.root, 'guest_type'), `${kind}\n`);
        const r = run(canary, ['--hypervisor-dir', f.root]);
        assert.equal(r.code, 3);
        assert.match(r.stderr, new RegExp(`a Xen ${kind} domain: its frames are guest-physical`));
      }
      await writeFile(join(f.root, 'guest_type'), 'PV\n');
      const r = run(canary, ['--hypervisor-dir', f.root, '--privcmd', join(f.root, 'no-privcmd')]);
      assert.equal(r.code, 4);
      assert.match(r.stderr, /cannot open privcmd/);
    });
  });
});
