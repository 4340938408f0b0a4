// One write and what follows it: a single retry when flashrom did not find the chip (a bad clip
// contact), and after any failed write or verify the chip is read back before deciding: did it
// keep the old image, get the new one, or neither (then the rig's policy may restore known-good).

import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RigError } from '../../lib/core/errors.ts';
import { progress } from '../../lib/core/progress.ts';
import type { Flashrom } from './flashrom.ts';
import { type FlashOutcome, SUCCESS } from './flashrom-outcome.ts';

export type ChipVerdict = 'written' | 'unchanged' | 'mixed' | 'restored' | 'restore-failed';

export interface WriteReport {
  outcome: FlashOutcome;
  attempts: number;
  /** Only after a failed write: what the read-back showed. */
  verdict?: ChipVerdict;
}

export interface WriteContext {
  flashrom: Flashrom;
  imagePath: string;
  regions?: string[];
  /** What the chip must hold after a good write. */
  intended: Buffer;
  /** The chip before the write, when it was read. */
  before?: Buffer;
  /** The same, as a file flashrom can take as --flash-contents. */
  beforePath?: string;
  workDir: string;
  /** The rig's restoreOnVerifyFailure and the image to restore, if any. */
  restore?: { enabled: boolean; knownGoodPath?: string };
}

export async function writeAndRecover(ctx: WriteContext): Promise<WriteReport> {
  const opts = { regions: ctx.regions, knownContents: ctx.beforePath };
  let outcome = await ctx.flashrom.write(ctx.imagePath, opts);
  let attempts = 1;
  if (outcome.kind === 'chip-not-found') {
    progress.emit('warn', 'flash: no chip found; retrying once (clip or contact)');
    outcome = await ctx.flashrom.write(ctx.imagePath, opts);
    attempts++;
  }
  if (SUCCESS.has(outcome.kind)) return { outcome, attempts };
  if (outcome.kind === 'multiple-chips')
    throw new RigError(`flash: ${outcome.detail}`, { code: 'FLASH_MULTIPLE_CHIPS', phase: 'probe' });
  if (outcome.kind === 'chip-not-found')
    throw new RigError(`flash: ${outcome.detail} (twice)`, {
      code: 'FLASH_CHIP_NOT_FOUND',
      phase: 'probe',
    });

  const verdict = await readBack(ctx);
  progress.emit('warn', `flash: ${outcome.kind} (${outcome.detail}); read back: ${verdict}`);
  if (verdict === 'written') return { outcome, attempts, verdict };
  let final: ChipVerdict = verdict;
  if (verdict === 'mixed' && ctx.restore?.enabled && ctx.restore.knownGoodPath) {
    const r = await ctx.flashrom.write(ctx.restore.knownGoodPath);
    final = SUCCESS.has(r.kind) ? 'restored' : 'restore-failed';
  }
  const what = {
    unchanged: 'the chip still holds its previous image',
    mixed: 'the chip holds neither image (not restored: no known-good or restoreOnVerifyFailure is off)',
    restored: 'the known-good image was written back',
    'restore-failed': 'restoring the known-good image failed too: the board may not boot',
    written: '',
  }[final];
  throw new RigError(`flash: ${outcome.kind}: ${outcome.detail}; ${what}`, {
    code: final === 'restore-failed' ? 'FLASH_BRICKED' : 'FLASH_FAILED',
    part: 'flasher',
    phase: outcome.stages.at(-1) ?? 'write',
  });
}

async function readBack(ctx: WriteContext): Promise<ChipVerdict> {
  const out = join(ctx.workDir, `readback-${process.pid}.rom`);
  try {
    const r = await ctx.flashrom.read(out);
    if (r.kind !== 'read') return 'mixed';
    const chip = await readFile(out);
    if (chip.equals(ctx.intended)) return 'written';
    if (ctx.before && chip.equals(ctx.before)) return 'unchanged';
    return 'mixed';
  } finally {
    await rm(out, { force: true });
  }
}
