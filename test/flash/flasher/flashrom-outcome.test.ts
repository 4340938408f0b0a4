import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FlashOp, parseFlashromOutput } from '../../../flash/flasher/flashrom-outcome.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures/flashrom', name), 'utf8');
const replay = (name: string, op: FlashOp, exitCode: number | null = 1, timedOut = false) =>
  parseFlashromOutput({ stdout: fixture(name), stderr: '', exitCode, timedOut }, op);

describe('flashrom outcome parser (recorded outputs)', () => {
  it('Macronix chips of apu2 batches: multiple definitions, with the candidates', () => {
    const o = replay('macronix-multiple-definitions.txt', 'write');
    assert.equal(o.kind, 'multiple-chips');
    assert.deepEqual(o.candidates, [
      'MX25L6405',
      'MX25L6405D',
      'MX25L6406E/MX25L6408E',
      'MX25L6436E/MX25L6445E/MX25L6465E/MX25L6473E/MX25L6473F',
    ]);
    assert.equal(replay('dummy-1.3-multiple-definitions.txt', 'write').kind, 'multiple-chips');
  });

  it('an erase failure on linux_spi (RPi + W25Q64) and on an old FWH chip', () => {
    const o = replay('winbond-linux-spi-erase-failed.txt', 'write');
    assert.equal(o.kind, 'erase-failed');
    assert.equal(o.chip, 'W25Q64.W');
    assert.match(o.detail, /at 0x00000000/);
    assert.equal(replay('sst-fwh-erase-failed.txt', 'write').kind, 'erase-failed');
  });

  it('verify failures: after a real write, and a dummy -v against another image', () => {
    const o = replay('macronix-verify-failed.txt', 'write', 3);
    assert.equal(o.kind, 'verify-failed');
    assert.deepEqual(o.stages, ['probing', 'reading', 'erasing/writing', 'verifying']);
    assert.match(o.detail, /0x00000010/);
    assert.equal(replay('dummy-1.3-verify-failed.txt', 'verify', 3).kind, 'verify-failed');
  });

  it('success: verified, identical (nothing written), read', () => {
    assert.equal(replay('dummy-1.3-verified.txt', 'write', 0).kind, 'verified');
    const same = replay('dummy-1.3-identical.txt', 'write', 0);
    assert.equal(same.kind, 'identical');
    assert.ok(!same.stages.includes('verifying'));
    assert.equal(replay('dummy-1.3-read.txt', 'read', 0).kind, 'read');
  });

  it('chip not found (wrong -c name or bad contact)', () => {
    assert.equal(replay('dummy-1.3-chip-not-found.txt', 'write').kind, 'chip-not-found');
  });

  it('a write cut off (connection lost, no exit code) or timed out is write-failed, never verified', () => {
    const cut = replay('apu1-output-cut-mid-write.txt', 'write', null);
    assert.equal(cut.kind, 'write-failed');
    assert.match(cut.detail, /cut off.*erasing\/writing/);
    // Even a VERIFIED line does not make a timed-out run a success.
    const late = replay('dummy-1.3-verified.txt', 'write', null, true);
    assert.equal(late.kind, 'write-failed');
    assert.match(late.detail, /timed out/);
  });

  it('an exit 0 without a verdict line is unknown, with the output attached', () => {
    const o = replay('skipped-blocks-unchanged.txt', 'write', 0);
    assert.equal(o.kind, 'unknown');
    assert.match(o.output, /Trying erase function 0/);
  });
});
