import assert from 'node:assert/strict';
import { runArgv } from '../../lib/power/run-argv.ts';

describe('power/run-argv', () => {
  it('returns the one result shape, with each argument passed literally', async () => {
    const r = await runArgv(['sh', '-c', 'printf "%s|" "$@"; echo err >&2; exit 4', 'sh', 'a b', "it's", '$HOME'], {
      timeoutMs: 5000,
    });
    assert.equal(r.stdout, "a b|it's|$HOME|");
    assert.equal(r.stderr, 'err\n');
    assert.equal(r.exitCode, 4);
    assert.equal(r.timedOut, false);
    assert.equal(r.command, `sh -c 'printf "%s|" "$@"; echo err >&2; exit 4' sh 'a b' 'it'\\''s' '$HOME'`);
  });

  it('feeds input and kills on timeout', async () => {
    assert.equal((await runArgv(['cat'], { timeoutMs: 5000, input: 'hello' })).stdout, 'hello');
    const r = await runArgv(['sleep', '10'], { timeoutMs: 100 });
    assert.equal(r.timedOut, true);
    assert.equal(r.exitCode, null);
    assert.ok(r.durationMs < 5000);
  });
});
