// The twin standing in for a real bench: `iommu-lab run --rig <rig> --twin`, and rigs/apu2-twin.ts
// itself (apu2-rte on the twin). Only what the twin cannot be is replaced — its endpoints on
// loopback, and the documented limits of an emulated apu2 under TCG — each with its reason here
// and in docs/twin.md ("What --twin replaces"). test/twin-unit/rig-overlay.test.ts fails on any
// difference between a real rig and its twin that this list does not name.
import { BOOKWORM, releaseNamed } from '../../lib/images/release.ts';
import type { RigInput } from '../../lib/rig/schema.ts';
import { twinBenchName, twinPaths, twinPorts } from '../base/paths.ts';
import { BOOT_FILES, DOM0_COMMAND_LINE } from '../images/boot-files.ts';
import { twinImagesRoot } from '../images/sets.ts';

export interface TwinReplacement {
  /** A key path of the rig (a prefix: everything under it is replaced). */
  path: string;
  kind: 'endpoint' | 'emulator';
  why: string;
}

export const TWIN_REPLACEMENTS: TwinReplacement[] = [
  { path: 'name', kind: 'endpoint', why: 'the twin is one bench: one name, so every user takes the same lock' },
  { path: 'description', kind: 'endpoint', why: 'says that this is the twin' },
  {
    path: 'provider',
    kind: 'endpoint',
    why: 'the session brings the twin up before the lock (lib/bench/twin-provider.ts)',
  },
  { path: 'lock', kind: 'endpoint', why: 'the twin runs on this host: a local lock, not a directory on an RTE' },
  { path: 'power.url', kind: 'endpoint', why: "the twin's RTE-compatible REST API on loopback" },
  { path: 'power.minOffMs', kind: 'emulator', why: 'no PSU capacitors to drain: QEMU is gone when the relay opens' },
  {
    path: 'console',
    kind: 'endpoint',
    why: "the twin's serial server on loopback; it speaks raw TCP, not ser2net's telnet (the telnet codec is tested against a telnet server in test/console/)",
  },
  { path: 'flasher.controller', kind: 'endpoint', why: "the twin's OpenSSH controller on loopback" },
  {
    path: 'board.flash.chip',
    kind: 'emulator',
    why: "flashrom's dummy chip is an MX25L6436E: its probe names it among four Macronix definitions of one JEDEC ID, and this name breaks the tie",
  },
  { path: 'flasher.spiMux.url', kind: 'endpoint', why: "the twin's RTE REST API on loopback" },
  { path: 'flasher.writeProtect.url', kind: 'endpoint', why: "the twin's RTE REST API on loopback" },
  { path: 'flasher.cmosReset.url', kind: 'endpoint', why: "the twin's RTE REST API on loopback" },
  {
    path: 'flasher.cmosReset.holdMs',
    kind: 'emulator',
    why: 'the twin has no CMOS well to drain: 1 s instead of OSFV 10 s (the clear is still counted by the twin)',
  },
  { path: 'flasher.cmosReset.delayMs', kind: 'emulator', why: 'no supply to settle after flashrom' },
  {
    path: 'flasher.s5',
    kind: 'emulator',
    why: "the twin's board changes power state on the GPIO edge: 1 s after power, a 5 s hold (still above the 4 s override the twin enforces), 0.5 s after",
  },
  { path: 'flasher.spiMux.settleMs', kind: 'emulator', why: 'an emulated chip settles at once' },
  { path: 'flasher.timeoutMs', kind: 'emulator', why: 'the dummy chip writes at memory speed' },
  {
    path: 'boot.server',
    kind: 'endpoint',
    why: "the twin's image set (slirp addressing, baked keys) served on loopback, reached by the board at the slirp gateway 10.0.2.2",
  },
  {
    path: 'boot.network.charDelayMs',
    kind: 'emulator',
    why: "QEMU's UART loses nothing: typing at 30 ms a character instead of 500 saves a minute a boot",
  },
  {
    path: 'boot.xenCommandLine',
    kind: 'emulator',
    why: 'dom0_max_vcpus=1 and sched=credit (TCG loses credit2 wakeups), quarantine=scratch-page (QEMU 7.2 passes DMA of a V=1/TV=0 DTE, which a real IOMMU aborts): docs/twin.md',
  },
  { path: 'boot.timeoutsMs', kind: 'emulator', why: 'TCG runs Xen and dom0 several times slower than an apu2' },
  { path: 'boot.silenceMs', kind: 'emulator', why: 'TCG can be silent for minutes while dom0 unpacks its initramfs' },
  { path: 'dom0', kind: 'endpoint', why: "dom0's SSH forwarded from NIC0 to loopback, with the twin's key" },
  { path: 'guests.ssh', kind: 'endpoint', why: "the guest's SSH forwarded from the passed-through NIC to loopback" },
  { path: 'guests.memoryMiB', kind: 'emulator', why: 'the twin board has 3 GiB under TCG' },
  { path: 'guests.bootTimeoutMs', kind: 'emulator', why: 'TCG: a PV guest needs about 20 s, not 5' },
  {
    path: 'guests.hvm',
    kind: 'emulator',
    why: "TCG has no NRIP-save: tsc_mode native and cpuid rdtscp=0, and nested SVM needs minutes (docs/twin.md); the rig's boot disk is kept",
  },
  {
    path: 'dma.faultsExpected',
    kind: 'emulator',
    why: "QEMU 7.2's AMD-Vi event log is silent: a blocked DMA is never reported",
  },
  { path: 'traffic.peer', kind: 'endpoint', why: 'the iperf3 peer on this host, at the slirp gateway' },
  { path: 'traffic.guestAddress', kind: 'endpoint', why: "slirp's guest address" },
  {
    path: 'traffic.seconds',
    kind: 'emulator',
    why: 'TCG cannot reach line rate (no threshold): 2 s runs each way prove the path moves data, as 10 s would',
  },
  {
    path: 'traffic.threshold',
    kind: 'emulator',
    why: 'TCG cannot reach line rate: the twin proves the path works, not the throughput',
  },
];

