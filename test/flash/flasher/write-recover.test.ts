// What happens after a failed write, with flashrom's answers scripted from recorded outputs
// (a real dummy chip cannot be made to fail a verify on demand).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Flashrom } from '../../../flash/flasher/flashrom.ts';
import { type FlashOp, parseFlashromOutput } from '../../../flash/flasher/flashrom-outcome.ts';
import { writeAndRecover } from '../../../flash/flasher/write-recover.ts';
import { isRigError } from '../../../lib/core/errors.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures/flashrom', name), 'utf8');
const outcome = (name: string, op: FlashOp, exitCode: number | null) =>
  parseFlashromOutput({ stdout: fixture(name), stderr: '', exitCode, timedOut: false }, op);

const OLD = Buffer.alloc(64, 1);
const NEW = Buffer.alloc(64, 2);
const MIXED = Buffer.concat([NEW.subarray(0, 32), OLD.subarray(32)]);

/** A flashrom whose writes answer from a script and whose chip reads return `chip`. */
function scripted(writes: string[], chip: () => Buffer) {
  const calls: string[] = [];
  const fake = {
    async write(path: string) {
      calls.push(`write ${path}`);
      const next = writes.shift()!;
      const [name, code] = next.split(':');
      return outcome(name!, 'write', code === 'null' ? null : Number(code));
    },
    async read(out: string) {
      calls.push('read');
      writeFileSync(out, chip());
      return outcome('dummy-1.3-read.txt', 'read', 0);
    },
  };
  return { flashrom: fake as unknown as Flashrom, calls };
}

describe('write recovery', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'iommu-lab-wr-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const ctx = (flashrom: Flashrom, restore = true) => ({
    flashrom,
    imagePath: 'new.rom',
    intended: NEW,
    before: OLD,
    workDir: dir,
    restore: { enabled: restore, knownGoodPath: 'known-good.rom' },
  });

  it('retries once on chip-not-found, then succeeds', async () => {
    const s = scripted(['dummy-1.3-chip-not-found.txt:1', 'dummy-1.3-verified.txt:0'], () => NEW);
    const r = await writeAndRecover(ctx(s.flashrom));
    assert.equal(r.outcome.kind, 'verified');
    assert.equal(r.attempts, 2);
  });

  it('never retries more than once', async () => {
    const s = scripted(['dummy-1.3-chip-not-found.txt:1', 'dummy-1.3-chip-not-found.txt:1'], () => OLD);
    await assert.rejects(writeAndRecover(ctx(s.flashrom)), /FLASH_CHIP_NOT_FOUND|twice/);
    assert.deepEqual(s.calls, ['write new.rom', 'write new.rom']);
  });

  it('a verify failure leaving a mixed chip: read back, then known-good restored (rig policy on)', async () => {
    let chip = MIXED;
    const s = scripted(['macronix-verify-failed.txt:3', 'dummy-1.3-verified.txt:0'], () => chip);
    await assert.rejects(writeAndRecover(ctx(s.flashrom)), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'FLASH_FAILED');
      assert.match(e.message, /verify-failed: verify failed at 0x00000010; the known-good image was written back/);
      return true;
    });
    chip = OLD;
    assert.deepEqual(s.calls, ['write new.rom', 'read', 'write known-good.rom']);
  });

  it('with restoreOnVerifyFailure off, the mixed chip is reported, not restored', async () => {
    const s = scripted(['macronix-verify-failed.txt:3'], () => MIXED);
    await assert.rejects(writeAndRecover(ctx(s.flashrom, false)), /holds neither image \(not restored/);
    assert.deepEqual(s.calls, ['write new.rom', 'read']);
  });

  it('an erase failure that left the old image: no restore needed', async () => {
    const s = scripted(['winbond-linux-spi-erase-failed.txt:1'], () => OLD);
    await assert.rejects(writeAndRecover(ctx(s.flashrom)), /erase-failed.*still holds its previous image/);
    assert.deepEqual(s.calls, ['write new.rom', 'read']);
  });

  it('a write cut off after the data landed: the read-back decides, the outcome stays write-failed', async () => {
    const s = scripted(['apu1-output-cut-mid-write.txt:null'], () => NEW);
    const r = await writeAndRecover(ctx(s.flashrom));
    assert.equal(r.outcome.kind, 'write-failed');
    assert.equal(r.verdict, 'written');
  });

  it('a restore that fails too is FLASH_BRICKED', async () => {
    const s = scripted(['macronix-verify-failed.txt:3', 'winbond-linux-spi-erase-failed.txt:1'], () => MIXED);
    await assert.rejects(writeAndRecover(ctx(s.flashrom)), (e: unknown) => isRigError(e, 'FLASH_BRICKED'));
  });
});
