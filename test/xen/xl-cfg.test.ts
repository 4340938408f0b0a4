import assert from 'node:assert/strict';
import { UsageError } from '../../lib/core/errors.ts';
import { buildXlCfg, type XlCfgSpec, xlQuote } from '../../lib/xen/xl-cfg.ts';
import { readXlCfg } from './xl-cfg-lexer.ts';

const PV: XlCfgSpec = {
  name: 'guest-pv',
  type: 'pv',
  memoryMiB: 512,
  vcpus: 1,
  kernel: '/var/lib/iommu-lab/vmlinuz',
  ramdisk: '/var/lib/iommu-lab/guest.cpio',
  extra: 'console=hvc0 quiet',
  pci: ['02:00.0'],
  vifs: ['bridge=xenbr0'],
};

describe('xen/xl-cfg', () => {
  it('writes a PV guest that reads back as given', () => {
    const cfg = buildXlCfg(PV);
    assert.deepEqual(readXlCfg(cfg), {
      name: 'guest-pv',
      memory: '512',
      vcpus: '1',
      kernel: '/var/lib/iommu-lab/vmlinuz',
      ramdisk: '/var/lib/iommu-lab/guest.cpio',
      extra: 'console=hvc0 quiet',
      vif: ['bridge=xenbr0'],
      pci: ['02:00.0'],
    });
    assert.ok(!/^builder/m.test(cfg));
  });

  it('writes an HVM guest with disks, serial, TCG extras and passthrough', () => {
    const cfg = buildXlCfg({
      name: 'guest-hvm',
      type: 'hvm',
      memoryMiB: 1024,
      vcpus: 2,
      disks: ['/root/debian.iso,,hdc,cdrom', '/dev/vg0/debian,,hdb,rw'],
      pci: ['0000:02:00.0,permissive=1'],
      tscMode: 'native',
      cpuid: 'host,rdtscp=0',
      settings: { on_crash: 'destroy' },
    });
    const r = readXlCfg(cfg);
    assert.equal(r.builder, 'hvm');
    assert.equal(r.vnc, '0');
    assert.equal(r.serial, 'pty');
    assert.deepEqual(r.disk, ['/root/debian.iso,,hdc,cdrom', '/dev/vg0/debian,,hdb,rw']);
    assert.deepEqual(r.pci, ['0000:02:00.0,permissive=1']);
    assert.equal(r.tsc_mode, 'native');
    assert.equal(r.cpuid, 'host,rdtscp=0');
    assert.equal(r.on_crash, 'destroy');
  });

  it('writes an HVM guest that direct-boots a kernel (qemu-xen loads it, no disk)', () => {
    const r = readXlCfg(
      buildXlCfg({
        name: 'iommu-lab-hvm',
        type: 'hvm',
        memoryMiB: 256,
        vcpus: 1,
        kernel: '/usr/lib/iommu-lab/guest/vmlinuz',
        ramdisk: '/usr/lib/iommu-lab/guest/initrd.gz',
        cmdline: 'console=ttyS0',
        pci: ['02:00.0'],
      }),
    );
    assert.equal(r.builder, 'hvm');
    assert.equal(r.kernel, '/usr/lib/iommu-lab/guest/vmlinuz');
    assert.equal(r.ramdisk, '/usr/lib/iommu-lab/guest/initrd.gz');
    assert.equal(r.cmdline, 'console=ttyS0');
    assert.equal(r.extra, undefined);
  });

  it('refuses an HVM ramdisk without a kernel', () => {
    assert.throws(
      () => buildXlCfg({ name: 'h', type: 'hvm', memoryMiB: 256, vcpus: 1, ramdisk: '/r.gz' }),
      /needs a kernel/,
    );
  });

  it('keeps quotes, backslashes, newlines and control bytes inside one value', () => {
    const nasty = `a "quoted" 'x' \\ back\nname = "evil"\r\t\x01end`;
    const cfg = buildXlCfg({ ...PV, extra: nasty, kernel: '/k"; rm -rf /' });
    const r = readXlCfg(cfg);
    assert.equal(r.extra, nasty);
    assert.equal(r.kernel, '/k"; rm -rf /');
    assert.equal(r.name, 'guest-pv');
    assert.equal(cfg.split('\n').filter(Boolean).length, Object.keys(r).length);
    assert.equal(xlQuote('x'), '"x"');
  });

  for (const [why, spec] of [
    ['an empty name', { ...PV, name: '' }],
    ['a name with a space', { ...PV, name: 'a b' }],
    ['an all-digit name', { ...PV, name: '42' }],
    ['a bad BDF', { ...PV, pci: ['2:0.0'] }],
    ['a BDF with shell', { ...PV, pci: ['02:00.0;reboot'] }],
    ['zero vcpus', { ...PV, vcpus: 0 }],
    ['tiny memory', { ...PV, memoryMiB: 1 }],
    ['a PV guest without kernel', { ...PV, kernel: undefined }],
    ['an unknown type', { ...PV, type: 'pvh' as 'pv' }],
    ['a bad setting name', { ...PV, settings: { 'bad key': 'x' } }],
    ['a duplicate setting', { ...PV, settings: { name: 'x' } }],
    ['a NUL byte', { ...PV, extra: 'a\0b' }],
  ] as [string, XlCfgSpec][]) {
    it(`refuses ${why}`, () => {
      assert.throws(() => buildXlCfg(spec), UsageError);
    });
  }
});
