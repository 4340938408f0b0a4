import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import {
  clearSecrets,
  redact,
  redactValue,
  redactWrites,
  registerSecret,
  registerUrlCredentials,
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

  describe('credentials in URLs (#24 N4)', () => {
    const cases: [string, string][] = [
      ['https://oauth2:glpat-xyz123@gitlab.example/a.rom', 'https://oauth2:***@gitlab.example/a.rom'],
      ['https://ghp_abcdef@github.example/a.rom', 'https://***@github.example/a.rom'],
      ['http://h/a.rom?private_token=abcd1234&ref=v1', 'http://h/a.rom?private_token=***&ref=v1'],
      ['http://h/a.rom?token=t0k3n', 'http://h/a.rom?token=***'],
      ['http://h/a.rom?key=k3y-value&sig=s1gval', 'http://h/a.rom?key=***&sig=***'],
      ['http://h/a.rom?signature=abc&X-Amz-Date=20261207T000000Z', 'http://h/a.rom?signature=***&X-Amz-Date=***'],
      [
        's3 https://b.s3.example/a.rom?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=ff00 failed',
        's3 https://b.s3.example/a.rom?X-Amz-Credential=***&X-Amz-Signature=*** failed',
      ],
      ['"source": "https://h/a.rom?token=abcd"', '"source": "https://h/a.rom?token=***"'],
      ['value="https://h/a?x=1&amp;private_token=abcd"', 'value="https://h/a?x=1&amp;private_token=***"'],
      ['https://h/a.rom#sha256=00ff', 'https://h/a.rom#sha256=00ff'],
      ['https://h/a.rom?ref=main', 'https://h/a.rom?ref=main'],
    ];
    for (const [raw, shown] of cases) it(`shows ${raw} as ${shown}`, () => assert.equal(redact(raw), shown));

    it('registers a URL’s credentials so that their other forms are masked too', () => {
      registerUrlCredentials('https://ci:p%40ss-w0rd@h/a.rom?private_token=glpat-abc&X-Amz-Date=20261207');
      assert.equal(
        redact('server said: bad token glpat-abc for ci/p@ss-w0rd'),
        'server said: bad token *** for ci/***',
      );
      assert.equal(redact('at 20261207'), 'at 20261207');
    });
  });
});
