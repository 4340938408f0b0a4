// The HVM boot disk, built for real with mkfs.fat, syslinux and mtools: a FAT volume whose boot
// sector is SYSLINUX's, holding the kernel, the initramfs and a syslinux.cfg that boots them.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exec } from '../../lib/core/exec.ts';
import { buildHvmBootDisk, HVM_BOOT_CMDLINE, renderSyslinuxCfg } from '../../lib/images/hvm-boot-disk.ts';
import { tempDir } from '../helpers/temp-dir.ts';

describe('images/hvm-boot-disk', () => {
  it('builds a SYSLINUX FAT disk with the kernel, the initramfs and a config that boots them at once', async () => {
    const dir = tempDir('hvm-boot-disk-');
    const kernel = join(dir, 'vmlinuz');
    const initrd = join(dir, 'initrd.gz');
    writeFileSync(kernel, Buffer.alloc(300_000, 7));
    writeFileSync(initrd, Buffer.alloc(200_000, 9));
    const out = join(dir, 'hvm-boot.img');
    await buildHvmBootDisk(out, { kernel, initrd, work: dir });
    const img = readFileSync(out);
    assert.equal(img.readUInt16LE(510), 0xaa55, 'no boot signature: SeaBIOS would not boot it');
    assert.match(img.subarray(0, 512).toString('latin1'), /SYSLINUX/, 'the boot sector is not SYSLINUX');
    const dirList = await exec(['mdir', '-a', '-b', '-i', out, '::']);
    assert.equal(dirList.exitCode, 0, dirList.stderr);
    for (const f of ['LDLINUX.SYS', 'VMLINUZ', 'INITRD.GZ', 'SYSLINUX.CFG'])
      assert.match(dirList.stdout.toUpperCase(), new RegExp(`::/${f.replace('.', '\\.')}\\b`), `${f} missing`);
    const back = await exec(['mtype', '-i', out, '::VMLINUZ']);
    assert.equal(back.stdout.length, 300_000, 'the kernel did not go in whole');
    const cfg = await exec(['mtype', '-i', out, '::SYSLINUX.CFG']);
    assert.equal(cfg.stdout, renderSyslinuxCfg(HVM_BOOT_CMDLINE));
    assert.match(cfg.stdout, /^TIMEOUT 0$/m, 'a boot prompt would wait');
    assert.match(cfg.stdout, /^ {2}APPEND console=ttyS0 quiet$/m);
  });

  it('refuses a command line that would add lines to syslinux.cfg', () => {
    assert.throws(() => renderSyslinuxCfg('quiet\nLABEL evil'), /one line/);
  });
});
