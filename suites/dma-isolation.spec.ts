// The IOMMU really confines a passed-through device's DMA: from inside a guest that owns the NIC,
// its DMA engine is aimed at a dom0 page whose machine address dom0 proved (docs/dma-isolation.md).
// The positive control (the guest's own page) must work, or nothing is proved (broken, never a
// pass); the device reaching dom0's page is a failure of the firmware/IOMMU (DMA_NOT_ISOLATED).
import { RigError } from '../lib/core/errors.ts';
import { step } from '../lib/core/step.ts';
import { type ContextResult, probeGuestContext } from '../lib/dma/guest-context.ts';
import { probeQuarantine } from '../lib/dma/quarantine-context.ts';
import { judgeQuarantineStep } from '../lib/dma/quarantine-lockup.ts';
import type { IsolationVerdict } from '../lib/dma/verdict.ts';
import type { Passthrough } from '../lib/dom0/passthrough.ts';
import { assignableList, isAssignable } from '../lib/dom0/pci.ts';
import { assertWithDiagnosis } from '../lib/evidence/command.ts';
import { verdictStep } from '../lib/report/evidence.ts';
import { defineSuite } from '../lib/run/define-suite.ts';
import { GUEST_TYPES, guestTypeSkipReason } from '../lib/run/guest-types.ts';
import { bootTo, skipBecause } from '../lib/run/suite-kit.ts';
import { parseXlInfo } from '../lib/xen/xl-info.ts';

/** The quarantine context's test: the suite's last (test/suites/dma-isolation.test.ts holds it there). */
export const QUARANTINE_TEST = 'keeps the quarantined NIC (d[IO], as after xl destroy) away from dom0 memory';

/** A probe that could not run proves nothing: the lab's problem (broken), never a pass. */
function probeBroken(bdf: string, e: unknown): RigError {
  return new RigError(`DMA_PROBE_BROKEN: ${bdf}: ${(e as Error).message}`, {
    code: 'DMA_PROBE_FAILED',
    part: 'guest',
    cause: e,
  });
}

/** The verdict as evidence on the test, then: leaky → failed (the board's), broken → broken. */
async function judge(v: IsolationVerdict, context: string): Promise<void> {
  const evidence = [v.summary, '', ...v.evidence, ...v.warnings.map((w) => `warning: ${w}`)].join('\n');
  // A step of its own, shown first on the test (lib/report/allure-results.ts writeVerdictFirst).
  await verdictStep(`${v.summary} (${context})`, evidence, () => {
    if (v.outcome === 'broken') throw new RigError(v.summary, { code: 'DMA_PROBE_FAILED', part: 'guest' });
    assertWithDiagnosis(v.outcome === 'isolated', v.summary, v.finding ? [v.finding] : []);
  });
}

export default defineSuite(
  {
    name: 'dma-isolation',
    order: 45,
    needs: ['passthroughNic'],
    // Stable ids by title ("<suite>/<id>"): a renamed title keeps its id, and its history.
    ids: {
      "confines the NIC's DMA to the HVM guest that owns it": 'guest-hvm',
      "confines the NIC's DMA to the PV guest that owns it": 'guest-pv',
      'keeps the quarantined NIC (d[IO], as after xl destroy) away from dom0 memory': 'quarantine',
    },
    labels: {
      'guest-hvm': { severity: 'blocker', tags: ['hvm', 'dma'] },
      'guest-pv': { severity: 'blocker', tags: ['pv', 'dma'] },
      quarantine: { severity: 'critical', tags: ['quarantine', 'dma'] },
    },
    proves:
      "a guest that owns the NIC aims its DMA engine at a dom0 page (machine address proved by dom0): the positive control in the guest's own memory completes, dom0's page is neither read nor written (HVM and PV guests, and the NIC quarantined in d[IO])",
  },
  (run) => {
    describe('dma-isolation', () => {
      let pt: Passthrough;
      let virtCaps: string[] = [];

      before('boot to dom0 and find the passthrough NIC', async function () {
        await bootTo(this, run, 'dom0');
        const rig = run.rig;
        const d = await run.session.dom0();
        pt = run.passthroughs.get(d, rig.capabilities.passthroughNic!); // needs: passthroughNic
        virtCaps = parseXlInfo((await d.check('xl info', { timeoutMs: 30_000 })).stdout).virtCaps;
      });

      after('destroy the guest, give the NIC back to dom0', async function () {
        this.timeout(0);
        // Always: the guest destroyed, the NIC back to its dom0 driver — also after a failure.
        await pt?.release().catch(() => {});
      });

      for (const type of GUEST_TYPES) {
        it(`confines the NIC's DMA to the ${type.toUpperCase()} guest that owns it`, async function () {
          const skip = run.rig.dma?.skip[type];
          const why = skip
            ? `rig ${run.rig.name}: ${skip}`
            : guestTypeSkipReason(run.rig, type, run.opts.guests, virtCaps);
          if (why) skipBecause(this, why);
          // guest-nic-traffic's last guest is handed on when it is this type and still sound; the
          // probe takes the NIC from its driver, so this guest is destroyed afterwards, not handed on.
          await step(`assign the NIC to the ${type.toUpperCase()} guest that owns it (booted or handed on)`, {}, () =>
            pt.guestFor(type),
          );
          const dev = pt.device!;
          let res: ContextResult;
          try {
            res = await probeGuestContext({
              dom0: pt.dom0,
              guest: pt.guest!,
              guestName: pt.guestName!,
              type,
              dom0Bdf: dev.bdf,
              vendorDevice: `${dev.vendor}:${dev.device}`,
              faultsExpected: run.rig.dma?.faultsExpected ?? false,
              outsideView: run.outsideView,
            });
          } catch (e) {
            throw probeBroken(dev.bdf, e);
          } finally {
            await pt.stopGuest();
          }
          const v = res.verdict;
          await judge(v, `${type} guest`);
        });
      }

      // LAST, on purpose: basic quarantine makes the NIC's DMA fault, which locks some hosts up
      // (Xen docs, iommu=quarantine). Nothing of this suite may come after it; a lockup here is
      // QUARANTINE_LOCKUP (inconclusive, broken), and later suites start from a power cycle.
      it(QUARANTINE_TEST, async function () {
        const why = run.rig.dma?.skip.quarantine;
        if (why) skipBecause(this, `rig ${run.rig.name}: ${why}`);
        // Right after the PV guest's xl destroy the NIC sits in d[IO]; otherwise put it there.
        if (!isAssignable(await assignableList(pt.dom0), pt.bdf)) await pt.seize();
        else await pt.inspect();
        const dev = pt.device!;
        const v = await judgeQuarantineStep({
          bdf: dev.bdf,
          dom0: pt.dom0,
          work: () =>
            probeQuarantine({
              dom0: pt.dom0,
              bdf: dev.bdf,
              faultsExpected: run.rig.dma?.faultsExpected ?? false,
              giveBack: () => pt.release(),
              outsideView: run.outsideView,
            }),
          broken: (e) => probeBroken(dev.bdf, e),
          // The board is not where the boot strategy left it: the next suite boots it afresh.
          onLockup: () => {
            run.boot.invalidate();
          },
        });
        await judge(v, 'quarantine');
      });
    });
  },
);
