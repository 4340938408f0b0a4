import assert from 'node:assert/strict';
import { OutputBuffer } from '../../lib/core/output-buffer.ts';

describe('core/output-buffer', () => {
  it('keeps everything under the limit, and only the tail beyond it', () => {
    const small = new OutputBuffer(100);
    small.push('abc');
    small.push(Buffer.from('déf'));
    assert.equal(small.toString(), 'abcdéf');
    const big = new OutputBuffer(10);
    for (const c of ['aaaa', 'bbbb', 'cccc', 'dddd']) big.push(c);
    assert.equal(big.toString(), '[... 6 bytes of earlier output dropped]\nbbccccdddd');
    const one = new OutputBuffer(3);
    one.push('0123456789');
    assert.equal(one.toString(), '[... 7 bytes of earlier output dropped]\n789');
  });

  it('decodes a multi-byte character split across chunks', () => {
    const buf = new OutputBuffer();
    const e = Buffer.from('é');
    buf.push(e.subarray(0, 1));
    buf.push(e.subarray(1));
    assert.equal(buf.toString(), 'é');
  });
});
