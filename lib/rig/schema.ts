// The rig file format. Strict everywhere: an unknown key is an error, never ignored.
import { z } from 'zod';
import { consoleSchema } from '../console/schema.ts';
import { lockSchema } from '../lock/schema.ts';
import { powerSchema } from '../power/open.ts';
import { sshTarget } from '../remote/target-schema.ts';
import { boardSchema } from './sections/board.ts';
import { bootSchema } from './sections/boot.ts';
import { dmaSchema } from './sections/dma.ts';
import { flasherSchema } from './sections/flasher.ts';
import { guestsSchema } from './sections/guests.ts';
import { bdf } from './sections/pci.ts';
import { trafficSchema } from './sections/traffic.ts';

export { MAX_TIMEOUT_MS, type SecretRef, secretRef } from '../core/rig-fields.ts';

export const rigSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'kebab-case'),
    description: z.string().optional(),
    board: boardSchema,
    capabilities: z.strictObject({
      iommu: z.boolean(),
      hvm: z.boolean(),
      pv: z.boolean(),
      passthroughNic: bdf.optional(),
    }),
    firmware: z.strictObject({ iommu: z.boolean().optional(), pxe: z.boolean().optional() }).optional(),
    power: powerSchema,
    console: consoleSchema,
    flasher: flasherSchema.optional(),
    boot: bootSchema,
    dom0: sshTarget,
    lock: lockSchema,
    guests: guestsSchema.optional(),
    dma: dmaSchema.optional(),
    traffic: trafficSchema.optional(),
    /** A software bench (lib/bench/<name>-provider.ts) the session brings up before the lock. */
    provider: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,31}$/, 'a provider name (lower-case letters, digits, dashes)')
      .optional(),
  })
  .superRefine(crossFieldRules);

/** Rules between keys: what one part needs from another, said before anything is opened. */
function crossFieldRules(
  rig: {
    flasher?: { where: string; controller?: unknown; powerState?: string };
    power: Record<string, unknown>;
    lock: { kind: string };
    boot: {
      network: { method: string; chain?: string; entry?: string; key?: string | false };
      server?: { image: { nic?: string; address: 'dhcp' | { cidr: string } } };
    };
    board: { nics: { pci: string }[] };
    dom0: { host: string };
  },
  ctx: z.RefinementCtx,
): void {
  const image = rig.boot.server?.image;
  if (image?.nic && !rig.board.nics.some((n) => n.pci.toLowerCase() === image.nic!.toLowerCase()))
    ctx.addIssue({
      code: 'custom',
      path: ['boot', 'server', 'image', 'nic'],
      message: `not one of board.nics (${rig.board.nics.map((n) => n.pci).join(', ')})`,
    });
  const fixed = image && image.address !== 'dhcp' ? image.address.cidr.split('/')[0] : undefined;
  if (fixed && /^[\d.]+$/.test(rig.dom0.host) && fixed !== rig.dom0.host)
    ctx.addIssue({
      code: 'custom',
      path: ['boot', 'server', 'image', 'address'],
      message: `dom0 would take ${fixed}, but the test host reaches it at dom0.host ${rig.dom0.host}`,
    });
  if (rig.boot.network.method === 'ipxe-shell' && !rig.boot.network.chain && !rig.boot.server)
    ctx.addIssue({
      code: 'custom',
      path: ['boot', 'network', 'chain'],
      message: 'ipxe-shell chains a script: give its URL here, or a boot.server to serve it',
    });
  // The UEFI flavour has no "N for PXE boot": a key there would wait for a prompt that never comes.
  if (rig.boot.network.entry === 'uefi-boot-manager' && rig.boot.network.key !== false)
    ctx.addIssue({
      code: 'custom',
      path: ['boot', 'network', 'key'],
      message: 'entry "uefi-boot-manager" starts at the UEFI prompt (F10), not at "N for PXE boot": set key: false',
    });
  if (rig.flasher?.powerState === 'S5' && typeof rig.power.powerButtonGpio !== 'number')
    ctx.addIssue({
      code: 'custom',
      path: ['power', 'powerButtonGpio'],
      message:
        'the flasher puts the board into S5 (flasher.powerState, the default) by holding the power button: give its RTE GPIO, or flash in "G3" where the programmer powers the chip',
    });
  if (rig.flasher?.where === 'ssh' && !rig.flasher.controller)
    ctx.addIssue({
      code: 'custom',
      path: ['flasher', 'controller'],
      message: 'flasher.where "ssh" runs flashrom on the bench controller: give its SSH target here',
    });
  if (rig.lock.kind === 'ssh' && !rig.flasher?.controller)
    ctx.addIssue({
      code: 'custom',
      path: ['lock'],
      message:
        'kind "ssh" keeps the lock on the bench controller (flasher.controller), and the rig has none; use kind "local"',
    });
}

export type RigInput = z.input<typeof rigSchema>;
export type Rig = z.output<typeof rigSchema>;
export type { ConsoleConfig } from '../console/schema.ts';
export type { PowerConfig } from '../power/open.ts';
export type { SshTarget } from '../remote/target-schema.ts';
export type { BootServerConfig } from './sections/boot.ts';
export type { FlasherConfig } from './sections/flasher.ts';
export { guestType, SAFE_DOM0_PATH } from './sections/guests.ts';
