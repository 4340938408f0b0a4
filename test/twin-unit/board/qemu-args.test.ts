import assert from 'node:assert/strict';
import { lateNics, type MachineOptions, qemuArgs } from '../../../twin/board/qemu-args.ts';

const base: MachineOptions = {
  payload: '/run/bios.bin',
  iommu: true,
  qmpSocket: '/run/qmp.sock',
  serialSocket: '/run/serial.sock',
  memoryMiB: 3072,
  smp: 2,
  accel: 'tcg',
  ports: { dom0Ssh: 2223, guestSsh: 2224 },
};
const devices = (args: string[]) => args.flatMap((a, i) => (args[i - 1] === '-device' ? [a] : []));
const opt = (args: string[], name: string) => args[args.indexOf(name) + 1];

describe('twin QEMU command line', () => {
  it('iommu1: an AMD IOMMU with interrupt remapping; iommu0: none at all', () => {
    assert.ok(devices(qemuArgs(base)).includes('amd-iommu,intremap=on'));
    assert.ok(!devices(qemuArgs({ ...base, iommu: false })).some((d) => d.startsWith('amd-iommu')));
  });

  it('late-plug (default): only NIC0 on the command line, NIC1/NIC2 left for QMP device_add into rp2/rp3', () => {
    const args = qemuArgs(base);
    const nics = devices(args).filter((d) => d.startsWith('e1000e'));
    assert.deepEqual(
      nics.map((d) => /bus=(rp\d)/.exec(d)?.[1]),
      ['rp1'],
    );
    const late = lateNics(base);
    assert.deepEqual(
      late.map((d) => [d.bus, d.netdev, d.mac, d.romfile]),
      [
        ['rp2', 'n1', '00:0d:b9:00:00:02', ''],
        ['rp3', 'n2', '00:0d:b9:00:00:03', ''],
      ],
    );
    // Their netdevs and root ports exist from the start, so the plug only adds the device.
    assert.equal(devices(args).filter((d) => d.startsWith('pcie-root-port')).length, 3);
    assert.equal(args.filter((_, i) => args[i - 1] === '-netdev').length, 3);
  });

  it('cold-plug (leaky control): three e1000e behind root ports, apu2 MACs, dom0 and guest SSH forwarded', () => {
    const args = qemuArgs({ ...base, pciLayout: 'cold-plug' });
    assert.deepEqual(lateNics({ pciLayout: 'cold-plug' }), []);
    const nics = devices(args).filter((d) => d.startsWith('e1000e'));
    assert.deepEqual(
      nics.map((d) => /bus=(rp\d)/.exec(d)?.[1]),
      ['rp1', 'rp2', 'rp3'],
    );
    assert.ok(nics.every((d) => /mac=00:0d:b9:/.test(d)));
    const netdevs = args.filter((_, i) => args[i - 1] === '-netdev');
    assert.match(netdevs[0], /hostfwd=tcp:127\.0\.0\.1:2223-:22/);
    assert.match(netdevs[1], /hostfwd=tcp:127\.0\.0\.1:2224-:22/);
  });

  it('no network boot unless this boot chose it: NIC ROM empty and no bootindex', () => {
    const off = devices(qemuArgs({ ...base, pciLayout: 'cold-plug' })).filter((d) => d.startsWith('e1000e'));
    assert.ok(off.every((d) => d.includes('romfile=,') || d.endsWith('romfile=')));
    assert.ok(off.every((d) => !d.includes('bootindex')));
    const on = devices(qemuArgs({ ...base, pxeRom: '/run/pxe.rom' }));
    assert.ok(on.some((d) => d.includes('romfile=/run/pxe.rom') && d.includes('bootindex=1') && d.includes('bus=rp1')));
  });

  it('GX-412TC-shaped CPU without the flags that break Xen/dom0 under TCG; starts paused; payload as -bios', () => {
    const args = qemuArgs(base);
    const cpu = opt(args, '-cpu');
    assert.match(cpu, /family=22,model=48/);
    for (const f of ['smap', 'smep', 'monitor', 'avx2']) assert.ok(cpu.includes(`-${f}`), f);
    assert.ok(args.includes('-S'));
    assert.equal(opt(args, '-bios'), '/run/bios.bin');
    assert.equal(opt(args, '-accel'), 'tcg');
    assert.match(opt(args, '-M'), /graphics=off/);
  });

  it('keeps CMPXCHG16B: Xen >= 4.20 disables the AMD IOMMU on a CPU without cx16', () => {
    // xen-project/xen RELEASE-4.20.0 xen/drivers/passthrough/amd/pci_amd_iommu.c iov_detect() and
    // iommu_intr.c iov_supports_xt(): "no CMPXCHG16B support, disabling IOMMU" (not in 4.17.0).
    // QEMU's EPYC model has cx16 (so does the GX-412TC); the twin must never take it away.
    const cpu = opt(qemuArgs(base), '-cpu');
    assert.match(cpu, /^EPYC,/);
    assert.doesNotMatch(cpu, /(^|,)-cx16(,|$)|cx16=off/);
  });

  it('escapes commas in paths given to QEMU options', () => {
    const args = qemuArgs({ ...base, serialSocket: '/run/s,1' });
    assert.ok(args.some((a) => a.includes('path=/run/s,,1,')));
  });

  it("offers no TFTP boot: the network boot's only way in is the HTTP chain typed at iPXE's shell", () => {
    const netdevs = qemuArgs({ ...base, pxeRom: '/run/pxe.rom' }).filter((a) => a.startsWith('user,'));
    assert.equal(netdevs.length, 3);
    for (const n of netdevs) assert.doesNotMatch(n, /tftp=|bootfile=/);
  });

  describe('Dasharo UEFI', () => {
    const smbios = {
      vendor: '3mdeb',
      version: 'Dasharo (coreboot+UEFI) v0.9.1',
      date: '11/27/2025',
      manufacturer: 'PC Engines',
      product: 'apu2',
    };
    const uefi: MachineOptions = { ...base, payload: '/run/ovmf-code.fd', uefi: { vars: '/run/vars.fd', smbios } };

    it('OVMF from pflash (code read-only, a writable variable copy), no -bios; SMBIOS as Dasharo writes it', () => {
      const args = qemuArgs(uefi);
      assert.ok(!args.includes('-bios'));
      assert.deepEqual(
        args.flatMap((a, i) => (args[i - 1] === '-drive' ? [a] : [])),
        ['if=pflash,format=raw,readonly=on,file=/run/ovmf-code.fd', 'if=pflash,format=raw,file=/run/vars.fd'],
      );
      assert.deepEqual(
        args.flatMap((a, i) => (args[i - 1] === '-smbios' ? [a] : [])),
        [
          'type=0,vendor=3mdeb,version=Dasharo (coreboot+UEFI) v0.9.1,date=11/27/2025',
          'type=1,manufacturer=PC Engines,product=apu2',
        ],
      );
      assert.ok(devices(args).includes('amd-iommu,intremap=on'));
    });

    it('no network boot: NIC0 without ROM and QEMU offers no TFTP at all', () => {
      const args = qemuArgs(uefi);
      const nic0 = devices(args).find((d) => d.includes('id=nic0'));
      assert.match(nic0 ?? '', /romfile=$/);
      assert.doesNotMatch(opt(args, '-netdev'), /tftp=|bootfile=/);
    });

    it('iPXE Network Boot: the EFI ROM first in boot order; TFTP offers only the script dir', () => {
      const network = { efiRom: '/run/efi.rom', tftpDir: '/run/uefi-tftp', bootfile: 'dasharo.ipxe' };
      const args = qemuArgs({ ...uefi, uefi: { ...uefi.uefi!, network } });
      const nic0 = devices(args).find((d) => d.includes('id=nic0'));
      assert.match(nic0 ?? '', /romfile=\/run\/efi\.rom,bootindex=1$/);
      assert.match(opt(args, '-netdev'), /^user,id=n0,hostfwd=[^,]+,tftp=\/run\/uefi-tftp,bootfile=dasharo\.ipxe$/);
      assert.ok(!args.includes('-kernel'), 'no SeaBIOS-style iPXE kernel');
    });
  });
});
