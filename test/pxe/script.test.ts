// The script and the typed commands: rig values stay on their own line.
import assert from 'node:assert/strict';
import { isUsageError } from '../../lib/core/errors.ts';
import { renderBootScript, shellCommands } from '../../lib/pxe/script.ts';

const paths = { xen: '/xen', dom0Kernel: '/dom0/kernel', dom0Initrd: '/dom0/initrd' };
const input = { base: 'http://10.0.0.9:8080', xenCommandLine: 'iommu=verbose', dom0CommandLine: 'console=hvc0', paths };

describe('pxe/script', () => {
  it('renders kernel, module and boot lines from the rig', () => {
    assert.equal(
      renderBootScript(input),
      '#!ipxe\nkernel http://10.0.0.9:8080/xen iommu=verbose\nmodule http://10.0.0.9:8080/dom0/kernel console=hvc0\nmodule http://10.0.0.9:8080/dom0/initrd\nboot\n',
    );
  });

  it('refuses a command line that would add an iPXE command, without echoing control bytes', () => {
    for (const bad of [
      { xenCommandLine: 'iommu=verbose\nshell' },
      { dom0CommandLine: 'console=hvc0\r\nreboot' },
      { base: 'http://h:1\x1b[2J' },
    ]) {
      assert.throws(
        () => renderBootScript({ ...input, ...bad }),
        (e: Error) =>
          isUsageError(e) && /holds a newline or control character/.test(e.message) && !/[\n\r\x1b]/.test(e.message),
      );
    }
  });

  it('types dhcp on one NIC (net0 unless told), then chain of the URL; a URL with a newline or a bad NIC is refused', () => {
    assert.deepEqual(shellCommands('http://10.0.0.9:8080/boot.ipxe'), [
      'dhcp net0',
      'chain http://10.0.0.9:8080/boot.ipxe',
    ]);
    assert.deepEqual(shellCommands('http://x/a', 'net2'), ['dhcp net2', 'chain http://x/a']);
    assert.throws(
      () => shellCommands('http://x/a', 'net0; shell'),
      /boot\.network\.interface: .* not an iPXE network device/,
    );
    assert.throws(() => shellCommands('http://x/a.ipxe\nshell'), /boot\.network\.chain: .* refused in an iPXE line/);
    // Values that reach here without the schema (a provider, a test): the same iPXE hazards refused.
    assert.throws(
      () => shellCommands('http://x/a.ipxe ; shell'),
      /"; " would start a second iPXE command|";" would start/,
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: iPXE's own ${…} syntax, on purpose
    assert.throws(() => shellCommands('http://x/${ip}/a.ipxe'), /would be expanded by iPXE as a setting/);
  });
});
