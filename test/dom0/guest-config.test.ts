// The guest's xl.cfg from the rig: PV guests and direct-booted HVM guests get the kernel files,
// an HVM guest with a boot disk gets the disk as the device model's virtio disk and no kernel.
import assert from 'node:assert/strict';
import { guestConfig, virtioBootDisk } from '../../lib/dom0/guest-config.ts';
import type { Rig } from '../../lib/rig/schema.ts';
import { readXlCfg } from '../xen/xl-cfg-lexer.ts';

function rigWith(hvm: Record<string, unknown> | undefined): Rig {
  return {
    name: 'scripted',
    guests: {
      types: ['hvm', 'pv'],
      memoryMiB: 256,
      kernel: '/usr/lib/iommu-lab/guest/vmlinuz',
      ramdisk: '/usr/lib/iommu-lab/guest/initrd.gz',
      bootTimeoutMs: 60_000,
      hvm,
    },
  } as unknown as Rig;
}

describe('dom0/guest-config', () => {
  it('an HVM guest with a boot disk boots it from the device model, with no kernel, ramdisk or cmdline', () => {
    const cfg = readXlCfg(
      guestConfig(rigWith({ bootDisk: '/usr/lib/iommu-lab/guest/hvm-boot.img', tscMode: 'native' }), {
        name: 'iommu-lab-hvm',
        type: 'hvm',
        pci: ['02:00.0'],
      }),
    );
    assert.equal(cfg.builder, 'hvm');
    assert.equal(cfg.kernel, undefined);
    assert.equal(cfg.ramdisk, undefined);
    assert.equal(cfg.cmdline, undefined);
    assert.equal(cfg.boot, 'c');
    assert.equal(cfg.tsc_mode, 'native');
    assert.deepEqual(cfg.device_model_args_hvm, [
      '-drive',
      'file=/usr/lib/iommu-lab/guest/hvm-boot.img,if=none,id=iommulab-boot,format=raw,readonly=on',
      '-device',
      'virtio-blk-pci,drive=iommulab-boot,bootindex=0',
    ]);
    assert.deepEqual(cfg.pci, ['02:00.0']);
  });

  it('an HVM guest of a rig without an hvm section boots its disk, not the PV kernel', () => {
    const rig = rigWith(undefined);
    rig.guests!.disk = 'format=raw, vdev=hda, access=rw, target=/dev/vg0/hvm';
    const cfg = readXlCfg(guestConfig(rig, { name: 'h', type: 'hvm', pci: [] }));
    assert.equal(cfg.kernel, undefined);
    assert.equal(cfg.cmdline, undefined);
    assert.deepEqual(cfg.disk, ['format=raw, vdev=hda, access=rw, target=/dev/vg0/hvm']);
  });

  it('an HVM guest with an hvm section but no boot disk is direct-booted with the rig cmdline (default console=ttyS0)', () => {
    const plain = readXlCfg(guestConfig(rigWith({}), { name: 'h', type: 'hvm', pci: [] }));
    assert.equal(plain.kernel, '/usr/lib/iommu-lab/guest/vmlinuz');
    assert.equal(plain.ramdisk, '/usr/lib/iommu-lab/guest/initrd.gz');
    assert.equal(plain.cmdline, 'console=ttyS0');
    assert.equal(plain.device_model_args_hvm, undefined);
    assert.equal(plain.boot, undefined);
    const quiet = readXlCfg(
      guestConfig(rigWith({ cmdline: 'console=ttyS0 quiet' }), { name: 'h', type: 'hvm', pci: [] }),
    );
    assert.equal(quiet.cmdline, 'console=ttyS0 quiet');
  });

  it('a PV guest keeps its kernel even when the rig has an HVM boot disk', () => {
    const cfg = readXlCfg(
      guestConfig(rigWith({ bootDisk: '/usr/lib/iommu-lab/guest/hvm-boot.img' }), {
        name: 'p',
        type: 'pv',
        pci: ['02:00.0'],
      }),
    );
    assert.equal(cfg.kernel, '/usr/lib/iommu-lab/guest/vmlinuz');
    assert.equal(cfg.extra, 'console=hvc0 quiet');
    assert.equal(cfg.device_model_args_hvm, undefined);
    assert.equal(cfg.vga, undefined);
  });

  it("refuses a disk path that would add options to qemu's -drive", () => {
    assert.throws(() => virtioBootDisk('/a.img,file=/etc/shadow'), /not safe/);
    assert.throws(() => virtioBootDisk('relative.img'), /not safe/);
  });
});
