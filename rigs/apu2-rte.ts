// An apu2 wired to a 3mdeb RTE: relay and buttons on RTE GPIOs (REST API on :8000),
// serial through ser2net on the RTE (:13541), flashrom on the RTE over SSH.
import { APU2_FLASH_BYTES, APU2_MODEL, APU2_NICS } from '../lib/rig/boards.ts';
import { defineRig } from '../lib/rig/define.ts';

const RTE = '192.168.10.199';

export default defineRig({
  name: 'apu2-rte',
  description: 'PC Engines apu2c4 on a 3mdeb RTE, PXE-booted Xen dom0',
  board: {
    model: APU2_MODEL,
    nics: APU2_NICS,
    // Not pinned: flashrom probes. Its probe cannot tell these definitions of one JEDEC ID apart
    // and asks for -c; the name OSFV uses for the apu2 (osfv-scripts models/APU2.yml) breaks
    // that tie. A board with another part probes on its own, or names it in flasher.chip.
    flash: { chip: 'W25Q64JV-.Q', sizeBytes: APU2_FLASH_BYTES },
  },
  capabilities: { iommu: true, hvm: true, pv: true, passthroughNic: '02:00.0' },
  firmware: { iommu: true, pxe: true },
  power: {
    kind: 'rte',
    url: `http://${RTE}:8000`,
    relayGpio: 0,
    resetButtonGpio: 8,
    powerButtonGpio: 9,
    // OSFV's power cycle keeps the PSU off 10 s (open-source-firmware-validation keywords.robot
    // "Power Cycle On": Rte Psu Off, Sleep 10s, Rte Psu On).
    minOffMs: 10_000,
  },
  // The RTE's ser2net accepts telnet on 13541 (meta-rte ser2net.yaml `accepter: telnet, tcp,
  // 13541`; older images `13541:telnet:600:/dev/ttyS1:…`, which drops a console idle 600 s:
  // lib/console reconnects); OSFV opens it with Telnet (pcengines.robot).
  console: { kind: 'tcp', host: RTE, port: 13541, protocol: 'telnet' },
  flasher: {
    where: 'ssh',
    controller: {
      host: RTE,
      user: 'root',
      privateKey: { file: '~/.ssh/id_rte' },
      hostKey: { knownHosts: '~/.ssh/known_hosts' },
    },
    programmer: 'linux_spi:dev=/dev/spidev1.0,spispeed=16000',
    // As 3mdeb flashes an apu2 (Dasharo/osfv-scripts osfv_cli/src/osfv/models/APU2.yml): in S5
    // (relay on, power button GPIO 9 held 6 s), programmer rte_1_0 — no SPI mux to switch, the
    // chip runs on the board's standby rail — then CMOS cleared (`reset_cmos: true`, rte.py
    // GPIO_CMOS = 11, 10 s). WP is OC GPIO 12 (`apu_wp`), released as 3mdeb/testing-trenchboot's
    // "Flash apu" does. An RTE v1.1 bench with its SPI mux wired adds
    // spiMux: { url, voltage: '3.3V', vccGpio: 3, voltageGpio: 2, linesGpio: 1 } (rte.py numbering).
    powerState: 'S5',
    writeProtect: { url: `http://${RTE}:8000`, gpio: 12 },
    cmosReset: { url: `http://${RTE}:8000`, gpio: 11 },
    timeoutMs: 240_000,
  },
  boot: {
    // iPXE's shell chains iommu-lab's own boot server (below): the lab's DHCP stays as it is.
    // `auto`: into the shell by whichever menu the flashed build's iPXE shows (PC Engines'
    // menu.ipxe, or Dasharo SeaBIOS v24.08's dasharo.ipxe), or, on Dasharo coreboot+UEFI, by F10
    // and "iPXE Network Boot" (no `n` then; the board chains GRUB EFI): one rig for every flavour.
    network: { method: 'ipxe-shell', entry: 'auto' },
    server: {
      listen: { host: '192.168.10.1', port: 8080 },
      advertise: { host: '192.168.10.1' },
      root: '~/iommu-lab/images/apu2',
      files: { xen: 'xen', dom0Kernel: 'vmlinuz', dom0Initrd: 'dom0.cpio.gz' },
      dom0CommandLine: 'console=hvc0',
      // What `iommu-lab pxe images --rig apu2-rte` bakes in: dom0 on the first NIC (01:00.0) at
      // the address below (dom0.host); root's authorized_keys is dom0.privateKey's public half.
      image: { address: { cidr: '192.168.10.201/24', gateway: '192.168.10.1' } },
    },
    xenCommandLine:
      'console=com1 com1=115200,8n1 dom0_mem=1024M,max:1024M iommu=verbose,debug loglvl=all guest_loglvl=all conring_size=1M',
    retries: 2,
  },
  dom0: {
    host: '192.168.10.201',
    user: 'root',
    // The image set's dropbear takes keys only; its host key fingerprint is printed by `pxe images`.
    privateKey: { file: '~/.ssh/id_apu2_dom0' },
    hostKey: { knownHosts: '~/.ssh/known_hosts' },
  },
  lock: { kind: 'ssh', dir: '/var/lock/iommu-lab' },
  guests: {
    types: ['hvm', 'pv'],
    memoryMiB: 1024,
    // What `pxe images` bakes into the dom0 it builds (lib/images/dom0.ts DOM0_GUEST_PATHS): the
    // dom0 kernel and a busybox initramfs with igb and dropbear. The PXE dom0 has no LVM or disk
    // drivers, so a PV guest boots from these files and an HVM guest from a disk image among them.
    // PV guests: the kernel as a gzipped ELF, which xl create unpacks faster than the bzImage.
    kernel: '/usr/lib/iommu-lab/guest/vmlinux.gz',
    ramdisk: '/usr/lib/iommu-lab/guest/initrd.gz',
    // HVM guests boot the same kernel and initramfs from a SYSLINUX disk that qemu-xen reads by
    // DMA, not through its byte-per-access fw_cfg (lib/images/hvm-boot-disk.ts says why).
    hvm: { bootDisk: '/usr/lib/iommu-lab/guest/hvm-boot.img' },
    bootTimeoutMs: 300_000,
    ssh: {
      host: '192.168.10.210',
      user: 'root',
      // The guest's dropbear takes keys only, and the image set authorises the same key as on
      // dom0 (boot.server.image.authorizedKey, else dom0.privateKey's public half).
      privateKey: { file: '~/.ssh/id_apu2_dom0' },
      hostKey: { knownHosts: '~/.ssh/known_hosts' },
    },
  },
  // A real AMD-Vi logs the DMA it blocks (Xen: "AMD-Vi: IO_PAGE_FAULT: …", iommu_init.c
  // parse_event_log_entry); a missing fault is then a warning.
  dma: { faultsExpected: true },
  traffic: {
    peer: { host: '192.168.10.1', port: 5201 },
    guestAddress: '192.168.10.210/24',
    threshold: 0.9,
    measurePv: true,
  },
});
