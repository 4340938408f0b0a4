import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import {
  clearSecrets,
  redact,
  redactValue,
  redactWrites,
  registerSecret,
  StreamRedactor,
} from '../../lib/core/redact.ts';

describe('core/redact', () => {
  afterEach(() => clearSecrets());

  it('masks every occurrence of a registered secret', () => {
    registerSecret('s3cr3t-pw');
    assert.equal(redact('user:s3cr3t-pw@host s3cr3t-pw'), 'user:***@host ***');
  });

  it('masks secret-looking keys in step parameters', () => {
    assert.deepEqual(redactValue({ host: 'h', password: 'abc', nested: { token: 'x' } }), {
      host: 'h',
      password: '***',
      nested: { token: '***' },
    });
  });

  it('refuses a secret too short to be masked instead of silently not masking it', () => {
    assert.throws(() => registerSecret('abc'), /at least 4 characters/);
    assert.equal(redact('abc'), 'abc');
  });

  it('masks a secret in the forms a reply echoes it: percent-, form- and JSON-encoded', () => {
    registerSecret('pl&ug pass#1"x');
    const echoed = [
      'password=pl%26ug%20pass%231%22x', // encodeURIComponent
      'password=pl%26ug+pass%231%22x', // application/x-www-form-urlencoded (URLSearchParams)
      'password=pl%26ug%20pass%231%22x'.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()), // lower-case hex
      '{"password":"pl&ug pass#1\\"x"}', // a JSON body
    ];
    for (const text of echoed) assert.doesNotMatch(redact(text), /pl(&|%26)ug/i, `${text} → ${redact(text)}`);
  });

  it('masks a secret split across two chunks of a stream, and holds back no more than it must', () => {
    registerSecret('hunter2-pw');
    const r = new StreamRedactor();
    const out = [r.push('login ok\npassword is hun'), r.push('ter2-pw, welcome\n'), r.flush()];
    assert.equal(out.join(''), 'login ok\npassword is ***, welcome\n');
    assert.ok(out[0]!.startsWith('login ok\n'), 'text that cannot be part of a secret is passed on at once');
    assert.doesNotMatch(out.join('|'), /hun|ter2/);
  });

  it('redacts what is written to a stream until restored', () => {
    registerSecret('hunter2-pw');
    const s = new PassThrough();
    let seen = '';
    s.on('data', (d) => (seen += d));
    const restore = redactWrites(s);
    s.write('pw hunter2-pw\n');
    s.write(Buffer.from('again hunter2-pw\n'));
    restore();
    s.write('raw hunter2-pw\n');
    assert.equal(seen, 'pw ***\nagain ***\nraw hunter2-pw\n');
  });
});
