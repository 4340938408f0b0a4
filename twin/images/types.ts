/** What `twin setup` produces; the twin runtime and the suites consume it. */
export interface TwinImages {
  /** Cache key (hash of package versions and build scripts). */
  key: string;
  dir: string;
  /** What the twin rig's boot server serves: xen, vmlinuz, dom0.cpio (no iPXE script: lib/pxe renders it). */
  bootDir: string;
  xen: string;
  dom0Kernel: string;
  dom0Initrd: string;
  /** PV guest: kernel + small initramfs (busybox, iperf3, dropbear, xen-pcifront, e1000e, igb). */
  guestKernel: string;
  guestInitrd: string;
  /** SeaBIOS payload put into the twin's CBFS firmware images. */
  seabios: string;
  xenVersion: string;
  kernelVersion: string;
}
