// Where the twin keeps its state, and the loopback endpoints it exposes (the twin rig uses them).
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/core/paths.ts';

/** The twin bench's name: the rig's name, and so the name of the bench lock every user of it takes. */
export const twinBenchName = 'apu2-twin';

const TWIN_HOME = process.env.IOMMU_LAB_TWIN_HOME ?? join(PROJECT_ROOT, '.cache', 'twin');

export const twinPaths = {
  home: TWIN_HOME,
  keys: join(TWIN_HOME, 'keys'),
  clientKey: join(TWIN_HOME, 'keys', 'client_ed25519'),
  knownHosts: join(TWIN_HOME, 'keys', 'known_hosts'),
  /** The emulated 8 MiB SPI chip's contents, read by the twin at every power-on. */
  flashImage: join(TWIN_HOME, 'flash.rom'),
  /** Built images (Xen, kernels, dom0 and guest initramfs), one folder per cache key. */
  images: join(TWIN_HOME, 'images'),
  /** Inside `images`: a link to the folder of the current key, so a rig can name the files. */
  currentImages: 'current',
  run: join(TWIN_HOME, 'run'),
  lock: join(TWIN_HOME, 'twin.lock'),
};

export const twinPorts = {
  /** RTE-compatible REST power/GPIO API. */
  power: 18000,
  /** Serial console on TCP (ser2net-like). */
  serial: 13541,
  /** Bench controller (OpenSSH with flashrom), like an RTE. */
  controllerSsh: 2222,
  /** dom0 sshd, forwarded from the first NIC. */
  dom0Ssh: 2223,
  /** Guest sshd, forwarded from the passed-through NIC's network. */
  guestSsh: 2224,
  /** iperf3 peer on the test host, seen from the twin's NICs as 10.0.2.2. */
  iperf: 5201,
  /** iommu-lab's boot server (rig boot.server) on the test host, seen from the twin as 10.0.2.2. */
  boot: 18080,
};
