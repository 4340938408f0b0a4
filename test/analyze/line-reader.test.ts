import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { cut, readLines } from '../../lib/analyze/line-reader.ts';
import { toLines } from '../../lib/core/text.ts';
import { problem } from './input-problem.ts';

async function lines(chunks: (string | Buffer)[], maxBytes?: number): Promise<string[]> {
  const out: string[] = [];
  const stream = Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
  for await (const batch of readLines(stream, { name: 't', maxBytes })) out.push(...batch);
  return out;
}

describe('analyze/line-reader', () => {
  it('cuts a text into lines exactly as the regex split /\\r\\n|\\n|\\r/ does', () => {
    const pieces = ['', 'a', '\n', '\r', '\r\n', '\n\r', '(XEN) x', 'é€😀', ' '];
    // Every text of up to four pieces: every order of terminators, at the start, the end, doubled.
    const texts = [''];
    for (let n = 0; n < 4; n++) for (const t of [...texts]) for (const p of pieces) texts.push(t + p);
    for (const t of new Set(texts)) assert.deepEqual(cut(t), t.split(/\r\n|\n|\r/), JSON.stringify(t));
  });

  it('splits lines exactly as toLines does, wherever the chunks break (CRLF, CR, LF, no final newline)', async () => {
    // The first 64 KiB are read whole (the binary check), so the cuts come after them.
    const filler = 'filler line\n'.repeat(6000);
    const tails = ['a\r\nb\rc\nd', 'a\n', 'a\n\n', 'a\r', '\r\n\r\nx\r', 'é€\n😀\r\nz', '(XEN) x\r\n(XEN) y\r\n'];
    for (const tail of tails) {
      const text = filler + tail;
      const want = toLines(text).map((l) => l.text);
      const bytes = Buffer.from(text);
      // Every cut point in the tail, including inside a CRLF and inside a multi-byte character.
      for (let cut = filler.length; cut <= bytes.length; cut++) {
        const got = await lines([bytes.subarray(0, cut), bytes.subarray(cut)]);
        assert.deepEqual(
          got.flatMap((l) => toLines(l).map((x) => x.text)),
          want,
          `${JSON.stringify(tail)} cut at ${cut - filler.length}`,
        );
      }
    }
  });

  it('refuses binary data before giving out a line, and blank input at its end', async () => {
    const gen = readLines(Readable.from([Buffer.alloc(70_000, 0)]), { name: 't' });
    assert.equal(await problem(gen.next()), 'binary');
    assert.equal(await problem(lines([Buffer.alloc(8192, 0xff)])), 'binary');
    assert.equal(await problem(lines([' \n', '\t\r\n'])), 'empty');
    assert.equal(await problem(lines([])), 'empty');
  });

  it('reads past 64 KiB and any size without a cap; --max-bytes is opt-in', async () => {
    const big = '(XEN) x\n'.repeat(20_000);
    assert.equal((await lines([big, big])).length, 40_000);
    assert.equal(await problem(lines([big, big], 100_000)), 'too-large');
  });

  it('stops reading an endless stdin at --max-bytes: it pulls no more than the cap and one buffer', async () => {
    // Node 24 raised the default highWaterMark of a Readable from 16 KiB to 64 KiB, so how much
    // is pulled ahead depends on the stream's own buffer, not on a fixed number of chunks.
    let pulled = 0;
    const endless = new Readable({
      read() {
        pulled += 1024;
        this.push(Buffer.alloc(1024, 0x41));
      },
    });
    const cap = 10 * 1024;
    assert.equal(await problem(consume(endless, cap)), 'too-large');
    assert.ok(pulled <= cap + endless.readableHighWaterMark + 2048, `pulled ${pulled} bytes`);
  });
});

async function consume(stream: Readable, maxBytes: number): Promise<void> {
  for await (const _ of readLines(stream, { name: 't', maxBytes })) {
    // lines are not needed
  }
}
