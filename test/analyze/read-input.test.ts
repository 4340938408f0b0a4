import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { type InputError, looksBinary, readInput } from '../../lib/analyze/read-input.ts';
import { isUsageError } from '../../lib/core/errors.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const dir = tempDir('analyze-input-');
const file = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

async function problem(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.ok(isUsageError(e), String(e));
    return (e as InputError).problem;
  }
  return 'none';
}

describe('analyze/read-input', () => {
  it('reads a text file and stdin', async () => {
    assert.equal(await readInput(file('a.log', '(XEN) hi\n')), '(XEN) hi\n');
    assert.equal(await readInput('-', 1000, Readable.from([Buffer.from('a'), Buffer.from('b')])), 'ab');
  });
  it('refuses missing, directory, empty, binary and too large inputs', async () => {
    assert.equal(await problem(readInput(join(dir, 'missing'))), 'unreadable');
    assert.equal(await problem(readInput(dir)), 'unreadable');
    assert.equal(await problem(readInput(file('e.log', ' \n\n'))), 'empty');
    assert.equal(await problem(readInput(file('b.bin', Buffer.alloc(4096, 0)))), 'binary');
    assert.equal(await problem(readInput(file('rom.bin', Buffer.alloc(8192, 0xff)))), 'binary');
    assert.equal(await problem(readInput(file('big.log', 'x'.repeat(2000)), 1000)), 'too-large');
  });
  it('stops reading stdin past the limit instead of buffering it all', async () => {
    let pulled = 0;
    const endless = new Readable({
      read() {
        pulled++;
        this.push(Buffer.alloc(1024, 0x41));
      },
    });
    assert.equal(await problem(readInput('-', 10 * 1024, endless)), 'too-large');
    assert.ok(pulled < 50, `pulled ${pulled} chunks`);
  });
  it('accepts serial noise in a text log', () => {
    assert.equal(looksBinary(Buffer.from('(XEN) a\x00b\n'.repeat(50))), false);
    assert.equal(looksBinary(Buffer.from('\x7fELF\x02\x01')), true);
  });
});
