// A guest that never answered SSH: whose problem it is, told from its console and xl state.
import assert from 'node:assert/strict';
import { carriedDiagnoses } from '../../lib/core/carried-diagnoses.ts';
import { isRigError } from '../../lib/core/errors.ts';
import { exitCodeOf } from '../../lib/core/exit-code.ts';
import { describeXlState, guestNoAnswer, stateFromXlList } from '../../lib/dom0/guest-no-answer.ts';

const waited = 'pv guest did not answer SSH within 180 s (connect ECONNREFUSED 127.0.0.1:2224)';
const XL_LIST = `Name                                        ID   Mem VCPUs\tState\tTime(s)
iommulab-pv                                  3   256     1     --p---       0.4
`;

describe('dom0/guest-no-answer', () => {
  it('reads the state flags of the named domain from xl list, none when it is not listed', () => {
    assert.equal(stateFromXlList(XL_LIST, 'iommulab-pv'), '--p---');
    assert.equal(stateFromXlList(XL_LIST, 'iommulab'), undefined);
    assert.equal(stateFromXlList('', 'iommulab-pv'), undefined);
  });

  it('spells the flags out', () => {
    assert.equal(describeXlState('--p---'), 'paused');
    assert.equal(describeXlState('-b----'), 'blocked');
    assert.equal(describeXlState('---sc-'), 'shut down, crashed');
    assert.match(describeXlState(undefined), /gone from xl list/);
  });

  it('a paused or silent guest is the board failing the suite (GUEST_NO_ANSWER, exit 1)', () => {
    const e = guestNoAnswer({ waited, console: '', state: '--p---' });
    assert.ok(isRigError(e, 'GUEST_NO_ANSWER'));
    assert.equal(e.part, 'guest');
    assert.match(
      e.message,
      /^pv guest did not answer SSH within 180 s .*; xl list: paused; it never reached user space/,
    );
    assert.match(e.message, /the guest console is empty$/);
    assert.equal(exitCodeOf(e), 1);
  });

  it("a guest whose kernel found no init is the lab's broken guest image (GUEST_IMAGE_BROKEN, exit 2)", () => {
    const log = '[    1.2] Run /init as init process\n[    1.3] Kernel panic - not syncing: No working init found.\n';
    const e = guestNoAnswer({ waited, console: log, state: undefined });
    assert.ok(isRigError(e, 'GUEST_IMAGE_BROKEN'));
    assert.match(e.message, /gone from xl list/);
    assert.match(e.message, /last guest console lines:\n.*Run \/init[\s\S]*No working init found\.$/);
    assert.equal(exitCodeOf(e), 2);
  });

  it("a guest whose console says it is up is the lab's network (GUEST_UNREACHABLE, exit 2)", () => {
    const e = guestNoAnswer({ waited, console: 'iommu-lab: guest ready (eth0 10.0.2.15/24)\n', state: '-b----' });
    assert.ok(isRigError(e, 'GUEST_UNREACHABLE'));
    assert.match(e.message, /check guests\.ssh/);
    assert.equal(exitCodeOf(e), 2);
  });

  it("up by its console but unreachable through the passed-through NIC is the board's NIC_NO_TRAFFIC (exit 1)", () => {
    const e = guestNoAnswer({
      waited,
      console: 'iommu-lab: guest ready (eth0 10.0.2.15/24)\n',
      state: '-b----',
      type: 'hvm',
      throughPassthrough: true,
    });
    assert.ok(!isRigError(e), 'a failure of the board, not a lab error');
    assert.equal(exitCodeOf(e), 1);
    assert.deepEqual(
      carriedDiagnoses(e).map((d) => d.code),
      ['NIC_NO_TRAFFIC'],
    );
    assert.match(e.message, /eth0 \(hvm\) has link and address 10\.0\.2\.15\/24/);
    assert.match(e.message, /remedy: .*dma-isolation/);
  });

  it('keeps only the last 15 console lines', () => {
    const log = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n');
    const e = guestNoAnswer({ waited, console: log, state: '-b----' });
    assert.doesNotMatch(e.message, /line 24\n/);
    assert.match(e.message, /line 25\n[\s\S]*line 39$/);
  });
});
