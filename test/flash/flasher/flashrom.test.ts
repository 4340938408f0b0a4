// An unpinned flasher lets flashrom probe. An apu2's 8 MiB chips (Winbond W25Q64, Macronix
// MX25L64) each match several flashrom definitions of one JEDEC ID, and flashrom then stops
// before touching the chip and asks for -c; board.flash.chip breaks that tie, never forced.
// A real flashrom (its dummy programmer emulating an MX25L6436) on a file-backed chip.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boardChips, Flashrom } from '../../../flash/flasher/flashrom.ts';
import { LocalShell } from '../../../lib/remote/local.ts';
import type { FlasherConfig } from '../../../lib/rig/schema.ts';

const MX = 'MX25L6436E/MX25L6445E/MX25L6465E/MX25L6473E/MX25L6473F';

describe('flasher/flashrom: probe, pin, tie-break', function () {
  this.timeout(60_000);
  let dir: string;
  let chipFile: string;
  const config = (): FlasherConfig => ({
    where: 'local',
    programmer: `dummy:emulate=MX25L6436,image=${chipFile}`,
    timeoutMs: 30_000,
    restoreOnVerifyFailure: true,
    remoteDir: '/tmp/iommu-lab',
    powerState: 'G3',
    s5: { powerOnWaitMs: 0, holdMs: 4_000, afterHoldMs: 0 },
  });
  const flashrom = (o: { chip?: string; prefer?: string[] }) =>
    new Flashrom({ shell: new LocalShell(30_000), config: config(), ...o });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'iommu-lab-flashrom-'));
    chipFile = join(dir, 'chip.rom');
    const content = Buffer.alloc(8 * 1024 * 1024, 0xff);
    content.write('chip content', 0x1000);
    writeFileSync(chipFile, content);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('without a pin the command has no -c; with one it has', () => {
    assert.doesNotMatch(flashrom({}).argv('-r', 'x'), / -c /);
    assert.match(flashrom({ chip: MX }).argv('-r', 'x'), / -c /);
  });

  it('unpinned and unnamed: flashrom probes, matches several definitions, and nothing is chosen', async () => {
    const o = await flashrom({}).read(join(dir, 'out.rom'));
    assert.equal(o.kind, 'multiple-chips');
    assert.ok(o.candidates?.includes(MX), o.output);
    assert.match(o.detail, /names no board\.flash\.chip/);
  });

  it('unpinned, the board names one of the matches: that one is taken and the read succeeds', async () => {
    const f = flashrom({ prefer: ['W25Q64JV-.Q', MX] });
    const out = join(dir, 'out.rom');
    const o = await f.read(out);
    assert.equal(o.kind, 'read', o.output);
    assert.deepEqual(readFileSync(out), readFileSync(chipFile));
    // Later operations keep the definition the tie-break chose.
    assert.ok(f.argv('-r', 'x').includes(MX));
  });

  it("several names matched: the rig's order decides", async () => {
    const f = flashrom({ prefer: ['MX25L6405', MX] });
    assert.equal((await f.read(join(dir, 'out.rom'))).kind, 'read');
    assert.match(f.argv('-r', 'x'), / -c '?MX25L6405'? -r/);
  });

  it('unpinned, the board names a chip flashrom did not match: one line naming both sides', async () => {
    const o = await flashrom({ prefer: ['W25Q64JV-.Q'] }).read(join(dir, 'out.rom'));
    assert.equal(o.kind, 'multiple-chips');
    assert.match(o.detail, /none of them is board\.flash\.chip \(W25Q64JV-\.Q\)/);
  });

  it('board.flash.chip as one name, as several, or absent', () => {
    const board = (chip?: string | string[]) => ({
      board: { model: 'm', nics: [{ name: 'n', pci: '01:00.0' }], flash: { chip, sizeBytes: 1 } },
    });
    assert.deepEqual(boardChips(board('A')), ['A']);
    assert.deepEqual(boardChips(board(['A', 'B'])), ['A', 'B']);
    assert.deepEqual(boardChips(board()), []);
  });
});
