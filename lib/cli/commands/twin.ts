// `iommu-lab twin setup|up|down|status|firmware`: build and run the QEMU apu2 twin bench.
import type { Command } from 'commander';
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
      const { runImagesSetup } = await import('../../../twin/images.ts');
      const { ensureFlashImage, twinPaths } = await import('../../../twin/index.ts');
      progress.on('info', (m) => console.error(m));
      for (const r of releases) console.log(await runImagesSetup((m) => console.error(m), r));
      const built = await ensureFlashImage(twinPaths.flashImage);
      console.log(`flash image ${twinPaths.flashImage}: ${built ? 'built (iommu on, pxe on)' : 'kept'}`);
    });

  twin
    .command('up')
    .description('start the twin daemon (power API, serial port, controller, board)')
    .action(async () => {
      const { twinStatus, twinUp } = await import('../../../twin/manage.ts');
      const { imagesBuilt } = await import('../../../twin/images.ts');
      if (twinStatus().running) return printStatus(twinStatus());
      if (!imagesBuilt())
        console.error('twin: no images built (run `iommu-lab twin setup`): the board boots its firmware, not Xen');
      printStatus(await twinUp());
    });

  twin
    .command('down')
    .description('stop the twin daemon, its QEMU and its sshd')
    .action(async () => {
      const { twinDown } = await import('../../../twin/manage.ts');
      console.log((await twinDown()) ? 'twin: stopped' : 'twin: not running');
    });

  twin
    .command('status')
    .description('endpoints and power state')
    .action(async () => {
      const { twinStatus } = await import('../../../twin/manage.ts');
      printStatus(twinStatus());
    });

  twin
    .command('fault <name>')
    .description(
      'inject a fault into the running twin (power-500, power-hang, serial-drop, serial-takeover, ssh-drop, boot-hang, panic, pciback-refuse, clear; `list` describes them)',
    )
    .option('--count <n>', 'power faults: how many switch requests they hit (default: all until clear)')
    .option('--hold-ms <ms>', 'serial-takeover: how long the other client holds the port', '10000')
    .option('--wait-ms <ms>', 'dom0 faults: how long to wait for dom0 SSH first', '300000')
    .action(async (name: string, f: { count?: string; holdMs: string; waitMs: string }) => {
      const { FAULTS, isFaultName } = await import('../../../twin/fault/injector.ts');
      if (name === 'list') {
        for (const [n, what] of Object.entries(FAULTS)) console.log(`${n.padEnd(16)} ${what}`);
        return;
      }
      if (!isFaultName(name))
        throw new UsageError(`no twin fault "${name}" (one of: ${Object.keys(FAULTS).join(', ')}, list)`);
      const count = positive('count', f.count);
      const { injectFault } = await import('../../../twin/fault/client.ts');
      console.log(
        `twin fault ${name}: ${await injectFault(name, { count, holdMs: positive('hold-ms', f.holdMs), waitMs: positive('wait-ms', f.waitMs) })}`,
      );
    });

  twin
    .command('firmware')
    .description('build an apu2-style CBFS/FMAP flash image for the twin')
    .requiredOption('-o, --out <file>', 'output file')
    .option('--iommu <on|off>', 'bootorder iommu1/iommu0 (default off, like a release)')
    .option('--pxe <on|off>', 'bootorder pxen1/pxen0 (default off, like a release)')
    .option('--flavour <pcengines|dasharo-seabios>', 'whose build: sign-on, flash map, iPXE script (default pcengines)')
    // Not --version: the program's own --version would answer first, print iommu-lab's version
    // and exit 0 without writing the image (test/cli/option-clash.test.ts).
    .option(
      '--fw-version <v>',
      'the firmware version the image says (coreboot revision, sign-on; default v4.19.0.1-twin, or v24.08.00.01 for dasharo-seabios)',
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
        const { buildTwinFirmware, TWIN_FLAVOURS } = await import('../../../twin/firmware/build.ts');
        if (f.flavour !== undefined && !(TWIN_FLAVOURS as readonly string[]).includes(f.flavour))
          throw new UsageError(
            `--flavour must be ${TWIN_FLAVOURS.join(' or ')}, not "${f.flavour}" (dasharo-uefi: not on the twin yet)`,
          );
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
          `${b.path}: ${b.flavour} ${b.version} layout=${b.layout} iommu${b.iommu ? 1 : 0} pxen${b.pxe ? 1 : 0}${tags}`,
        );
      },
    );
}

function printStatus(s: import('../../../twin/manage.ts').TwinStatus): void {
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
