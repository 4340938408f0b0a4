import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { classifyReadBack, firstChangeInPage } from '../../lib/dma/bytes.ts';
import { parseCanaryOutput } from '../../lib/dma/canary-report.ts';
import { parseProbeOutput } from '../../lib/dma/probe-report.ts';
import { type IsolationInput, isolationVerdict } from '../../lib/dma/verdict.ts';
import { parseIoPageFaults } from '../../lib/xen/io-page-fault.ts';

const fx = (name: string) => readFileSync(new URL(`../fixtures/dma/${name}`, import.meta.url), 'utf8');
const probe = (name: string) => parseProbeOutput(fx(`${name}.jsonl`));
const canary = parseCanaryOutput(fx('canary-ready.jsonl')).ready!;

function input(over: Partial<IsolationInput> = {}): IsolationInput {
  return {
    device: '0000:00:05.0',
    positive: probe('probe-positive-ok'),
    target: probe('probe-target-no-frame'),
    canary: { machineAddress: canary.machineAddress, pattern: canary.pattern },
    canaryReleased: parseCanaryOutput(fx('canary-released-intact.jsonl')).released,
    ...over,
  };
}

describe('dma/verdict', () => {
  it('isolated: the positive control reads its pattern, the canary read brings back no frame', () => {
    const v = isolationVerdict(input());
    assert.equal(v.outcome, 'isolated');
    assert.equal(v.finding, null);
    assert.match(v.summary, /0000:00:05\.0: DMA to machine address 0x7a3c5000 did not reach dom0's canary/);
    assert.ok(v.evidence.some((e) => /positive control: .*TX done in 412 us, RX done in 655 us/.test(e)));
    assert.ok(v.evidence.includes("dom0's canary is unchanged"));
  });

  it('isolated: zeros or all-ones from the blocked read', () => {
    const v = isolationVerdict(input({ target: probe('probe-target-zeros') }));
    assert.equal(v.outcome, 'isolated');
    assert.equal(v.readBack, 'zeros');
    assert.match(v.summary, /brought back zeros/);
  });

  it("leaky: the NIC read dom0's canary pattern back → DMA_NOT_ISOLATED with device, address and remedies", () => {
    const v = isolationVerdict(input({ target: probe('probe-target-canary') }));
    assert.equal(v.outcome, 'leaky');
    assert.equal(v.finding?.code, 'DMA_NOT_ISOLATED');
    assert.equal(v.finding?.severity, 'error');
    assert.match(
      v.finding!.message,
      /DMA from 0000:00:05\.0, .* machine address 0x7a3c5000 \(the NIC read dom0's canary back\)/,
    );
    assert.match(v.finding!.remedy, /IVRS device entries and aliases for 0000:00:05\.0/);
    assert.match(v.finding!.remedy, /IOMMU is enabled in the firmware/);
    assert.match(v.finding!.remedy, /ACS and the IOMMU groups/);
  });

  it('leaky: the canary changed in dom0 after a DMA write', () => {
    const v = isolationVerdict(
      input({
        targetWrite: probe('probe-target-write'),
        canaryReleased: parseCanaryOutput(fx('canary-released-changed.jsonl')).released,
      }),
    );
    assert.equal(v.outcome, 'leaky');
    assert.match(v.summary, /dom0's canary page changed at byte 0/);
  });

  it('a leak wins even when the positive control failed (the leaky twin layout breaks both)', () => {
    const v = isolationVerdict(
      input({ positive: probe('probe-positive-other-memory'), target: probe('probe-target-canary') }),
    );
    assert.equal(v.outcome, 'leaky');
  });

  it('broken, never a pass: the probe could not run (real output of a dead device)', () => {
    const v = isolationVerdict(input({ positive: probe('probe-reset-failed') }));
    assert.equal(v.outcome, 'broken');
    assert.equal(v.finding?.code, 'DMA_PROBE_BROKEN');
    assert.match(v.summary, /the positive control stopped at "reset"/);
  });

  it('broken: the positive control read other memory, with the hint that its DMA uses other tables', () => {
    const v = isolationVerdict(input({ positive: probe('probe-positive-other-memory') }));
    assert.equal(v.outcome, 'broken');
    assert.match(
      v.summary,
      /read back bytes that are not the canary instead of the guest's own pattern: .*another device's I\/O page table/,
    );
  });

  it('broken: a positive control that never completed, a target aimed elsewhere, a probe with no output', () => {
    const positive = probe('probe-positive-ok');
    assert.ok(positive.ok);
    const undone = { ...positive, tx: { ...positive.tx, done: false } };
    assert.match(
      isolationVerdict(input({ positive: undone })).summary,
      /never completed the positive control's TX descriptor/,
    );
    const elsewhere = isolationVerdict(input({ canary: { machineAddress: '0x1000', pattern: canary.pattern } }));
    assert.match(elsewhere.summary, /aimed at 0x7a3c5000, not at the canary 0x1000/);
    assert.equal(
      isolationVerdict(input({ target: parseProbeOutput('bash: dma-probe: not found\n') })).outcome,
      'broken',
    );
  });

  it('attaches IO_PAGE_FAULT lines that name the device, in either Xen format', () => {
    const log = [
      '(XEN) AMD-Vi: IO_PAGE_FAULT: 0000:00:05.0 d1 addr 000000007a3c5000 flags 0x10 PR',
      '(XEN) AMD-Vi: IO_PAGE_FAULT: domain = 1, device id = 0x28, fault address = 0x7a3c5000, flags = 0x10',
      '(XEN) AMD-Vi: IO_PAGE_FAULT: 0000:00:14.1 d0 addr 00000000bf5fc000 flags 0x10 PR',
    ].join('\n');
    const v = isolationVerdict(input({ faults: parseIoPageFaults(log), faultsExpected: true }));
    assert.equal(v.outcome, 'isolated');
    assert.equal(v.faults.length, 2);
    assert.match(v.summary, /Xen logged 2 IO_PAGE_FAULT naming it/);
    assert.equal(v.evidence.filter((e) => e.startsWith('Xen logged: ')).length, 2);
    assert.deepEqual(v.warnings, []);
  });

  it('warns when the rig expects fault reporting and none names the device', () => {
    const v = isolationVerdict(input({ faults: [], faultsExpected: true }));
    assert.equal(v.outcome, 'isolated');
    assert.match(v.warnings[0], /no IO_PAGE_FAULT naming 0000:00:05\.0/);
  });

  it("leaky when the observer outside the board saw the page change, though dom0's canary says it did not", () => {
    const v = isolationVerdict(input({ outside: { observer: 'QEMU', intact: false, firstChange: 96 } }));
    assert.equal(v.outcome, 'leaky');
    assert.match(v.summary, /DMA_NOT_ISOLATED: .*\(QEMU saw the page change at byte 96\)/);
    assert.ok(v.evidence.includes("QEMU's view of machine address 0x7a3c5000 changed at byte 96"));
  });

  it('an unchanged outside view is said in the pass; one that could not be read is a warning, not a verdict', () => {
    const seen = isolationVerdict(input({ outside: { observer: 'QEMU', intact: true, firstChange: null } }));
    assert.equal(seen.outcome, 'isolated');
    assert.match(seen.summary, /; QEMU saw the page unchanged\)$/);
    assert.ok(seen.evidence.includes("QEMU's view of machine address 0x7a3c5000 is unchanged"));
    const lost = isolationVerdict(
      input({ outside: { observer: 'QEMU', intact: null, firstChange: null, error: 'the board is not running' } }),
    );
    assert.equal(lost.outcome, 'isolated');
    assert.deepEqual(lost.warnings, [
      "QEMU's view of machine address 0x7a3c5000 could not be read: the board is not running",
    ]);
    assert.doesNotMatch(lost.summary, /QEMU/);
  });
});

describe('dma/bytes', () => {
  const pattern = '494f4d4d5543414e1c2d3e4f5a6b7c8d';
  it('finds the pattern at any byte phase, and only whole units', () => {
    assert.equal(classifyReadBack(pattern.repeat(4), pattern), 'pattern');
    assert.equal(classifyReadBack((pattern + pattern).slice(6, 6 + 96), pattern), 'pattern');
    assert.equal(classifyReadBack(pattern.slice(0, 30) + '00'.repeat(40), pattern), 'other');
    assert.equal(classifyReadBack(`0${pattern.repeat(2)}0`, pattern), 'other', 'half-byte shifts are not bytes');
  });
  it('finds the first byte of a page that left its pattern, or null for an intact page', () => {
    const page = Buffer.from(pattern.repeat(256), 'hex');
    assert.equal(firstChangeInPage(page, pattern), null);
    page[4095] ^= 1;
    assert.equal(firstChangeInPage(page, pattern), 4095);
    page[17] = page[1];
    assert.equal(firstChangeInPage(page, pattern), 4095, 'a byte equal to its pattern byte is no change');
    page[18] = 0;
    assert.equal(firstChangeInPage(page, pattern), 18);
  });
  it('names zeros, all-ones and nothing', () => {
    assert.equal(classifyReadBack('00'.repeat(64), pattern), 'zeros');
    assert.equal(classifyReadBack('ff'.repeat(64), pattern), 'ones');
    assert.equal(classifyReadBack(null, pattern), 'nothing');
  });
});

describe('dma/probe-report and canary-report', () => {
  it('types the probe line and rejects other shapes without throwing', () => {
    const r = probe('probe-target-canary');
    assert.ok(r.ok && r.mode === 'target' && r.target === '0x7a3c5000' && r.rx.bytes?.length === 128);
    const bad = parseProbeOutput('{"probe":"dma-probe","ok":true,"mode":"sideways"}');
    assert.ok(!bad.ok && bad.stage === 'output' && /expected shape/.test(bad.error));
    assert.ok(!parseProbeOutput('{"probe":"dma-probe",').ok);
  });
  it('reads both canary lines', () => {
    const out = parseCanaryOutput(fx('canary-ready.jsonl') + fx('canary-released-intact.jsonl'));
    assert.equal(out.ready?.machineAddress, '0x7a3c5000');
    assert.equal(out.released?.intact, true);
    assert.equal(out.error, null);
    assert.match(parseCanaryOutput('').error!, /no report/);
  });
});
