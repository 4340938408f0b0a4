// `iommu-lab flash`: write a coreboot build (file or URL) with the rig's settings, read the chip,
// restore the known-good image, or mark the last written image as known-good.
import type { Command } from 'commander';
import type { FlashReport } from '../../../flash/flasher/flash-firmware.ts';
import { sessionFlasher } from '../../../flash/flasher/part.ts';
import { markKnownGood } from '../../../flash/supply/known-good.ts';
import { parseSettingsArg } from '../../../flash/supply/settings.ts';
import { checkSourceArgs } from '../../../flash/supply/source.ts';
import { UsageError } from '../../core/errors.ts';
import { registerUrlCredentials } from '../../core/redact.ts';
import { parseFlavourArg } from '../../firmware/flavour.ts';
import { loadRig } from '../../rig/load.ts';
import { rigOption } from '../kit/rig-option.ts';
import { attachProgressUi } from '../kit/ui.ts';
import { withSession } from '../kit/with-session.ts';

interface Flags {
  rig: string;
  sha256?: string;
  firmwareFile?: string;
  restore?: boolean;
  read?: string;
  settings?: string;
  forceBoard?: boolean;
  flavour?: string;
  markKnownGood?: boolean;
  region?: string;
  readBack?: boolean;
}

export function register(program: Command): void {
  program
    .command('flash')
    .description('flash a coreboot build onto the board (with the rig firmware settings), read it, or restore it')
    .argument(
      '[image]',
      'image file, http(s) URL, or a Dasharo release: dasharo-seabios|dasharo-uefi:<version>:<board>',
    )
    .addOption(rigOption())
    .option('--sha256 <hex>', 'expected SHA-256 of the image (else a .sha256/.SHA256 file next to it is used)')
    .option('--firmware-file <rom>', "your copy of a Dasharo release's ROM, checked against its published .sha256")
    .option('--settings <list>', 'firmware settings to set, e.g. iommu=on,pxe=on (default: the rig firmware settings)')
    .option('--force-board', 'flash an image that names another board')
    .option('--flavour <name>', 'pcengines|dasharo-seabios|dasharo-uefi|coreboot, for an image that does not tell it')
    .option('--region <name>', 'write only this FMAP region (e.g. COREBOOT); the chip BOOTORDER is checked and fixed')
    .option('--read-back', "read the settings back with a separate flashrom read (default: flashrom's verify)")
    .option('--restore', "write the rig's known-good image back")
    .option('--read <file>', 'read the chip into a file')
    .option('--mark-known-good', 'keep the image last written as the rig known-good image')
    .action(async (image: string | undefined, f: Flags) => {
      await flashCommand(image, f);
    });
}

async function flashCommand(image: string | undefined, f: Flags): Promise<void> {
  const modes = [image, f.restore, f.read, f.markKnownGood].filter(Boolean).length;
  if (modes !== 1)
    throw new UsageError('flash: give exactly one of <image>, --restore, --read <file>, --mark-known-good');
  if ((f.sha256 || f.settings || f.forceBoard || f.region || f.flavour || f.firmwareFile) && !image)
    throw new UsageError(
      'flash: --sha256, --settings, --force-board, --flavour, --firmware-file and --region go with an <image>',
    );
  // A release's words and ROM file (or a --firmware-file without a release) are refused before the bench opens.
  if (image) checkSourceArgs(image, { file: f.firmwareFile, sha256: f.sha256 });
  const flavour = f.flavour !== undefined ? parseFlavourArg(f.flavour) : undefined;
  const settings = f.settings !== undefined ? parseSettingsArg(f.settings) : undefined;
  if (image) registerUrlCredentials(image);
  const rig = await loadRig(f.rig);
  if (f.markKnownGood) {
    const p = await markKnownGood(rig.name);
    if (!p) throw new UsageError(`flash: nothing was flashed on ${rig.name} from this host yet`);
    console.log(`${rig.name}: known-good image is now ${p}`);
    return;
  }
  const detach = attachProgressUi();
  try {
    await withSession(rig, { open: ['power'] }, async (s) => {
      const flasher = await sessionFlasher(s);
      if (f.read) {
        await flasher.readChip(f.read);
        console.log(`${rig.name}: chip read into ${f.read}`);
      } else if (f.restore) print(rig.name, await flasher.restoreKnownGood());
      else
        print(
          rig.name,
          await flasher.flash(image!, {
            sha256: f.sha256,
            file: f.firmwareFile,
            settings,
            forceBoard: f.forceBoard,
            flavour,
            region: f.region,
            readBack: f.readBack,
          }),
        );
    });
  } finally {
    detach();
  }
}

function print(rig: string, r: FlashReport): void {
  const i = r.image;
  console.log(`${rig}: ${r.outcome.kind} — ${r.outcome.detail}`);
  console.log(`  image     ${i.origin} sha256 ${i.sha256}${i.fromCache ? ' (cache)' : ''}, checksum ${i.checksum}`);
  if (i.release) console.log(`  release   ${i.release.sha256Url}; signature ${i.release.signature}`);
  console.log(`  says      ${i.version ?? 'no version'} for ${i.board ?? 'an unnamed board'}`);
  console.log(`  flavour   ${i.flavour ?? 'untold'}${i.flavourWhy ? ` (${i.flavourWhy})` : ''}`);
  console.log(`  regions   ${i.regions.join(', ') || 'none'}`);
  console.log(
    `  settings  ${r.settingsChanged.length ? r.settingsChanged.join(', ') : 'unchanged'}; chip now ${r.chipSettings}`,
  );
  if (r.lastImage) console.log(`  previous  chip content kept in ${r.lastImage}`);
  console.log(`  bus time  ${r.chipPasses.fullReads} full-chip read(s), ${r.chipPasses.writes} erase/write pass(es)`);
  for (const w of r.warnings) console.log(`  warning   ${w}`);
}