const twinSsh = (port: number) => ({
  host: '127.0.0.1',
  port,
  user: 'root',
  privateKey: { file: twinPaths.clientKey },
  hostKey: { knownHosts: twinPaths.knownHosts },
});

/** The flash chip as flashrom's dummy programmer names it. */
export const TWIN_CHIP = 'MX25L6436E/MX25L6445E/MX25L6465E/MX25L6473E/MX25L6473F';

/**
 * The rig's Xen options plus what Xen needs under TCG on QEMU 7.2 (docs/twin.md): one dom0 vCPU
 * and the credit scheduler (credit2 was seen to lose dom0's wakeup), and scratch-page quarantine
 * (QEMU passes DMA of a V=1/TV=0 DTE that a real AMD IOMMU aborts). Everything else is the rig's.
 */
export function twinXenOptions(line: string): string {
  const words = line.split(/\s+/).filter(Boolean);
  const iommu = words.findIndex((w) => w.startsWith('iommu='));
  if (iommu < 0) words.push('iommu=quarantine=scratch-page');
  else if (!words[iommu]!.includes('quarantine=')) words[iommu] += ',quarantine=scratch-page';
  if (!words.some((w) => w.startsWith('dom0_max_vcpus='))) {
    const mem = words.findIndex((w) => w.startsWith('dom0_mem='));
    words.splice(mem < 0 ? words.length : mem + 1, 0, 'dom0_max_vcpus=1');
  }
  if (!words.some((w) => w.startsWith('sched='))) words.push('sched=credit');
  return words.join(' ');
}

export interface TwinOptions {
  /**
   * The image set the board boots: Debian 12's Xen 4.17 (`xen417`, the default, rig `apu2-twin`)
   * or Debian 13's Xen 4.20 (`xen420`, rig `apu2-twin-xen420`): see twinImageSet().
   */
  images?: 'xen417' | 'xen420';
}

/**
 * What changes when a twin rig boots another image set: the rig's name (its reports and summary
 * say which), its description, the lock (still the one twin bench's: the same QEMU board), and the
 * folder its boot server serves. test/twin-unit/rig-overlay.test.ts holds rigs/apu2-twin-xen420.ts
 * to exactly these differences from rigs/apu2-twin.ts.
 */
export const IMAGE_SET_REPLACEMENTS: TwinReplacement[] = [
  { path: 'name', kind: 'endpoint', why: 'apu2-twin-xen420: reports and summaries say which Xen the twin booted' },
  { path: 'description', kind: 'endpoint', why: 'names the Debian release and Xen' },
  {
    path: 'lock.bench',
    kind: 'endpoint',
    why: "the same QEMU board: the twin bench's lock, whichever images it boots",
  },
  { path: 'boot.server.root', kind: 'endpoint', why: "the release's own folder of sets (twin/images/sets.ts)" },
];

