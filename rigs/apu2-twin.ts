// The QEMU digital twin (see twin/): wired exactly like an RTE bench, but every endpoint is
// on loopback. `iommu-lab twin up` (or any run with this rig) starts the twin's services.
import { APU2_FLASH_BYTES, APU2_MODEL, APU2_NICS } from '../lib/rig/boards.ts';
import { defineRig } from '../lib/rig/define.ts';
import { twinGpio } from '../twin/base/gpio-map.ts';
import { twinBenchName, twinPaths, twinPorts } from '../twin/base/paths.ts';
import { BOOT_FILES, DOM0_COMMAND_LINE } from '../twin/images/boot-files.ts';

/** Every twin SSH endpoint (controller, dom0, guest) is root on loopback with the twin's key. */
const twinSsh = (port: number) => ({
  host: '127.0.0.1',
  port,
  user: 'root',
  privateKey: { file: twinPaths.clientKey },
  hostKey: { knownHosts: twinPaths.knownHosts },
});

export default defineRig({
  name: twinBenchName,
  description: 'QEMU apu2 twin: emulated AMD IOMMU, real Xen 4.17 and Debian dom0 (TCG)',
  board: {
    model: APU2_MODEL,
    nics: APU2_NICS,
    flash: { chip: 'MX25L6436E/MX25L6445E/MX25L6465E/MX25L6473E/MX25L6473F', sizeBytes: APU2_FLASH_BYTES },
  },
  // 02:00.0 is plugged after the firmware numbered the buses, so QEMU translates its DMA under
  // its own ID (docs/twin.md, "Which PCI layout"); never pass 01:00.0 through on the twin.
  capabilities: { iommu: true, hvm: true, pv: true, passthroughNic: '02:00.0' },
  firmware: { iommu: true, pxe: true },
  power: {
    kind: 'rte',
    url: `http://127.0.0.1:${twinPorts.power}`,
    relayGpio: twinGpio.relay,
    resetButtonGpio: twinGpio.reset,
    powerButtonGpio: twinGpio.power,
    minOffMs: 500,
  },
  console: { kind: 'tcp', host: '127.0.0.1', port: twinPorts.serial, protocol: 'raw' },
  flasher: {
    where: 'ssh',
    controller: twinSsh(twinPorts.controllerSsh),
    // The twin controller's flashrom maps the RTE's SPI programmer onto flashrom's dummy chip,
    // which answers only while the board sits in S5 (twin/bench.ts), as on a real apu2 + RTE.
    programmer: 'linux_spi:dev=/dev/spidev1.0,spispeed=16000',
    chip: 'MX25L6436E/MX25L6445E/MX25L6465E/MX25L6473E/MX25L6473F',
    // As rigs/apu2-rte.ts (RTE v1.0, no SPI mux): S5, WP released, CMOS cleared after a write.
    powerState: 'S5',
    // Shorter waits than OSFV's: those let a real supply settle and the CMOS well drain; the twin's
    // board changes state on the GPIO edge and has no charge to lose. The hold stays above the
    // 4 s override, which the twin enforces (twin/board/board.ts).
    s5: { powerOnWaitMs: 1000, holdMs: 5000, afterHoldMs: 500 },
    writeProtect: { url: `http://127.0.0.1:${twinPorts.power}`, gpio: twinGpio.wp },
    cmosReset: { url: `http://127.0.0.1:${twinPorts.power}`, gpio: twinGpio.cmos, holdMs: 1000, delayMs: 0 },
    timeoutMs: 60_000,
  },
  boot: {
    // As on a real bench: 'n' at the firmware's prompt, Ctrl-B into iPXE, `dhcp`, then `chain`
    // iommu-lab's own boot server over HTTP (the slirp gateway 10.0.2.2 is this host's loopback).
    // QEMU's iPXE takes input at this speed (docs/twin.md).
    network: { method: 'ipxe-shell', key: 'n', prompt: 'N for PXE boot', charDelayMs: 30 },
    server: {
      listen: { host: '127.0.0.1', port: twinPorts.boot },
      advertise: { host: '10.0.2.2' },
      root: twinPaths.images,
      files: {
        xen: `${twinPaths.currentImages}/boot/${BOOT_FILES.xen}`,
        dom0Kernel: `${twinPaths.currentImages}/boot/${BOOT_FILES.kernel}`,
        dom0Initrd: `${twinPaths.currentImages}/boot/${BOOT_FILES.initrd}`,
      },
      dom0CommandLine: DOM0_COMMAND_LINE,
    },
    // sched=credit: under TCG on a loaded host, credit2 was seen to lose dom0's wakeup during
    // `xl create` (d0v0 runnable, never run, both CPUs idle: docs/twin.md).
    // quarantine=scratch-page: Xen's basic quarantine relies on the IOMMU aborting DMA of a
    // V=1/TV=0 device table entry, which QEMU 7.2 passes through instead; with a scratch page the
    // quarantine is a real translation the emulator honours (docs/twin.md).
    xenCommandLine:
      'console=com1 com1=115200,8n1 dom0_mem=1024M,max:1024M dom0_max_vcpus=1 iommu=verbose,debug,quarantine=scratch-page loglvl=all guest_loglvl=all conring_size=1M sched=credit',
    // The emulated coreboot prints its banner within a second or two even on a loaded host.
    timeoutsMs: { firmware: 20_000, ipxe: 120_000, xen: 120_000, dom0: 240_000 },
    silenceMs: 120_000,
  },
  dom0: twinSsh(twinPorts.dom0Ssh),
  // The default local lock dir: what twin/bench-lock.ts takes for tools that drive the twin directly.
  lock: { kind: 'local' },
  guests: {
    types: ['hvm', 'pv'],
    memoryMiB: 256,
    // Baked into the twin's dom0 by twin/images (a real bench names files on its dom0).
    kernel: '/usr/lib/iommu-lab/guest/vmlinuz',
    ramdisk: '/usr/lib/iommu-lab/guest/initrd.gz',
    bootTimeoutMs: 180_000,
    ssh: twinSsh(twinPorts.guestSsh),
    // TCG has no NRIP-save: without these the HVM guest crash-loops on RDTSCP (docs/twin.md).
    // Nested SVM under TCG is slow: an HVM guest needs minutes, not seconds, to answer SSH.
    hvm: { cmdline: 'console=ttyS0 quiet', tscMode: 'native', cpuid: 'host,rdtscp=0', bootTimeoutMs: 600_000 },
  },
  // QEMU 7.2's AMD-Vi event log is silent (docs/twin.md): a blocked DMA is never reported.
  dma: { faultsExpected: false },
  traffic: {
    peer: { host: '10.0.2.2', port: twinPorts.iperf },
    guestAddress: '10.0.2.15/24',
    seconds: 5,
    measurePv: true,
  },
  // The twin is a software bench: the session brings it up (lib/bench/twin-provider.ts).
  provider: 'twin',
});
