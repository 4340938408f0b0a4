// N full boots to dom0, each with AMD-Vi enabled: hangs, panics and stage times counted.
// The run's shared boot counts as the first one when this run made it.
import assert from 'node:assert/strict';
import { isRigError } from '../lib/core/errors.ts';
import { attach } from '../lib/core/step.ts';
import { defineSuite } from '../lib/run/define-suite.ts';
import { bootTo, skipBecause } from '../lib/run/suite-kit.ts';
import { parseXenLog } from '../lib/xen/xen-log.ts';

const SUITE = 'boot-stability';

export default defineSuite(
  {
    name: 'boot-stability',
    order: 90,
    // Stable ids by title ("<suite>/<id>"): a renamed title keeps its id, and its history.
    ids: {
      'reaches dom0 with AMD-Vi enabled on every boot': 'every-boot',
    },
    labels: { 'every-boot': { severity: 'critical', tags: ['boot', 'amd-vi'] } },
    proves: "N boots (`--boots`, default 3; the run's first boot counts) each reach dom0 with AMD-Vi",
  },
  (run) => {
    describe(SUITE, () => {
      const boots: { n: number; ok: boolean; iommu: string; ms: number; error?: string }[] = [];

      before('boot the board to dom0 (the first boot counted)', async function () {
        await bootTo(this, run, 'dom0');
        if (run.boot.record.assumed)
          skipBecause(this, 'board was adopted with --assume: iommu-lab does not power-cycle it');
      });

      after('attach the list of boots', async () => {
        await attach('boots', JSON.stringify(boots, null, 2), 'application/json');
      });

      it(`reaches dom0 with AMD-Vi enabled on every boot`, async () => {
        const total = run.opts.boots;
        const rec = run.boot.record;
        const fromTimings = () => rec.timings.slice(-4).reduce((a, t) => a + t.ms, 0);
        boots.push({ n: 1, ok: rec.hangs.length === 0, iommu: parseXenLog(rec.xenLog).iommu, ms: fromTimings() });
        for (let n = 2; n <= total; n++) {
          const hangsBefore = rec.hangs.length;
          try {
            await run.boot.to('off');
            await run.boot.to('dom0');
            boots.push({
              n,
              ok: rec.hangs.length === hangsBefore,
              iommu: parseXenLog(rec.xenLog).iommu,
              ms: fromTimings(),
            });
          } catch (e) {
            if (isRigError(e)) throw e;
            boots.push({ n, ok: false, iommu: 'unknown', ms: 0, error: (e as Error).message.split('\n')[0] });
            break;
          }
        }
        const good = boots.filter((b) => b.ok && b.iommu === 'enabled');
        const hangs = rec.hangs.length;
        await run.measure({
          suite: SUITE,
          name: 'boots reaching dom0 with AMD-Vi',
          value: good.length,
          unit: `of ${total}`,
        });
        await run.measure({ suite: SUITE, name: 'hangs or panics', value: hangs, unit: 'count' });
        const times = boots.filter((b) => b.ok).map((b) => b.ms / 1000);
        if (times.length)
          await run.measure({ suite: SUITE, name: 'power-on to dom0 (max)', value: Math.max(...times), unit: 's' });
        const bad = boots.filter((b) => !(b.ok && b.iommu === 'enabled'));
        assert.equal(
          good.length,
          total,
          `${bad.length} of ${total} boots failed:\n${bad.map((b) => `boot ${b.n}: ${b.error ?? (b.ok ? `AMD-Vi ${b.iommu}` : 'hung, reached dom0 after a retry')}`).join('\n')}`,
        );
      });
    });
  },
);
