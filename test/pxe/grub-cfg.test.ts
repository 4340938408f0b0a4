// grub.cfg and the stub from rig values: every value one single-quoted GRUB word, nothing GRUB
// would expand, split or re-escape on its way to Xen.
import assert from 'node:assert/strict';
import { isUsageError } from '../../lib/core/errors.ts';
import { grubArgs, grubHttpDrive, grubQuote, renderGrubCfg, renderGrubStub } from '../../lib/pxe/grub-cfg.ts';

const paths = { xen: '/xen', dom0Kernel: '/dom0/kernel', dom0Initrd: '/dom0/initrd' };
const input = {
  base: 'http://10.0.0.9:8080',
  xenCommandLine: 'iommu=verbose,debug loglvl=all conring_size=4M',
  dom0CommandLine: 'console=hvc0',
  paths,
};

describe('pxe/grub-cfg', () => {
  it('renders multiboot2 Xen with the rig command line word by word, dom0 kernel and initramfs as module2, then boot', () => {
    assert.equal(
      renderGrubCfg(input),
      [
        "echo 'iommu-lab: multiboot2 Xen'",
        "multiboot2 '(http,10.0.0.9:8080)/xen' 'iommu=verbose,debug' 'loglvl=all' 'conring_size=4M'",
        "module2 '(http,10.0.0.9:8080)/dom0/kernel' 'console=hvc0'",
        "module2 '(http,10.0.0.9:8080)/dom0/initrd'",
        'boot',
        '',
      ].join('\n'),
    );
  });

  it('keeps $, ;, {, # and spaces-between-words literal: single quotes, one word each', () => {
    assert.equal(grubArgs('x', 'a=$root;reboot  {b} #c'), "'a=$root;reboot' '{b}' '#c'");
    const expansion = `$${'{prefix}'}/x`; // GRUB's ${prefix}, written so no linter reads a template
    assert.equal(grubQuote('x', expansion), `'${expansion}'`);
  });

  it("escapes a single quote the only way GRUB allows: close, \\', reopen", () => {
    assert.equal(grubQuote('x', "it's"), "'it'\\''s'");
  });

  it('refuses newlines and control characters, without echoing them', () => {
    for (const bad of [
      { xenCommandLine: 'iommu=verbose\nreboot' },
      { dom0CommandLine: 'console=hvc0\r' },
      { xenCommandLine: 'a\tb' },
    ])
      assert.throws(
        () => renderGrubCfg({ ...input, ...bad }),
        (e: Error) => isUsageError(e) && /newline or control character/.test(e.message) && !/[\n\r\t]/.test(e.message),
      );
  });

  it('refuses a word with a quote or backslash: GRUB re-escapes it before Xen reads it (lib/cmdline.c)', () => {
    for (const bad of ['dom0_mem="1G"', "x='y'", 'a\\b'])
      assert.throws(
        () => renderGrubCfg({ ...input, xenCommandLine: `iommu=verbose ${bad}` }),
        (e: Error) => isUsageError(e) && /boot\.xenCommandLine: the word .* holds a quote or backslash/.test(e.message),
      );
  });

  it('names the server as (http,host:port), and refuses anything but a plain http://host:port', () => {
    assert.equal(grubHttpDrive('http://[fd00::9]:8080'), '(http,[fd00::9]:8080)');
    for (const bad of ['https://h:1', 'http://h:1/sub', 'http://u@h:1', 'http://h:1/?x=1'])
      assert.throws(
        () => grubHttpDrive(bad),
        (e: Error) => isUsageError(e) && /plain http:\/\/host:port/.test(e.message),
      );
  });

  it('the stub brings the network up unless iPXE left an address, then sources the run grub.cfg', () => {
    const stub = renderGrubStub('http://10.0.0.9:8080');
    assert.match(stub, /^if \[ -z "\$net_default_ip" \]; then net_bootp; fi$/m);
    assert.match(stub, /^source '\(http,10\.0\.0\.9:8080\)\/efi\/grub\.cfg'$/m);
  });
});
