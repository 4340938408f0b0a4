// Every error and diagnosis code iommu-lab can report, in one closed table: which part of the bench
// it concerns and whose problem it is. `owner` decides the verdict and the exit code
// (lib/core/exit-code.ts): 'board' = the board or its firmware is wrong (failed, 1); 'lab' = the
// bench, the host or the network is wrong (broken, 2); 'usage' = what the user typed, wrote or did
// (2). RigError, FlashRefused and the diagnosis rows take their code from here, so a typo does not
// compile. docs/error-codes.md is generated from this table (lib/core/error-codes-doc.ts).

/** The part of the bench (or of the host) a code concerns. */
export type Part =
  | 'rig'
  | 'power'
  | 'console'
  | 'remote'
  | 'dom0'
  | 'flasher'
  | 'lock'
  | 'boot'
  | 'pxe'
  | 'twin'
  | 'session'
  | 'firmware'
  | 'xen'
  | 'guest'
  | 'host';

export type Owner = 'lab' | 'board' | 'usage';

export interface CodeInfo {
  /** 'error': thrown (RigError, FlashRefused); 'diagnosis': a finding read from logs or facts. */
  kind: 'error' | 'diagnosis';
  part: Part;
  owner: Owner;
  summary: string;
  remedy?: string;
  /** Named for work the open issues plan; nothing raises it yet. */
  reserved?: true;
}

const e = (part: Part, owner: Owner, summary: string, remedy?: string) =>
  ({ kind: 'error', part, owner, summary, ...(remedy ? { remedy } : {}) }) as const;
const d = (part: Part, owner: Owner, summary: string) => ({ kind: 'diagnosis', part, owner, summary }) as const;
const reserved = <T extends CodeInfo>(info: T) => ({ ...info, reserved: true }) as const;

const HTTP_FAIL = 'its HTTP API answered with an error status';
const HTTP_SLOW = 'its HTTP API did not answer in time (after bounded retries)';
const HTTP_GONE = 'its HTTP API cannot be reached (refused, no route, DNS)';
const HTTP_ODD = 'its HTTP API answered something unexpected';
const GPIO_STUCK = 'a GPIO read back another value than the one just set';
const CHECK_API = 'check the device is powered, on the network, and at the URL in the rig';

