import assert from 'node:assert/strict';
import { lstatSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Transcript, transcriptBody } from '../../lib/console/transcript.ts';
import { clearSecrets, registerSecret } from '../../lib/core/redact.ts';
import { tempDir } from '../helpers/temp-dir.ts';

describe('console/transcript', () => {
  it('writes a header naming the console, then every byte as received, before close', () => {
    const path = join(tempDir('transcript-'), 'sub', 'console.log');
    const t = new Transcript(path, 'ser2net raw 127.0.0.1:13541');
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    t.write(bytes);
    // Readable before close: a crash after this point loses nothing.
    const file = readFileSync(path);
    assert.match(
      file.toString('latin1').split('\n')[0],
      /^# iommu-lab console transcript: ser2net raw 127\.0\.0\.1:13541, /,
    );
    assert.deepEqual(transcriptBody(file), bytes);
    t.close();
    t.close();
    t.write(Buffer.from('late'));
    assert.equal(t.bytes, 256);
  });

  it('replaces a symlink planted at its name instead of writing through it (#24 N18)', () => {
    const dir = tempDir('transcript-');
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'keep me\n');
    symlinkSync(victim, join(dir, 'console.log'));
    const t = new Transcript(join(dir, 'console.log'), 'ser2net raw 127.0.0.1:13541');
    t.write(Buffer.from('board text\n'));
    t.close();
    assert.equal(readFileSync(victim, 'utf8'), 'keep me\n');
    assert.ok(lstatSync(join(dir, 'console.log')).isFile());
    assert.match(readFileSync(join(dir, 'console.log'), 'utf8'), /board text/);
  });

  it('masks a secret the board prints, also split across chunks, and keeps every other byte', () => {
    registerSecret('hunter2-root-pw');
    try {
      const path = join(tempDir('transcript-'), 'console.log');
      const t = new Transcript(path, 'tty');
      t.write(Buffer.from('\xffroot login: pass=hunt', 'latin1'));
      // The start of the secret waits; everything before it is on disk already.
      assert.equal(transcriptBody(readFileSync(path)).toString('latin1'), '\xffroot login: pass=');
      t.write(Buffer.from('er2-root-pw ok\r\nhun', 'latin1'));
      t.write(Buffer.from('gry\r\n'));
      t.close();
      assert.equal(transcriptBody(readFileSync(path)).toString('latin1'), '\xffroot login: pass=*** ok\r\nhungry\r\n');
    } finally {
      clearSecrets();
    }
  });

  it('marks: one line of its own, numbered as console.log counts lines, after the held-back bytes', () => {
    registerSecret('hunter2-root-pw');
    try {
      const path = join(tempDir('transcript-'), 'console.log');
      const t = new Transcript(path, 'tty');
      assert.equal(t.mark('test start: a/b'), 2);
      t.write(Buffer.from('line one\r\npartial hunt', 'latin1'));
      // The partial board line is ended, the held-back "hunt" written before the marker.
      const at = t.mark('test end: a/b passed\nsecond');
      const lines = readFileSync(path, 'latin1').split('\n');
      assert.equal(at, 5);
      assert.equal(lines[4], '### iommu-lab+ test end: a/b passed second');
      assert.equal(lines[3], 'partial hunt');
      assert.equal(lines[1], '### iommu-lab test start: a/b');
      t.close();
      assert.equal(t.mark('late'), undefined);
    } finally {
      clearSecrets();
    }
  });

  it('transcriptBody gives back exactly the bytes the board sent, markers (and their own newlines) left out', () => {
    const path = join(tempDir('transcript-'), 'console.log');
    const t = new Transcript(path, 'tcp');
    const sent = ['boot\r\n', 'partial line', ' goes on\r\n', 'no newline at the end'];
    t.mark('test start: s/one');
    t.write(Buffer.from(sent[0]!, 'latin1'));
    t.write(Buffer.from(sent[1]!, 'latin1'));
    t.mark('test end: s/one passed');
    t.write(Buffer.from(sent[2]!, 'latin1'));
    t.mark('test start: s/two');
    t.write(Buffer.from(sent[3]!, 'latin1'));
    t.mark('test end: s/two');
    t.close();
    const file = readFileSync(path);
    assert.match(file.toString('latin1'), /### iommu-lab\+ test end: s\/one passed/);
    assert.equal(transcriptBody(file).toString('latin1'), sent.join(''));
  });
});
