// The GRUB side of the UEFI boot (docs/real-bench.md "EFI iPXE has no multiboot"): EFI iPXE
// chains GRUB, whose embedded stub sources the per-run grub.cfg from iommu-lab's boot server; that
// grub.cfg loads Xen with `multiboot2` and dom0 with `module2`, all over HTTP. Every value from the
// rig is one GRUB word, single-quoted (GRUB 2.06 docs/grub.texi "Quoting": single quotes keep every
// character literal, `$` included, but cannot hold a single quote). Command lines are split into
// words, each quoted alone: GRUB's loader joins the words with spaces again and re-escapes a word
// holding a space, quote or backslash (grub-core/lib/cmdline.c grub_create_loader_cmdline), so such
// a word would reach Xen changed, and is refused.
import { UsageError } from '../core/errors.ts';
import { printable } from '../core/printable.ts';
import { CONTROL_CHAR } from '../core/rig-fields.ts';

/** Where the board fetches GRUB and its per-run config on the boot server. */
export const GRUB_EFI_PATH = '/efi/grubx64.efi';
export const GRUB_CFG_PATH = '/efi/grub.cfg';

/** One GRUB word, single-quoted; a single quote is closed, escaped (`\'`, the escape character) and reopened. */
export function grubQuote(what: string, value: string): string {
  if (CONTROL_CHAR.test(value))
    throw new UsageError(
      `${what}: ${printable(value, { max: 80 })} holds a newline or control character; refused in a GRUB script`,
    );
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** A kernel command line as GRUB words, each passed to the kernel exactly as written. */
export function grubArgs(what: string, cmdline: string): string {
  return cmdline
    .split(' ')
    .filter((w) => w !== '')
    .map((w) => {
      if (/['"\\]/.test(w))
        throw new UsageError(
          `${what}: the word ${printable(w, { max: 60 })} holds a quote or backslash, which GRUB re-escapes before the kernel sees it; refused`,
        );
      return grubQuote(what, w);
    })
    .join(' ');
}

/** GRUB's network drive for the boot server: `(http,<host>:<port>)` (a port needs Debian's GRUB: see docs/real-bench.md). */
export function grubHttpDrive(base: string): string {
  const u = new URL(base);
  if (u.protocol !== 'http:' || u.pathname !== '/' || u.search || u.username)
    throw new UsageError(
      `boot server URL ${printable(base, { max: 80 })}: GRUB loads over plain http://host:port only`,
    );
  return `(http,${u.host})`;
}

/**
 * The stub built into grubx64.efi: bring the network up unless GRUB took iPXE's DHCP answer
 * already (grub-core/net/drivers/efi/efinet.c grub_efi_net_config_real reads the PXE base code
 * of the handle it was loaded from), then read the run's grub.cfg.
 */
export function renderGrubStub(base: string): string {
  const cfg = grubQuote('boot server URL', `${grubHttpDrive(base)}${GRUB_CFG_PATH}`);
  return [
    'set timeout=0',
    'if [ -z "$net_default_ip" ]; then net_bootp; fi',
    `echo 'iommu-lab: loading' ${cfg}`,
    `source ${cfg}`,
    // Reached only if the config did not boot: say so on the console, where the run looks.
    "echo 'iommu-lab: grub.cfg did not boot'",
    '',
  ].join('\n');
}

export interface GrubCfgInput {
  /** serverUrl() */
  base: string;
  xenCommandLine: string;
  dom0CommandLine: string;
  paths: { xen: string; dom0Kernel: string; dom0Initrd: string };
}

/** The per-run grub.cfg: Xen as multiboot2 with the rig's command line, dom0 kernel and initramfs as modules. */
export function renderGrubCfg(i: GrubCfgInput): string {
  const drive = grubHttpDrive(i.base);
  const file = (p: string) => grubQuote('boot server path', `${drive}${p}`);
  const xen = grubArgs('boot.xenCommandLine', i.xenCommandLine);
  const dom0 = grubArgs('boot.server.dom0CommandLine', i.dom0CommandLine);
  return [
    "echo 'iommu-lab: multiboot2 Xen'",
    `multiboot2 ${file(i.paths.xen)} ${xen}`.trimEnd(),
    `module2 ${file(i.paths.dom0Kernel)} ${dom0}`.trimEnd(),
    `module2 ${file(i.paths.dom0Initrd)}`,
    'boot',
    '',
  ].join('\n');
}
