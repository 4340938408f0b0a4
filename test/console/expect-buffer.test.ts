import assert from 'node:assert/strict';
import { isConsoleDeath } from '../../lib/console/death.ts';
import { ExpectBuffer } from '../../lib/console/expect-buffer.ts';
import { isRigError, RigError } from '../../lib/core/errors.ts';

const opts = (name: string, timeout = 2000) => ({ name, timeout });
const newBuffer = () => new ExpectBuffer({ description: 'test', deathLingerMs: 20 });

describe('console/expect-buffer', () => {
  it('finds a match split at every byte boundary, for a string, a line regex and a multi-line regex', async () => {
    const text = 'U-Boot junk\r\n(XEN) Xen version 4.8.3 (Debian)\r\nlogin: root\r\nBEGIN\r\nx\r\nEND\r\n';
    const patterns: [RegExp | string, string][] = [
      ['Xen version 4.8.3', 'Xen version 4.8.3'],
      [/Xen version (\d+)\.(\d+)\.\d+ \(/, 'Xen version 4.8.3 ('],
      [/BEGIN\s+x\s+END/, 'BEGIN\r\nx\r\nEND'],
      [/nomatch|BEGIN\r\n[\s\S]*?END|login: \w+\r\n/, 'login: root\r\n'],
      [/BEGIN\r\n[\s\S]*?END|x\r\nEND/, 'BEGIN\r\nx\r\nEND'],
    ];
    for (const [pattern, expected] of patterns) {
      for (let cut = 1; cut < text.length; cut++) {
        const b = newBuffer();
        const p = b.expect(pattern, opts(`cut ${cut}`));
        b.push(text.slice(0, cut));
        b.push(text.slice(cut));
        const m = await p;
        assert.equal(m.text, expected, `${pattern} cut at ${cut}`);
        assert.equal(m.offset, text.indexOf(expected) + expected.length);
      }
    }
  });

  it('finds a match fed one byte at a time and keeps what follows it', async () => {
    const b = newBuffer();
    const p = b.expect(/root@\w+:~# /, opts('prompt'));
    for (const ch of 'boot...\r\nroot@dom0:~# echo hi') b.push(ch);
    const m = await p;
    assert.equal(m.text, 'root@dom0:~# ');
    assert.equal(m.before, 'boot...\r\n');
    assert.equal(b.pending(), 'echo hi');
  });

  it('a timeout names the wait, carries the last lines and loses nothing', async () => {
    const b = newBuffer();
    b.push('SeaBIOS (version 1.16)\r\nBooting from ROM..');
    const err = await b.expect('Xen version', { name: 'Xen banner', timeout: 50 }).catch((e) => e);
    assert.ok(isRigError(err));
    assert.equal(err.code, 'CONSOLE_TIMEOUT');
    assert.equal(err.part, 'console');
    assert.match(err.message, /Xen banner/);
    assert.match(err.consoleTail ?? '', /Booting from ROM/);
    // The kept bytes still satisfy a later wait, joined with new ones.
    const p = b.expect(/ROM\.\.\(XEN\) Xen version/, opts('glued banner'));
    b.push('(XEN) Xen version 4.17.7\r\n');
    assert.equal((await p).before, 'SeaBIOS (version 1.16)\r\nBooting from ');
  });

  it('a death pattern ends the wait with the panic line, even with a Xen timestamp prefix', async () => {
    const b = newBuffer();
    const p = b.expect('login:', opts('dom0 login'));
    b.push('(XEN) [  12.345678] Panic on CPU 0:\r\n');
    b.push('(XEN) [  12.345679] FATAL TRAP: vector = 6 (invalid opcode)\r\n');
    const err = await p.catch((e) => e);
    assert.ok(isConsoleDeath(err));
    assert.equal(err.line, '(XEN) [  12.345678] Panic on CPU 0:');
    assert.equal(err.waitName, 'dom0 login');
    // The linger caught what followed the match: the reason of the panic.
    assert.match(err.consoleTail, /FATAL TRAP/);
  });

  it('detects the Xen panic banner and a Linux panic, not the longer WARNING banner', async () => {
    for (const [text, dies] of [
      ['(XEN) ****************************************\r\n', true],
      ['(XEN) [2018-03-02 16:10:09] ****************************************\r\n', true],
      ['(XEN) ***************************************************\r\n', false],
      ['[    2.1] Kernel panic - not syncing: VFS: Unable to mount root fs\r\n', true],
      ['(XEN) Xen BUG at iommu.c:42\r\n', true],
    ] as const) {
      const b = newBuffer();
      const p = b.expect('never', { name: 'x', timeout: 30 });
      for (const ch of text) b.push(ch);
      const err = await p.catch((e) => e);
      assert.equal(isConsoleDeath(err), dies, text);
    }
  });

  it('a per-wait death pattern is armed only for that wait', async () => {
    const b = newBuffer();
    const p = b.expect('ok', { ...opts('x'), deathPatterns: [/iPXE: No configuration methods succeeded/] });
    b.push('iPXE: No configuration methods succeeded\r\n');
    assert.ok(isConsoleDeath(await p.catch((e) => e)));
    b.discard();
    const q = b.expect('ok', opts('y'));
    b.push('iPXE: No configuration methods succeeded\r\nok');
    assert.equal((await q).text, 'ok');
  });

  it('the silence watchdog fires when nothing arrives for silenceMs', async () => {
    const b = newBuffer();
    const p = b.expect('done', { name: 'flash', timeout: 5000, silenceMs: 80 });
    // Every dot pushed is kept, however many the machine's load let the timer push.
    let pushed = 0;
    const ticker = setInterval(() => {
      b.push('.');
      pushed++;
    }, 20);
    await new Promise((r) => setTimeout(r, 200));
    clearInterval(ticker);
    const err = await p.catch((e) => e);
    assert.ok(isRigError(err));
    assert.equal(err.code, 'CONSOLE_SILENCE');
    assert.ok(pushed > 0);
    assert.equal(b.pending().length, pushed, 'the dots are kept');
  });

  it('a closed transport fails the wait at once unless the kept bytes match', async () => {
    const b = newBuffer();
    b.push('abc');
    b.end(new RigError('gone', { code: 'CONSOLE_TAKEN_OVER', part: 'console' }));
    assert.equal((await b.expect('b', opts('b'))).text, 'b');
    const err = await b.expect('z', opts('z')).catch((e) => e);
    assert.equal(err.code, 'CONSOLE_TAKEN_OVER');
    assert.match(err.message, /while waiting for z/);
  });

  it('finds a multi-line match far longer than any window, fed in small chunks', async () => {
    const b = newBuffer();
    const p = b.expect(/BEGIN (\d+)\r\n[\s\S]*?\r\nEND \1\r\n/, opts('long block'));
    const body = Array.from({ length: 20000 }, (_, i) => `line ${i}`).join('\r\n');
    const text = `noise\r\nBEGIN 7\r\n${body}\r\nEND 7\r\ntrailer`;
    for (let i = 0; i < text.length; i += 97) b.push(text.slice(i, i + 97));
    const m = await p;
    assert.equal(m.groups[0], '7');
    assert.equal(m.text.length, text.length - 'noise\r\n'.length - 'trailer'.length);
    assert.equal(b.pending(), 'trailer');
  });

  it('streams 10 MB with patterns armed and finds every marker at its offset', async () => {
    const b = newBuffer();
    const line = '(XEN) AMD-Vi: IOMMU 0 Enabled. dom0 noise noise noise 0123456789\r\n';
    const markers: number[] = [];
    let text = '';
    for (let i = 0; text.length < 10_000_000; i++) {
      text += line;
      if (i % 5000 === 4999) {
        text += `MARK-${markers.length}-`;
        markers.push(text.length);
      }
    }
    let fed = 0;
    let seed = 7;
    const feed = async () => {
      while (fed < text.length) {
        while (!b.waiting) await new Promise((r) => setImmediate(r));
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        const n = 1 + (seed % 4096);
        b.push(text.slice(fed, fed + n));
        fed += n;
      }
    };
    const feeding = feed();
    for (let i = 0; i < markers.length; i++) {
      const m = await b.expect(`MARK-${i}-`, { ...opts(`marker ${i}`), deathPatterns: [/Oops: \d+/, /segfault at/] });
      assert.equal(m.offset, markers[i]);
    }
    await b.expect('never', { name: 'drain', timeout: 1 }).catch(() => {});
    await feeding;
    assert.equal(b.received, text.length);
  });

  it('refuses a second concurrent wait and an empty-string match', async () => {
    const b = newBuffer();
    const p = b.expect('x', opts('first'));
    assert.throws(() => b.expect('y', opts('second')), /while first is waiting/);
    b.push('x');
    await p;
    b.push('abc');
    await assert.rejects(b.expect(/z*/, opts('empty')), /matched the empty string/);
  });

  it('after waits that timed out, a match begun in their bytes is still found whole', async () => {
    const b = newBuffer();
    b.push('x'.repeat(10_000) + '\r\nvalue=12');
    for (let i = 0; i < 3; i++) await b.expect(/value=\d+;/, { name: 'poll', timeout: 1 }).catch(() => {});
    await b.expect('MARK-1', { name: 'poll', timeout: 1 }).catch(() => {});
    const p = b.expect(/value=\d+;/, opts('value'));
    b.push('3;');
    assert.equal((await p).text, 'value=123;');
  });
});
