// The terminal view of `console`: secrets masked even when split across chunks, and a lone
// character that could start a secret still shown after a short quiet spell (an echo at a prompt).
import assert from 'node:assert/strict';
import { redactedTap } from '../../lib/console/redacted-tap.ts';
import { clearSecrets, registerSecret } from '../../lib/core/redact.ts';
import { sleep } from '../../lib/core/time.ts';

describe('console/redacted-tap', () => {
  afterEach(clearSecrets);

  it('masks a secret split across chunks and keeps other bytes exactly', () => {
    registerSecret('s3cret-pass');
    const got: Buffer[] = [];
    const { tap, flush } = redactedTap((d) => got.push(d));
    tap(Buffer.from([0xff, 0x41]));
    tap(Buffer.from('pw s3cr'));
    tap(Buffer.from('et-pass ok'));
    flush();
    assert.deepEqual(Buffer.concat(got), Buffer.concat([Buffer.from([0xff, 0x41]), Buffer.from('pw *** ok')]));
  });

  it('shows a held character after a quiet spell', async () => {
    registerSecret('s3cret-pass');
    const got: Buffer[] = [];
    const { tap } = redactedTap((d) => got.push(d));
    tap(Buffer.from('s'));
    assert.equal(Buffer.concat(got).toString(), '');
    await sleep(400);
    assert.equal(Buffer.concat(got).toString(), 's');
  });
});
