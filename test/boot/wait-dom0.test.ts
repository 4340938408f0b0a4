// waitDom0's SSH tries: short handshakes while dom0 boots, every third one the full deadline, so
// a forward that holds the connection (the twin's slirp before dom0 has an address) costs a
// short try, and a dom0 whose handshake is slow still gets full tries.
import assert from 'node:assert/strict';
import type { BootBench } from '../../lib/boot/bench.ts';
import { emptyRecord } from '../../lib/boot/record.ts';
import { DOM0_TRY, waitDom0 } from '../../lib/boot/transitions.ts';
import { RigError } from '../../lib/core/errors.ts';
import type { RemoteShell } from '../../lib/remote/types.ts';
import { validateRig } from '../../lib/rig/load.ts';
import { baseRig } from '../rig/base-rig.ts';

/** A console that stays quiet (but not silent for long): each wait on it just times out. */
function quietConsole() {
  return {
    description: 'scripted console',
    async expect(_re: RegExp, o: { timeout: number }) {
      await new Promise((r) => setTimeout(r, Math.min(o.timeout, 20)));
      throw new RigError('timeout', { code: 'CONSOLE_TIMEOUT' });
    },
    silentForMs: () => 0,
    pending: () => '',
    discard() {},
    tail: () => '',
  };
}

function benchAnsweringOnTry(n: number, handshakeMs = 0): { bench: BootBench; deadlines: number[] } {
  const deadlines: number[] = [];
  const dom0 = {
    async run() {
      return { command: 'xl info', exitCode: 0, stdout: '', stderr: '', durationMs: 1, timedOut: false };
    },
  } as unknown as RemoteShell;
  const bench = {
    rig: validateRig(structuredClone(baseRig), 'x.ts'),
    console: quietConsole(),
    async dom0(timeoutMs: number) {
      deadlines.push(timeoutMs);
      // A handshake slower than the deadline fails; so does every try before the n-th.
      if (deadlines.length < n || handshakeMs > timeoutMs)
        throw new RigError(`no SSH handshake within ${timeoutMs} ms`, { code: 'SSH_TIMEOUT', part: 'remote' });
      return dom0;
    },
    async dropDom0() {},
  } as unknown as BootBench;
  return { bench, deadlines };
}

describe('boot/waitDom0: the dom0 SSH tries', () => {
  it('tries with the short handshake deadline, every third try with the full one', async () => {
    const { bench, deadlines } = benchAnsweringOnTry(7);
    await waitDom0(bench, emptyRecord());
    const s = DOM0_TRY.shortMs;
    const f = DOM0_TRY.fullMs;
    assert.deepEqual(deadlines, [s, s, f, s, s, f, s]);
  });

  it('a dom0 whose handshake outlasts the short deadline is still reached, by a full try', async () => {
    const { bench, deadlines } = benchAnsweringOnTry(1, DOM0_TRY.shortMs + 500);
    await waitDom0(bench, emptyRecord());
    assert.equal(deadlines.length, DOM0_TRY.fullEvery);
    assert.equal(deadlines.at(-1), DOM0_TRY.fullMs);
  });
});
