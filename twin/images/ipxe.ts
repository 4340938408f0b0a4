// The iPXE script the twin's first NIC runs from QEMU's TFTP server. The Xen command line
// comes from the rig (boot.xenCommandLine) so the runtime can re-render it per run.

/** What the apu2 blog setup and docs/twin.md use; every IOMMU message at full verbosity. */
export const DEFAULT_XEN_COMMAND_LINE =
  'console=com1 com1=115200,8n1 dom0_mem=1024M,max:1024M dom0_max_vcpus=1 iommu=verbose,debug loglvl=all guest_loglvl=all conring_size=1M';

/** dom0 Linux: console on Xen's hvc0; a panic reboots (QEMU runs with -no-reboot, so it stops). */
export const DOM0_COMMAND_LINE = 'console=hvc0 panic=-1';

export const TFTP_FILES = { script: 'boot.ipxe', xen: 'xen', kernel: 'vmlinuz', initrd: 'dom0.cpio' } as const;

export function renderIpxeScript(xenCommandLine = DEFAULT_XEN_COMMAND_LINE, dom0CommandLine = DOM0_COMMAND_LINE) {
  for (const [what, v] of [
    ['Xen', xenCommandLine],
    ['dom0', dom0CommandLine],
  ]) {
    // One script line per command: a newline would let a rig value inject iPXE commands.
    if (/[\r\n]/.test(v)) throw new Error(`${what} command line must be a single line`);
  }
  return [
    '#!ipxe',
    `kernel tftp://\${next-server}/${TFTP_FILES.xen} ${xenCommandLine}`.trimEnd(),
    `module tftp://\${next-server}/${TFTP_FILES.kernel} ${dom0CommandLine}`.trimEnd(),
    `module tftp://\${next-server}/${TFTP_FILES.initrd}`,
    'boot',
    '',
  ].join('\n');
}
