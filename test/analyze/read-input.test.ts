import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { asInputError, type InputError, looksBinary, openInput } from '../../lib/analyze/read-input.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { problem } from './input-problem.ts';

const dir = tempDir('analyze-input-');
const file = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

describe('analyze/read-input', () => {
  it('opens a file as a stream and stdin as itself', async () => {
    const f = await openInput(file('a.log', '(XEN) hi\n'));
    assert.equal(f.name, join(dir, 'a.log'));
    const chunks: Buffer[] = [];
    for await (const c of f.stream) chunks.push(c as Buffer);
    assert.equal(Buffer.concat(chunks).toString(), '(XEN) hi\n');
    const stdin = Readable.from(['x']);
    const s = await openInput('-', { stdin });
    assert.equal(s.name, 'stdin');
    assert.equal(s.stream, stdin);
  });
  it('refuses missing files and directories, and a file over --max-bytes only when asked', async () => {
    assert.equal(await problem(openInput(join(dir, 'missing'))), 'unreadable');
    assert.equal(await problem(openInput(dir)), 'unreadable');
    const big = file('big.log', 'x'.repeat(2000));
    assert.equal(await problem(openInput(big, { maxBytes: 1000 })), 'too-large');
    assert.equal(await problem(openInput(big)), 'none');
  });
  it('accepts serial noise in a text log', () => {
    assert.equal(looksBinary(Buffer.from('(XEN) a\x00b\n'.repeat(50))), false);
    assert.equal(looksBinary(Buffer.from('\x7fELF\x02\x01')), true);
  });
});

describe('analyze/read-input asInputError', () => {
  it('turns a read error into an unreadable input, and leaves a bug a bug', () => {
    const eio = Object.assign(new Error('i/o'), { code: 'EIO' });
    const wrapped = asInputError('x.log', eio) as InputError;
    assert.equal(wrapped.problem, 'unreadable');
    assert.match(wrapped.message, /x\.log: cannot read \(EIO\)/);
    const bug = new TypeError('undefined is not a function');
    assert.equal(asInputError('x.log', bug), bug);
  });
});