// biome-ignore format: a table reads best one entry a line
export const ERROR_CODES = {
  // Sequencing and the run.
  BENCH_BROKEN: e('boot', 'lab', 'an earlier lab failure latched the boot strategy; the later suites are skipped', 'fix the first error of the run'),
  BENCH_SILENT: e('firmware', 'lab', 'neither the new build nor the known-good image printed anything after flashing', 'check power, serial cable and SPI mux by hand'),
  NO_KNOWN_GOOD: e('firmware', 'lab', 'the board stayed silent after flashing and no known-good image exists to tell the build from the bench', 'keep a good image: iommu-lab flash --mark-known-good'),
  BENCH_NOT_RESTORED: e('session', 'lab', 'the bench was not put back (power, SPI lines, CMOS pin or lock) after flashing or at teardown', 'check the relay and the SPI mux by hand before the next run'),
  DOM0_TIMEOUT: e('dom0', 'lab', 'dom0 did not answer SSH within the Xen and dom0 boot timeouts', 'check the PXE images, the dom0 network and the rig boot.timeoutsMs'),
  BENCH_CPU_NO_CX16: e('xen', 'lab', 'Xen refused the IOMMU because the CPU lacks CMPXCHG16B (a twin CPU model without cx16)', 'give the twin QEMU a CPU model with cx16'),
  XEN_CMDLINE: e('boot', 'lab', 'the Xen command line lacks options the suites need', 'fix the PXE configuration (rig boot.xenCommandLine)'),
  BOOT_FAILED: e('boot', 'board', 'the board did not boot (the message says where it stopped)'),
  BOOT_HANG: e('boot', 'board', 'the board stopped printing mid-boot, after its firmware had spoken (power and console worked): a hang', 'read the last console lines; try the known-good image to tell the build from the board'),
  BOARD_PANIC: e('xen', 'board', 'the board died: Xen or the dom0 kernel panicked (during the boot or under a suite)', 'read the panic in console.log'),
  COMMAND_FAILED: e('dom0', 'lab', "a command a procedure needs failed, and its diagnosis (named in the message) is the lab's, not the board's", 'follow the remedy of the diagnosis in the message'),
  REPORT_WRITE: e('host', 'lab', 'the report directory cannot be written (disk full, read-only, gone): the run stopped, as its evidence would be lost', 'free space in the report directory, or give another --report-dir'),
  INTERRUPTED: e('session', 'usage', 'the run was interrupted (Ctrl-C, SIGTERM or an abort) and stopped'),
  EXEC_SPAWN: e('host', 'lab', 'a program could not be started on this host', 'install it, or fix the path in the rig'),
  // Console.
  CONSOLE_TIMEOUT: e('console', 'lab', 'the expected console output did not come within the wait timeout'),
  CONSOLE_SILENCE: e('console', 'lab', 'the board printed nothing for the silence limit during a wait (a hang)'),
  CONSOLE_OPEN_FAILED: e('console', 'lab', 'the serial console could not be opened'),
  CONSOLE_UNREACHABLE: e('console', 'lab', 'the console server did not answer', 'check ser2net host and port in the rig'),
  CONSOLE_REFUSED: e('console', 'lab', 'the console server refused the connection', 'is ser2net running, is the port right?'),
  CONSOLE_BUSY: e('console', 'lab', 'another program or client holds the serial console', 'close the other session (the message names the holder)'),
  CONSOLE_LOST: e('console', 'lab', 'the console connection or device went away'),
  CONSOLE_TAKEN_OVER: e('console', 'lab', 'another client took the console over, or ser2net restarted'),
  CONSOLE_MISSING: e('console', 'lab', 'the serial device does not exist', 'plug the USB serial adapter in, or fix the path'),
  CONSOLE_DENIED: e('console', 'lab', 'no permission to open the serial device', 'add the user to the dialout group'),
  // Power.
  POWER_COMMAND: e('power', 'lab', "the rig's power program failed"),
  POWER_TIMEOUT: e('power', 'lab', 'the power switch (or the person asked to switch) did not act in time'),
  POWER_BAD_REPLY: e('power', 'lab', `the power switch answered something unexpected (${HTTP_ODD}, or a state program printed neither on nor off)`),
  POWER_HTTP: e('power', 'lab', `power switch: ${HTTP_FAIL}`, CHECK_API),
  POWER_UNREACHABLE: e('power', 'lab', `power switch: ${HTTP_GONE}`, CHECK_API),
  POWER_NOT_APPLIED: e('power', 'lab', `power switch: ${GPIO_STUCK}`, 'check the relay and its wiring'),
  POWER_MANUAL_UNATTENDED: e('power', 'usage', 'manual power needs a person at a terminal, and there is none', 'use a rig with a power switch'),
  // Flasher.
  FLASHER_HTTP: e('flasher', 'lab', `SPI mux: ${HTTP_FAIL}`, CHECK_API),
  FLASHER_TIMEOUT: e('flasher', 'lab', `SPI mux: ${HTTP_SLOW}`, CHECK_API),
  FLASHER_UNREACHABLE: e('flasher', 'lab', `SPI mux: ${HTTP_GONE}`, CHECK_API),
  FLASHER_BAD_REPLY: e('flasher', 'lab', `SPI mux: ${HTTP_ODD}`),
  FLASHER_NOT_APPLIED: e('flasher', 'lab', `SPI mux: ${GPIO_STUCK}`, 'check the mux and its wiring'),
  FLASH_READ: e('flasher', 'lab', 'reading the chip failed', 'check the clip or programmer contact'),
  FLASH_FAILED: e('flasher', 'lab', 'writing the chip failed; the message says what the chip now holds'),
  FLASH_BRICKED: e('flasher', 'lab', 'writing failed and restoring the known-good image failed too: the board may not boot', 'recover the chip by hand with an external programmer'),
  FLASH_MULTIPLE_CHIPS: e('flasher', 'lab', 'flashrom found several chip definitions', 'name the chip in the rig (flasher chip)'),
  FLASH_CHIP_NOT_FOUND: e('flasher', 'lab', 'flashrom found no chip, twice', 'check the clip or programmer contact and the SPI mux'),
  FLASH_NO_POWER_BUTTON: e('flasher', 'lab', 'the flash needs the board in S5 and the power switch has no power button', 'wire the power button to the RTE (power.powerButtonGpio), or flash in G3 where the programmer powers the chip'),
  SPI_MUX_STUCK: e('flasher', 'lab', 'the SPI lines may still be switched to the programmer: the board will not boot', 'switch the SPI mux back by hand'),
  RIG_FLASHER: e('rig', 'usage', 'flasher.where is "ssh" but flasher.controller is not set', 'set flasher.controller in the rig'),
  // The firmware supply chain: downloads, and refusals to flash (nothing touched).
  DOWNLOAD_HTTP: e('firmware', 'lab', 'the image or checksum server answered with an error status'),
  DOWNLOAD_TRUNCATED: e('firmware', 'lab', 'the image download was cut short, also after a retry'),
  DOWNLOAD_FAILED: e('firmware', 'lab', 'the image or checksum could not be downloaded'),
  REFUSED_SIZE: e('firmware', 'usage', "the image's size is not the rig's chip size"),
  REFUSED_NOT_COREBOOT: e('firmware', 'usage', 'the image is not a coreboot image (no FMAP/CBFS, or no such region)'),
  REFUSED_WRONG_BOARD: e('firmware', 'usage', 'the image names another board', 'give the right build, or --force-board'),
  REFUSED_FLAVOUR: e('firmware', 'usage', "the image's flavour (PC Engines, Dasharo SeaBIOS/UEFI, coreboot) cannot be told, or is not the one --flavour names", 'name it with --flavour'),
  REFUSED_SETTING: e('firmware', 'usage', "a setting the image's flavour has no switch for (iommu=off on Dasharo UEFI)", 'drop the setting, or flash another flavour'),
  REFUSED_CHECKSUM: e('firmware', 'usage', 'the image does not match its SHA-256'),
  REFUSED_CHECKSUM_FORMAT: e('firmware', 'usage', 'the given or published checksum is not a SHA-256'),
  REFUSED_TOO_LARGE: e('firmware', 'usage', 'the image is larger than the download limit'),
  REFUSED_NOT_FOUND: e('firmware', 'usage', 'no such image file or URL (HTTP 404)'),
  REFUSED_RELEASE: e('firmware', 'usage', 'a Dasharo release source that cannot be used as given (--sha256 with a release, --firmware-file without one)', 'dasharo-seabios|dasharo-uefi:<version>:<board> --firmware-file <rom>'),
  REFUSED_NO_ROM: e('firmware', 'usage', 'a Dasharo release was named without a ROM file: only its .sha256 is public', 'give the ROM (Dasharo Pro Package, or built from source) with --firmware-file'),
  REFUSED_SIGNATURE: e('firmware', 'usage', "the release's published .sha256 is not signed by 3mdeb's key for that release line"),
  REFUSED_NO_FLASHER: e('rig', 'usage', 'the rig has no flasher'),
  REFUSED_NO_KNOWN_GOOD: e('firmware', 'usage', 'there is no known-good image to restore', 'iommu-lab flash --mark-known-good after a good build'),
  REFUSED_SETTINGS: e('firmware', 'usage', "the chip's BOOTORDER region does not match the image's (--region)"),
  REFUSED_VARSTORE: e('firmware', 'usage', "a Dasharo UEFI image's SMMSTORE region holds no sane UEFI variable store, or no room for NetworkBoot", 'flash it without pxe= in --settings (as is), or give a build with an erased or sane SMMSTORE'),
  // Lock.
  LOCK_HELD: e('lock', 'lab', 'the bench is locked by another run', 'wait, or ask the holder named in the message'),
  LOCK_FAILED: e('lock', 'lab', 'the bench lock could not be created or checked'),
  LOCK_LOST: e('lock', 'lab', 'the run lost its bench lease mid-run and stopped driving the bench', 'find who took the bench over (the lock names them); raise lock.ttlMs if renewals were slow'),
  SECRET_TOO_SHORT: e('rig', 'usage', 'a secret is shorter than 4 characters: too short to mask in logs and reports', 'use a longer password or key passphrase'),
  LOCK_TIMEOUT: e('lock', 'lab', 'waiting for a held bench (--wait-lock) timed out', 'wait longer, or ask the holder named in the message'),
  BENCH_UNHEALTHY: e('session', 'lab', 'the bench is marked bad by its health record', 'fix the bench, then `iommu-lab health --rig <rig>` (or --force)'),
  BENCH_HEALTH_RECORD: e('session', 'lab', "the bench's health record could not be written (a folder in its place, a full or read-only disk)", 'remove what is in its place or free the disk, then `iommu-lab health --rig <rig>`'),
  // SSH (dom0 and the bench controller).
  SSH_REFUSED: e('remote', 'lab', 'SSH connection refused', 'is sshd running, is the board up?'),
  SSH_AUTH: e('remote', 'lab', 'SSH authentication failed', 'check the user, password or key in the rig'),
  SSH_TIMEOUT: e('remote', 'lab', 'no SSH handshake in time'),
  SSH_UNREACHABLE: e('remote', 'lab', 'SSH host unreachable'),
  SSH_DNS: e('remote', 'lab', 'the SSH host name does not resolve'),
  SSH_CONNECT: e('remote', 'lab', 'the SSH connection failed for another reason (in the message)'),
  SSH_KEY_INVALID: e('remote', 'usage', 'the private key in the rig is unusable', 'check the key file and its passphrase'),
  SSH_KNOWN_HOSTS: e('remote', 'lab', 'the known_hosts file cannot be read'),
  SSH_HOST_KEY_MISMATCH: e('remote', 'lab', 'the host offered another key than the trusted one (or a revoked key)', 'if the board was reinstalled, update the trusted key; otherwise something impersonates it'),
  SSH_HOST_KEY_UNKNOWN: e('remote', 'lab', 'the host is not in known_hosts', 'check its fingerprint, then add it (the message gives the command)'),
  SSH_DROPPED: e('remote', 'lab', 'the SSH connection dropped (or was not open) while running a command'),
  SSH_TRANSFER: e('remote', 'lab', 'an SFTP/cat file transfer failed'),
  DOM0_AUTH: reserved(e('dom0', 'lab', "dom0 refuses the rig's credentials or host key: a permanent SSH failure, not retried", 'fix the dom0 credentials or trusted host key in the rig')),
  // The rig.
  SECRET_MISSING: e('rig', 'usage', 'a secret the rig refers to (environment variable or file) is not there', 'set the variable or create the file'),
  // iommu-lab's own network-boot server (lib/pxe/, rig boot.server).
  PXE_PORT_IN_USE: e('pxe', 'lab', "another process listens on the boot server's address and port", 'stop the holder named in the message, or change boot.server.listen.port'),
  PXE_LISTEN: e('pxe', 'lab', 'the boot server cannot listen on boot.server.listen (no such local address, or no permission)', 'give an address of this host, and a port above 1023 unless running as root'),
  PXE_IMAGE_MISSING: e('pxe', 'lab', 'a file the boot serves (Xen, dom0 kernel or initramfs, a guest image) is missing or unreadable', 'build or copy the image set into boot.server.root (the message names the file)'),
  PXE_OUTSIDE_ROOT: e('pxe', 'usage', 'a served file is a symlink that resolves outside boot.server.root: refused', 'copy the file into the root, or point root at the folder that holds it'),
  IPXE_ENTRY_MISMATCH: e('rig', 'usage', "iPXE offers another way into its shell than the rig's boot.network.entry (PC Engines' iPXE runs its embedded menu and never offers Ctrl-B)", 'set boot.network.entry as the message says'),
  IPXE_INPUT_LOST: e('console', 'lab', 'characters typed into the iPXE shell were lost on the console link on every try (iPXE echoed another line)', 'check the console link (ser2net host load, baud rate); boot.network.charDelayMs types slower'),
  IPXE_MENU_MISSED: e('console', 'lab', "arrow-up + Enter at PC Engines' iPXE menu did not open the shell: a key was lost or split on the console link (a lone ESC cancels the menu)", 'check the console link; the boot is retried'),
  PXE_GRUB_MISSING: e('pxe', 'lab', "the UEFI boot serves GRUB EFI, built with Debian's grub-mkstandalone, which is not installed", 'apt-get install grub-efi-amd64-bin'),
  PXE_GRUB_BUILD: e('pxe', 'lab', 'grub-mkstandalone failed to build the GRUB EFI binary the UEFI boot serves', 'read the tool output in the message; reinstall grub-efi-amd64-bin'),
  UEFI_NO_NETWORK_BOOT: e('firmware', 'usage', "the UEFI boot manager menu has no \"iPXE Network Boot\" entry: the UEFI variable NetworkBoot is not set", 'flash with --settings pxe=on, or enable Dasharo System Features → Networking Options → Enable network boot'),
  UEFI_BOOT_MENU_MISSED: e('console', 'lab', 'F10 at the UEFI prompt did not open the boot manager menu, or the menu could not be read', 'check the console link (the prompt waits 6 s); the boot is retried'),
  PXE_NOT_FETCHED: e('pxe', 'lab', 'the board did not fetch boot.ipxe from the boot server after `chain`', 'check that the board reaches the advertised host and port (firewall, address, VLAN)'),
  // Guests and the probes run in them.
  GUEST_NO_ANSWER: e('guest', 'board', 'a guest with the device assigned never answered SSH: it hung, crashed or never reached user space', 'read the guest console and xl dmesg attached to the test'),
  GUEST_UNREACHABLE: e('guest', 'lab', 'the guest says it is up on its console, but SSH cannot reach it', 'check guests.ssh and the network between the test host and the guest'),
  GUEST_IMAGE_BROKEN: e('guest', 'lab', "the guest's kernel found no root file system or init: the guest image is broken", 'fix guests.kernel and guests.ramdisk'),
  DMA_PROBE_FAILED: e('guest', 'lab', 'the DMA isolation probe could not run or prove anything: broken, never a pass', 'read the DMA_PROBE_BROKEN diagnosis and the probe lines attached to the test'),
  // Owner 'lab' only for its verdict: broken (exit 2) = "could not judge". Not a pass (isolation was not
  // observed), not the board's failure (Xen documents the lockup as a trait of some hosts, not of a
  // firmware build), not a board hang (BOOT_HANG/BOARD_PANIC would blame the build for it).
  QUARANTINE_LOCKUP: e('xen', 'lab', "inconclusive: host locked up in quarantine — the board stopped answering while the quarantined NIC's DMA was made to fault (Xen's docs, iommu=quarantine: \"there are systems where doing so can cause host lockup\"); the quarantine's isolation is not judged, and it is not a lab fault", 'power-cycle the board; to judge the quarantine on this host boot Xen with iommu=quarantine=scratch-page (rig boot.xenCommandLine), or skip the context (rig dma.skip.quarantine)'),
  // The twin (QEMU bench).
  QEMU_START: e('twin', 'lab', 'QEMU exited at start', 'read the QEMU log named in the message'),
  QMP_CLOSED: e('twin', 'lab', "QEMU's QMP socket closed"),
  QMP_CONNECT: e('twin', 'lab', "QEMU's QMP socket cannot be reached"),
  QMP_ERROR: e('twin', 'lab', 'QEMU refused a QMP command (its error class is in the message)'),
  SSHD_START: e('twin', 'lab', "the twin's bench-controller sshd did not start", 'read sshd.log in the twin state directory'),
  // Image sets (lib/images): the twin's and a bench's, one builder.
  IMAGES_OS: e('host', 'lab', 'the Debian release of this host cannot be told from /etc/os-release'),
  IMAGES_APT_SOURCES: e('host', 'lab', 'no apt source for the needed suite is configured', 'apt-get update'),
  IMAGES_APT_UPDATE: e('host', 'lab', "apt-get update of the image builder's own sources (another Debian release) failed", 'check that deb.debian.org is reachable'),
  IMAGES_APT_KERNEL: e('host', 'lab', 'apt names no kernel for linux-image-amd64', 'apt-get update'),
  IMAGES_APT_UNKNOWN: e('host', 'lab', 'apt has no candidate for a needed package', 'apt-get update'),
  IMAGES_LOCKED: e('host', 'lab', 'another image build held the build lock too long'),
  IMAGES_MODULE_MISSING: e('host', 'lab', 'the dom0 kernel lacks a module the images need'),
  IMAGES_HOST_TOOLS: e('host', 'usage', 'building images needs host tools that are not installed', 'run the apt-get command in the message as root'),
  IMAGES_NOT_ROOT: e('host', 'usage', 'building an image set needs root (mmdebstrap, root-owned dom0 files)', 'sudo iommu-lab pxe images --rig <name>'),
  IMAGES_ROOT_UNWRITABLE: e('pxe', 'usage', 'the folder the image set is built into cannot be created or written', 'fix its permissions, or give another with --out'),
  IMAGES_NO_KEY: e('rig', 'usage', "the rig names no SSH key to authorize on the bench's dom0", 'give dom0.privateKey (its .pub is used) or boot.server.image.authorizedKey'),
  TWIN_IMAGES_NOT_ROOT: e('twin', 'usage', 'building the twin images needs root', 'sudo iommu-lab twin setup'),
  TWIN_SEABIOS: e('twin', 'lab', "SeaBIOS's image is missing", 'apt-get install seabios'),
  TWIN_PACKAGES_MISSING: e('twin', 'usage', 'the twin needs Debian packages that are not installed', 'run the apt-get command in the message as root'),
  TWIN_LOCKED: e('twin', 'lab', 'another twin (or another process) holds the twin lock', 'iommu-lab twin down'),
  TWIN_START: e('twin', 'lab', 'the twin daemon did not come up', 'read the daemon log named in the message'),
  TWIN_FAULT: e('twin', 'usage', 'the twin could not inject the fault asked for (not up, or nothing to fault)', 'iommu-lab twin up; read the message'),
  TWIN_OBSERVE: e('twin', 'lab', "the twin could not show the board's physical memory from QEMU (not up, or the board is off)", 'iommu-lab twin status; read the message'),
  // Diagnoses: known symptoms in logs (lib/diagnose, lib/analyze/derive.ts); the rows carry the
  // full cause and remedy of each occurrence.
  PCIBACK_NOT_LOADED: d('dom0', 'lab', 'xen-pciback is not loaded in dom0'),
  PCI_NOT_ASSIGNABLE: d('dom0', 'lab', 'the PCI device is not bound to xen-pciback'),
  PCI_ALREADY_ASSIGNED: d('dom0', 'lab', 'the PCI device is already assigned to another guest'),
  NO_BLOCK_BACKEND: d('dom0', 'lab', 'no block backend (xen-blkback) in dom0'),
  NO_LOOP_DEVICE: d('dom0', 'lab', 'no free loop device for a file-backed guest disk'),
  READONLY_IDE_UNSUPPORTED: d('guest', 'lab', 'a read-only HVM IDE disk, which qemu-xen cannot emulate'),
  IPERF3_ERROR: d('guest', 'lab', 'iperf3 failed'),
  IPERF3_TRUNCATED: d('guest', 'lab', 'iperf3 JSON output cut off before its result'),
  IPERF3_IMPLAUSIBLE: d('guest', 'lab', 'iperf3 figures that cannot be true (negative, beyond any link, or at odds with their own bytes and seconds)'),
  IOMMU_VERDICT_UNKNOWN: d('console', 'lab', 'the log does not tell whether the IOMMU is enabled (wrapped or late capture)'),
  NO_IOMMU: d('firmware', 'board', 'Xen has no working IOMMU (AMD-Vi)'),
  IVRS_ERROR: d('firmware', 'board', "Xen rejected the firmware's IVRS table, an IVHD/IVMD block or a device entry in it"),
  IVRS_INTREMAP_ERROR: d('firmware', 'board', "the IVRS IO-APIC/HPET entries are missing or wrong, so Xen cannot remap interrupts"),
  IVRS_WARNING: d('firmware', 'board', 'Xen worked around an oddity in the IVRS table and went on'),
  IOMMU_INIT_FAILED: d('xen', 'board', 'Xen could not start the AMD IOMMU'),
  IOMMU_ENABLED_BY_FIRMWARE: d('firmware', 'board', 'the firmware handed over with the IOMMU already on (Xen 4.20.4+ says so)'),
  AMD_VI_ERROR: d('xen', 'board', "an \"AMD-Vi: Error:\" line iommu-lab does not know yet"),
  CPU_NO_CX16: d('xen', 'lab', 'the CPU (or the twin\'s QEMU CPU model) lacks CMPXCHG16B, so Xen 4.18.5+ refuses the IOMMU'),
  IVRS_MISSING: d('firmware', 'board', 'no IVRS ACPI table'),
  FIRMWARE_IVRS_MISSING: d('firmware', 'board', 'coreboot reports that it built no IVRS table'),
  FIRMWARE_IOMMU_DISABLED: d('firmware', 'board', 'the firmware IOMMU option is disabled'),
  IOMMU_PAGE_FAULT: d('firmware', 'board', 'the IOMMU refused a DMA (IO_PAGE_FAULT)'),
  IOMMU_GROUP_SHARED: d('firmware', 'board', 'NICs share an IOMMU group'),
  PXE_NOT_OFFERED: d('firmware', 'board', 'the boot prompt offers no network (PXE) boot'),
  NO_IRQ_HANDLER: d('xen', 'board', 'Xen saw an interrupt with no handler'),
  PANIC: d('xen', 'board', 'the hypervisor or kernel panicked'),
  DMA_NOT_ISOLATED: d('firmware', 'board', "a passed-through device's DMA reached memory outside its guest"),
  DMA_PROBE_BROKEN: d('guest', 'lab', 'the DMA isolation probe could not run, or its positive control did not read its own pattern back'),
  // Known on Dasharo apu2 builds (lib/diagnose/rows-dasharo.ts, lib/analyze/derive.ts; sources in docs/real-bench.md).
  IOAPIC_REMAP_CRASH: d('firmware', 'board', "Xen crashed in the AMD IOMMU's IO-APIC interrupt-remapping update at boot (Dasharo/coreboot #592)"),
  ATH10K_IO_PAGE_FAULT: d('firmware', 'board', 'an ath10k Wi-Fi card hit IO_PAGE_FAULTs, a known Dasharo UEFI apu2 issue (dasharo-issues #1134)'),
  AMD_IOMMU_INIT_WARNING: d('firmware', 'board', 'Linux warned while enabling the AMD IOMMU (enable_iommus_vapic, amd_iommu_enable_interrupts): dasharo-issues #784, #1134'),
  XEN_48_UNSTABLE: d('firmware', 'board', 'Xen 4.8 on Dasharo (coreboot+SeaBIOS): "Booting Xen 4.8 is unstable", a known issue of every release'),
  NIC_NO_TRAFFIC: d('guest', 'board', 'the passed-through NIC has link and an address but moves no packets (or no interrupts)'),
} as const satisfies Record<string, CodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;
type Catalogue = typeof ERROR_CODES;
/** Codes of findings (lib/diagnose, lib/analyze). */
export type DiagnosisCode = { [K in ErrorCode]: Catalogue[K]['kind'] extends 'diagnosis' ? K : never }[ErrorCode];
/** Codes an error may carry. */
export type FailureCode = Exclude<ErrorCode, DiagnosisCode>;
/** Codes of a refusal to flash (FlashRefused: a usage error, nothing touched). */
export type RefusalCode = Extract<FailureCode, `REFUSED_${string}`>;

/** The entry of a code, or undefined for a code from outside iommu-lab (e.g. ERR_ASSERTION). */
export function codeInfo(code: unknown): CodeInfo | undefined {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code) ? ERROR_CODES[code as ErrorCode] : undefined;
}