/** A twin rig (apu2-twin, or twinOf() of a real one) booting the `images` set instead; the rest is the rig's. */
export function twinImageSet(twinRig: RigInput, images: NonNullable<TwinOptions['images']>): RigInput {
  const release = releaseNamed(images) ?? BOOKWORM;
  if (release.id === BOOKWORM.id) return twinRig;
  const server = twinRig.boot.server;
  if (!server) throw new Error(`${twinRig.name} has no boot server: it is no twin rig`);
  return {
    ...twinRig,
    name: `${twinBenchName}-${release.id}`,
    description: `${twinRig.name} booting Debian ${release.suite}'s Xen ${release.xen} and Linux dom0 instead (emulated AMD IOMMU, TCG)`,
    lock: { ...twinRig.lock, bench: twinBenchName },
    boot: { ...twinRig.boot, server: { ...server, root: twinImagesRoot(release) } },
  };
}

/** `rig` on the twin: everything else (GPIOs, NICs, boot entry, guests' images, suites' knobs) is the rig's own. */
export function twinOf(rig: RigInput, opts: TwinOptions = {}): RigInput {
  return twinImageSet(twinOfDefault(rig), opts.images ?? 'xen417');
}

function twinOfDefault(rig: RigInput): RigInput {
  const current = `${twinPaths.currentImages}/boot`;
  const rte = `http://127.0.0.1:${twinPorts.power}`;
  return {
    ...rig,
    name: twinBenchName,
    description: `${rig.name} on the QEMU twin: emulated AMD IOMMU, real Xen and Debian dom0 (TCG)`,
    provider: 'twin',
    lock: { kind: 'local' },
    board: { ...rig.board, flash: { ...rig.board.flash, chip: TWIN_CHIP } },
    power: { ...rig.power, url: rte, minOffMs: 500 } as RigInput['power'],
    console: { kind: 'tcp', host: '127.0.0.1', port: twinPorts.serial, protocol: 'raw' },
    flasher: rig.flasher && {
      ...rig.flasher,
      controller: twinSsh(twinPorts.controllerSsh),
      timeoutMs: 60_000,
      ...(rig.flasher.spiMux ? { spiMux: { ...rig.flasher.spiMux, url: rte, settleMs: 100 } } : {}),
      ...(rig.flasher.writeProtect ? { writeProtect: { ...rig.flasher.writeProtect, url: rte } } : {}),
      ...(rig.flasher.cmosReset ? { cmosReset: { ...rig.flasher.cmosReset, url: rte, holdMs: 1000, delayMs: 0 } } : {}),
      s5: { powerOnWaitMs: 1000, holdMs: 5000, afterHoldMs: 500 },
    },
    boot: {
      ...rig.boot,
      network: { ...rig.boot.network, ...(rig.boot.network.method === 'ipxe-shell' ? { charDelayMs: 30 } : {}) },
      server: {
        listen: { host: '127.0.0.1', port: twinPorts.boot },
        advertise: { host: '10.0.2.2' },
        root: twinPaths.images,
        files: {
          xen: `${current}/${BOOT_FILES.xen}`,
          dom0Kernel: `${current}/${BOOT_FILES.kernel}`,
          dom0Initrd: `${current}/${BOOT_FILES.initrd}`,
        },
        dom0CommandLine: DOM0_COMMAND_LINE,
      },
      xenCommandLine: twinXenOptions(rig.boot.xenCommandLine),
      timeoutsMs: { firmware: 20_000, ipxe: 120_000, xen: 120_000, dom0: 240_000 },
      silenceMs: 120_000,
    },
    dom0: twinSsh(twinPorts.dom0Ssh),
    guests: rig.guests && {
      ...rig.guests,
      memoryMiB: 256,
      bootTimeoutMs: 180_000,
      ssh: twinSsh(twinPorts.guestSsh),
      hvm: {
        ...rig.guests.hvm,
        // A direct kernel boot's command line, quiet: each character on the emulated UART is a VM exit.
        ...(rig.guests.hvm?.bootDisk ? {} : { cmdline: 'console=ttyS0 quiet' }),
        tscMode: 'native',
        cpuid: 'host,rdtscp=0',
        bootTimeoutMs: 600_000,
      },
    },
    dma: { ...rig.dma, faultsExpected: false },
    traffic: rig.traffic && {
      ...rig.traffic,
      peer: { host: '10.0.2.2', port: twinPorts.iperf },
      guestAddress: '10.0.2.15/24',
      seconds: 2,
      threshold: undefined,
    },
  };
}
