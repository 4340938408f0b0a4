// `iommu-lab twin setup|up|down|status|fault|firmware`: build and run the QEMU apu2 twin bench,
// through its front door (twin/index.ts). `twin fault --help` lists the fault records.
import type { Command } from 'commander';
import {
  buildTwinFirmware,
  ensureFlashImage,
  FAULT_NAMES,
  FAULT_OPTIONS,
  FAULTS,
  type FaultOption,
  faultsTaking,
  imagesBuilt,
  injectFault,
  isFaultName,
  TWIN_FLAVOURS,
  type TwinStatus,
  twinDown,
  twinPaths,
  twinSetup,
  twinStatus,
  twinUp,
} from '../../../twin/index.ts';
import { UsageError } from '../../core/errors.ts';
import { progress } from '../../core/progress.ts';
import { type ImageRelease, RELEASES, releaseNamed } from '../../images/release.ts';

const onOff = (name: string, v: string | undefined): boolean | undefined => {
  if (v === undefined) return undefined;
  if (v === 'on' || v === 'off') return v === 'on';
  throw new UsageError(`--${name} must be on or off, not "${v}"`);
};

const positive = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, not "${v}"`);
  return n;
};

/** `--xen 4.17,4.20` → the releases, in the order given; anything else is a usage error. */
export function xenReleases(list: string): ImageRelease[] {
  const out: ImageRelease[] = [];
  for (const v of list.split(',').map((x) => x.trim())) {
    const r = /^\d+\.\d+$/.test(v) ? releaseNamed(v) : undefined;
    if (!r)
      throw new UsageError(`--xen takes ${RELEASES.map((x) => x.xen).join(' and ')} (comma-separated), not "${v}"`);
    if (!out.includes(r)) out.push(r);
  }
  return out;
}

export function register(program: Command): void {
  const twin = program.command('twin').description('the QEMU apu2 twin bench (docs/twin.md)');

  twin
    .command('setup')
    .description('install host packages, build the twin images (cached) and a known-good flash image')
    .option(
      '--xen <versions>',
      "which image sets: 4.17 (Debian 12, rig apu2-twin), 4.20 (Debian 13, rig apu2-twin-xen420), or both as '4.17,4.20'",
      '4.17',
    )
    .action(async (o: { xen: string }) => {
      const releases = xenReleases(o.xen);
      progress.on('info', (m) => console.error(m));
      for (const release of releases)
        console.log((await twinSetup({ onProgress: (m) => console.error(m), release })).report);
      const built = await ensureFlashImage(twinPaths.flashImage);
      console.log(`flash image ${twinPaths.flashImage}: ${built ? 'built (iommu on, pxe on)' : 'kept'}`);
    });

  twin
    .command('up')
    .description('start the twin daemon (power API, serial port, controller, board)')
    .action(async () => {
      if (twinStatus().running) return printStatus(twinStatus());
      if (!imagesBuilt())
        console.error('twin: no images built (run `iommu-lab twin setup`): the board boots its firmware, not Xen');
      printStatus(await twinUp());
    });

  twin
    .command('down')
    .description('stop the twin daemon, its QEMU and its sshd')
    .action(async () => {
      console.log((await twinDown()) ? 'twin: stopped' : 'twin: not running');
    });

  twin
    .command('status')
    .description('endpoints and power state')
    .action(async () => {
      printStatus(twinStatus());
    });

  const fault = twin
    .command('fault <name>')
    .description(`inject a fault into the running twin (${FAULT_NAMES.join(', ')}; \`list\` describes them)`)
    .addHelpText('after', `\nFaults:\n${faultList('  ')}`);
  for (const [o, { flag, help, default: d }] of Object.entries(FAULT_OPTIONS) as [FaultOption, OptionHelp][])
    fault.option(flag, `${faultsTaking(o).join(', ')}: ${help}`, d);
  fault.action(async (name: string, f: { count?: string; holdMs: string; waitMs: string }) => {
    if (name === 'list') return console.log(faultList(''));
    if (!isFaultName(name)) throw new UsageError(`no twin fault "${name}" (one of: ${FAULT_NAMES.join(', ')}, list)`);
    const o = {
      count: positive('count', f.count),
      holdMs: positive('hold-ms', f.holdMs),
      waitMs: positive('wait-ms', f.waitMs),
    };
    console.log(`twin fault ${name}: ${await injectFault(name, o)}`);
  });

  twin
    .command('firmware')
    .description('build an apu2-style CBFS/FMAP flash image for the twin')
    .requiredOption('-o, --out <file>', 'output file')
    .option('--iommu <on|off>', 'bootorder iommu1/iommu0 (default off, like a release)')
    .option(
      '--pxe <on|off>',
      'bootorder pxen1/pxen0; dasharo-uefi: the UEFI variable NetworkBoot (default off, like a release)',
    )
    .option(
      '--flavour <pcengines|dasharo-seabios|dasharo-uefi>',
      'whose build: sign-on, flash map, settings store, iPXE script (default pcengines)',
    )
    // Not --version: the program's own --version would answer first, print iommu-lab's version
    // and exit 0 without writing the image (test/cli/option-clash.test.ts).
    .option(
      '--fw-version <v>',
      'the firmware version the image says (coreboot revision, sign-on; default v4.19.0.1-twin, v24.08.00.01 for dasharo-seabios, v0.9.1 for dasharo-uefi)',
    )
    .option('--layout <cbfs|fmap>', 'bootorder in CBFS (pre-v4.14.0.1) or in the FMAP region BOOTORDER')
    .option('--corrupt', 'produce an image that is not valid firmware')
    .option('--ipxe-menu <on|off>', "PC Engines' embedded iPXE menu (default on); off: an iPXE that offers Ctrl-B")
    .option(
      '--leaky-iommu',
      'negative control: AMD-Vi still enabled, but the NICs are cold-plugged so QEMU translates their DMA under 00:00.0',
    )
    .action(
      async (f: {
        out: string;
        iommu?: string;
        pxe?: string;
        fwVersion?: string;
        flavour?: string;
        layout?: string;
        corrupt?: boolean;
        leakyIommu?: boolean;
        ipxeMenu?: string;
      }) => {
        if (f.layout !== undefined && f.layout !== 'cbfs' && f.layout !== 'fmap')
          throw new UsageError(`--layout must be cbfs or fmap, not "${f.layout}"`);
        if (f.flavour !== undefined && !(TWIN_FLAVOURS as readonly string[]).includes(f.flavour))
          throw new UsageError(`--flavour must be one of ${TWIN_FLAVOURS.join(', ')}, not "${f.flavour}"`);
        const b = await buildTwinFirmware({
          out: f.out,
          flavour: f.flavour as (typeof TWIN_FLAVOURS)[number] | undefined,
          iommu: onOff('iommu', f.iommu),
          pxe: onOff('pxe', f.pxe),
          version: f.fwVersion,
          layout: f.layout as 'cbfs' | 'fmap' | undefined,
          corrupt: f.corrupt,
          leakyIommu: f.leakyIommu,
          ipxeMenu: onOff('ipxe-menu', f.ipxeMenu),
        });
        const tags = `${b.corrupt ? ' CORRUPT' : ''}${b.leakyIommu ? ' LEAKY-IOMMU' : ''}${b.ipxeMenu ? '' : ' IPXE-CTRL-B'}`;
        console.log(
          b.flavour === 'dasharo-uefi'
            ? `${b.path}: ${b.flavour} ${b.version} IOMMU always on, NetworkBoot=${b.pxe}${tags}`
            : `${b.path}: ${b.flavour} ${b.version} layout=${b.layout} iommu${b.iommu ? 1 : 0} pxen${b.pxe ? 1 : 0}${tags}`,
        );
      },
    );
}

type OptionHelp = (typeof FAULT_OPTIONS)[FaultOption];

/** Every fault and what it does, one a line (from the records, twin/fault/faults.ts). */
const faultList = (indent: string) =>
  FAULT_NAMES.map((n) => `${indent}${n.padEnd(16)} ${FAULTS[n].describe}`).join('\n');

function printStatus(s: TwinStatus): void {
  const p = s.ports;
  console.log(s.running ? `twin: running (pid ${s.pid})` : 'twin: not running');
  if (s.running)
    console.log(
      `  relay ${s.relay ?? '?'}, board ${s.board ?? '?'}, flash chip ${s.chip ?? '?'} to the controller, SPI mux ${s.spiMux ?? '?'}`,
    );
  console.log(`  power API   http://127.0.0.1:${p.power}/api/v1/gpio/{id}`);
  console.log(`  serial      tcp 127.0.0.1:${p.serial} (raw)`);
  console.log(`  controller  ssh root@127.0.0.1 -p ${p.controllerSsh}`);
  console.log(`  dom0        ssh root@127.0.0.1 -p ${p.dom0Ssh}`);
  console.log(`  guest       ssh root@127.0.0.1 -p ${p.guestSsh}`);
}
