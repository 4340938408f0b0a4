// A poll is one step: named with its tries and time when it ends, its tries' own steps left out
// of the report, what each refused try met attached as text; a deadline's throw fails it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { poll } from '../../lib/core/poll.ts';
import { step } from '../../lib/core/step.ts';
import { runOneTest } from '../helpers/allure-run.ts';

describe('core/poll', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'iommu-lab-poll-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is one passed step "name: N tries, S s" with the refusals attached, no broken sub-steps', async () => {
    let got: string | undefined;
    const r = await runOneTest(dir, async () => {
      got = await poll('wait for dom0 SSH', { withinMs: 5000 }, async (tries) => {
        for (;;) {
          const n = tries.next();
          const ok = await step('dom0: connect', {}, async () => {
            if (n < 3) throw new Error(`connect ECONNREFUSED (try ${n})`);
            return 'up';
          }).catch((e: Error) => {
            tries.refused(e.message);
            return undefined;
          });
          if (ok) return ok;
        }
      });
    });
    assert.equal(got, 'up');
    assert.equal(r.steps?.length, 1);
    const s = r.steps![0]!;
    assert.match(s.name, /^wait for dom0 SSH: 3 tries, \d\.\d s$/);
    assert.equal(s.status, 'passed');
    assert.ok(!JSON.stringify(s).includes('dom0: connect'), 'a try became a step');
    const att = s.steps?.flatMap((x) => x.attachments ?? []).find((a) => a.name === 'tries');
    assert.ok(att, JSON.stringify(s));
    const text = readFileSync(join(dir, att.source), 'utf8');
    assert.match(text, /^try 1 at \d+\.\d s: connect ECONNREFUSED \(try 1\)\ntry 2 at/);
  });

  it('fails its step with the error that ended it', async () => {
    const r = await runOneTest(dir, async () => {
      await poll('wait for guest over SSH', {}, async (tries) => {
        tries.next();
        tries.refused('no route to host');
        throw new Error('guest did not answer SSH within 1 s');
      }).catch(() => {});
    });
    const s = r.steps![0]!;
    assert.equal(s.name, 'wait for guest over SSH: 1 try, 0.0 s');
    assert.equal(s.status, 'broken');
    assert.match(s.statusDetails?.message ?? '', /did not answer SSH/);
  });
});
