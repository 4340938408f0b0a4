// Boots the built images on plain QEMU (the machine in docs/twin.md, `-kernel xen`, no iommu-lab
// runtime) and checks what the suites rely on: Xen enables the AMD IOMMU, dom0 reaches its
// marker and answers SSH with the pinned host key, and a PV guest gets 02:00.0 and answers SSH.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check } from '../../lib/core/exec.ts';
import { sleep } from '../../lib/core/time.ts';
import { DOM0_GUEST_PATHS } from '../../lib/images/dom0.ts';
import type { LocalLock } from '../../lib/lock/local.ts';
import { acquireLock, isTwinDaemon, lockHolder, releaseLock } from '../../twin/base/lock.ts';
import { twinPaths, twinPorts } from '../../twin/base/paths.ts';
import { twinDown } from '../../twin/daemon/manage.ts';
import { DOM0_COMMAND_LINE } from '../../twin/images/boot-files.ts';
import { DEFAULT_XEN_COMMAND_LINE, ensureTwinImages, type TwinImages } from '../../twin/images/index.ts';
import { twinKeyPaths } from '../../twin/images/keys.ts';
import { holdTwinBench } from '../../twin/tools/bench-lock.ts';

const CPU =
  'EPYC,family=22,model=48,stepping=1,model-id=AMD GX-412TC SOC,-smap,-smep,-monitor,-avx2,-bmi2,-fma,-adx,-rdseed,-sha-ni,-fsgsbase,-clflushopt,-rdrand,-xsavec';

function qemuArgs(img: TwinImages, serialLog: string, dom0Port: number, guestPort: number): string[] {
  const nic = (n: number, bus: string, mac: string, fwd: string) => [
    '-netdev',
    `user,id=n${n}${fwd}`,
    '-device',
    `e1000e,netdev=n${n},bus=${bus},mac=${mac},romfile=`,
  ];
  return [
    ...['-accel', 'tcg', '-M', 'q35,kernel-irqchip=split,graphics=off', '-smp', '2', '-m', '3072', '-cpu', CPU],
    ...['-vga', 'none', '-display', 'none', '-nodefaults', '-device', 'amd-iommu,intremap=on'],
    ...['-device', 'pcie-root-port,id=rp1,bus=pcie.0,chassis=1,addr=1c.0,multifunction=on'],
    ...['-device', 'pcie-root-port,id=rp2,bus=pcie.0,chassis=2,addr=1c.1'],
    ...['-device', 'pcie-root-port,id=rp3,bus=pcie.0,chassis=3,addr=1c.2'],
    ...nic(0, 'rp1', '00:0d:b9:00:00:01', `,hostfwd=tcp:127.0.0.1:${dom0Port}-:22`),
    ...nic(1, 'rp2', '00:0d:b9:00:00:02', `,hostfwd=tcp:127.0.0.1:${guestPort}-:22`),
    ...nic(2, 'rp3', '00:0d:b9:00:00:03', ''),
    ...['-kernel', img.xen, '-append', DEFAULT_XEN_COMMAND_LINE],
    ...['-initrd', `${img.dom0Kernel} ${DOM0_COMMAND_LINE},${img.dom0Initrd}`],
    ...['-serial', `file:${serialLog}`, '-no-reboot'],
  ];
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** ssh with the twin's client key, checking the host key pinned for `alias` (the twin's port). */
function ssh(port: number, aliasPort: number, command: string, timeoutMs = 60_000) {
  const k = twinKeyPaths();
  return check(
    [
      'ssh',

      ...['-i', k.client, '-o', `UserKnownHostsFile=${k.knownHosts}`, '-o', `HostKeyAlias=[127.0.0.1]:${aliasPort}`],
      ...['-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-p', String(port)],
      ...['root@127.0.0.1', command],
    ],
    { timeoutMs },
  );
}

async function waitFor(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await probe()) return;
    await sleep(1000);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

describe('twin images boot on QEMU', function () {
  this.timeout(20 * 60_000);
  const dir = mkdtempSync(join(tmpdir(), 'twin-images-boot-'));
  const serialLog = join(dir, 'serial.log');
  const serial = (): string => {
    try {
      return readFileSync(serialLog, 'latin1');
    } catch {
      return '';
    }
  };
  let qemu: ChildProcess | undefined;
  let locked = false;
  let bench: LocalLock | undefined;
  let dom0Port = 0;
  let guestPort = 0;

  before(async () => {
    const img = (await ensureTwinImages()).images;
    // One emulated machine per host (docs/twin.md). Hold the bench like a session would, then stop an
    // idle twin daemon (earlier tests leave it up; it restarts on demand) instead of waiting on it.
    bench = await holdTwinBench();
    const holder = lockHolder(twinPaths.lock);
    if (holder && isTwinDaemon(holder)) await twinDown();
    await waitFor('the twin lock', 10 * 60_000, async () => {
      try {
        acquireLock(twinPaths.lock);
        locked = true;
      } catch {}
      return locked;
    });
    dom0Port = await freePort();
    guestPort = await freePort();
    const started = Date.now();
    qemu = spawn('qemu-system-x86_64', qemuArgs(img, serialLog, dom0Port, guestPort), { stdio: 'ignore' });
    await waitFor('iommu-lab: dom0 ready', 6 * 60_000, async () => {
      if (/Kernel panic|\(XEN\) Panic/.test(serial())) throw new Error(`boot failed:\n${serial().slice(-2000)}`);
      return serial().includes('iommu-lab: dom0 ready');
    });
    // A figure for the report, not an assertion (timing belongs in bench/).
    console.log(`      QEMU start → dom0 ready: ${Date.now() - started} ms (-kernel, no PXE)`);
  });

  after(async () => {
    if (qemu?.pid) qemu.kill('SIGKILL');
    if (locked) releaseLock(twinPaths.lock);
    await bench?.release();
    rmSync(dir, { recursive: true, force: true });
  });

  it('Xen enables the emulated AMD IOMMU', () => {
    assert.match(serial(), /AMD-Vi: IOMMU 0 Enabled\./);
    assert.match(serial(), /I\/O virtualisation enabled/);
  });

  it('dom0 answers xl info over SSH with its pinned host key', async () => {
    const r = await ssh(dom0Port, twinPorts.dom0Ssh, 'xl info');
    assert.match(r.stdout, /^xen_version\s+:\s+4\.17\./m);
    assert.match(r.stdout, /^virt_caps\s+:.*\bpv_directio\b/m);
  });

  it('dom0 configured only the first NIC', async () => {
    const r = await ssh(
      dom0Port,
      twinPorts.dom0Ssh,
      'for d in /sys/bus/pci/devices/0000:0[123]:00.0/net/*; do echo "$(basename "$(dirname "$(dirname "$d")")") $(ip -4 -o addr show dev "$(basename "$d")" | wc -l)"; done',
    );
    assert.match(r.stdout, /0000:01:00\.0 1/);
    assert.match(r.stdout, /0000:02:00\.0 0/);
    assert.match(r.stdout, /0000:03:00\.0 0/);
  });

  it('a PV guest gets 02:00.0 and answers SSH on the forwarded port', async () => {
    await ssh(dom0Port, twinPorts.dom0Ssh, 'modprobe xen-pciback && xl pci-assignable-add 02:00.0');
    const list = await ssh(dom0Port, twinPorts.dom0Ssh, 'xl pci-assignable-list');
    assert.match(list.stdout, /0000:02:00\.0/);
    await ssh(dom0Port, twinPorts.dom0Ssh, `xl create ${DOM0_GUEST_PATHS.exampleConfig}`, 120_000);
    const log = '/var/log/xen/console/guest-iommu-lab-guest.log';
    await waitFor('iommu-lab: guest ready', 5 * 60_000, async () => {
      const r = await ssh(dom0Port, twinPorts.dom0Ssh, `cat ${log} 2>/dev/null || true`);
      if (/Kernel panic/.test(r.stdout)) throw new Error(`guest panicked:\n${r.stdout.slice(-2000)}`);
      return r.stdout.includes('iommu-lab: guest ready');
    });
    const lspci = await ssh(
      guestPort,
      twinPorts.guestSsh,
      'lspci -nn; readlink /sys/bus/pci/devices/0000:00:00.0/driver',
    );
    assert.match(lspci.stdout, /\[8086:10d3\]/);
    assert.match(lspci.stdout, /\/e1000e$/m);
  });
});
