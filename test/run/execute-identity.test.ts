// Diagnoses and identity as data, through a whole run on a board played by real parts: a test
// failing with a DMA_NOT_ISOLATED finding leaves that code in summary.json (tests[].diagnoses,
// tests[].code, problems[].code), in JUnit (type=) and in Allure (the category named by the
// code, matched by Allure's own matcher); a declared id reaches summary.json and Allure's
// ALLURE_ID; every test has its start time and its range of console.log, between marker lines.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { matchCategory, normalizeCategoriesConfig } from '@allurereport/core-api';
import { step } from '../../lib/core/step.ts';
import { assertWithDiagnosis } from '../../lib/evidence/command.ts';
import type { FoundSuite } from '../../lib/mocha/suites.ts';
import { CATEGORIES } from '../../lib/report/allure-config.ts';
import { verdictStep } from '../../lib/report/evidence.ts';
import { summarySchema } from '../../lib/report/summary-schema.ts';
import { defineSuite } from '../../lib/run/define-suite.ts';
import { executeRun } from '../../lib/run/execute.ts';
import { scriptedBench, scriptedRun } from '../helpers/scripted-run.ts';

interface Result {
  name: string;
  status: string;
  fullName: string;
  labels: { name: string; value: string }[];
  description?: string;
  steps?: { name: string; status: string }[];
  historyId: string;
  statusDetails: { message?: string; trace?: string };
}

const LEAK = 'DMA_NOT_ISOLATED: 0000:00:02.0 reached machine address 0x1234000 outside its guest (hvm)';

describe('mocha/execute: diagnoses and test identity as data', function () {
  this.timeout(90_000);
  const bench = scriptedBench('iommu-lab-identity-');

  it('a DMA leak: its code in summary.json, JUnit and an Allure category; ids, start times and console ranges', async () => {
    const run = scriptedRun(bench);
    const dma: FoundSuite = {
      ...defineSuite(
        {
          name: 'dma-isolation',
          order: 1,
          proves: 'dma stays in its guest',
          ids: { 'confines the DMA of the HVM guest': 'hvm' },
          labels: { hvm: { severity: 'blocker', tags: ['hvm'] } },
        },
        () => {
          describe('dma-isolation', () => {
            it('confines the DMA of the HVM guest', async () => {
              // The procedure's named steps, the verdict last — the report shows it first.
              await step('assign the NIC to pciback', {}, async () => {});
              await step('boot the HVM guest', {}, async () => {});
              await verdictStep(LEAK, 'evidence', () =>
                assertWithDiagnosis(false, LEAK, [
                  {
                    code: 'DMA_NOT_ISOLATED',
                    severity: 'error',
                    message: '',
                    remedy: '',
                    line: 1,
                    text: LEAK,
                    count: 1,
                  },
                ]),
              );
            });
            it('passes without an id', () => {});
          });
        },
      ),
      file: join(process.cwd(), 'suites', 'dma-isolation.spec.ts'),
    };
    assert.equal(await executeRun(run, { suites: [dma], consoleReporter: 'dot' }), 1);

    const summary = summarySchema.parse(JSON.parse(readFileSync(run.opts.runDir.summary, 'utf8')));
    const [leak, ok] = summary.tests;
    assert.equal(leak?.id, 'dma-isolation/hvm');
    assert.equal(leak?.code, 'DMA_NOT_ISOLATED');
    assert.deepEqual(leak?.diagnoses, [{ code: 'DMA_NOT_ISOLATED', severity: 'error', owner: 'board' }]);
    assert.equal(summary.problems[0]?.code, 'DMA_NOT_ISOLATED');
    assert.equal(ok?.id, 'dma-isolation/passes-without-an-id');
    assert.deepEqual(ok?.diagnoses, []);

    // Start times in order, within the run; each range is its two marker lines in console.log.
    const t0 = Date.parse(summary.startedAt);
    assert.ok(Date.parse(leak!.startedAt!) >= t0 && Date.parse(ok!.startedAt!) >= Date.parse(leak!.startedAt!));
    const log = readFileSync(run.opts.runDir.transcript, 'latin1').split('\n');
    for (const t of [leak!, ok!]) {
      assert.ok(t.console, `${t.id} has no console range`);
      assert.match(log[t.console.fromLine - 1]!, new RegExp(`^### iommu-lab \\S+Z test start: ${t.id}$`));
      assert.match(log[t.console.toLine - 1]!, new RegExp(`^### iommu-lab \\S+Z test end: ${t.id} (failed|passed)$`));
    }
    assert.ok(ok!.console!.fromLine > leak!.console!.toLine);

    const junit = readFileSync(run.opts.runDir.junit, 'utf8');
    assert.match(junit, /<failure message="DMA_NOT_ISOLATED: [^"]*" type="DMA_NOT_ISOLATED">/);

    const results = readdirSync(run.opts.runDir.allureResults)
      .filter((f) => f.endsWith('-result.json'))
      .map((f) => JSON.parse(readFileSync(join(run.opts.runDir.allureResults, f), 'utf8')) as Result);
    const r = results.find((x) => x.name === 'confines the DMA of the HVM guest')!;
    assert.deepEqual(
      r.labels.filter((l) => l.name === 'ALLURE_ID'),
      [{ name: 'ALLURE_ID', value: 'dma-isolation/hvm' }],
    );
    assert.match(r.statusDetails.message ?? '', /^\[DMA_NOT_ISOLATED\] DMA_NOT_ISOLATED: /);
    // Allure's own category matcher, on the configuration the report is made with.
    const category = matchCategory(normalizeCategoriesConfig(CATEGORIES), {
      status: r.status,
      labels: r.labels,
      message: r.statusDetails.message,
      trace: r.statusDetails.trace,
    } as never);
    assert.equal(category?.name, 'DMA_NOT_ISOLATED');
    assert.deepEqual(
      (r.steps ?? []).map((x) => [x.name, x.status]),
      [
        [`verdict: ${LEAK}`, 'failed'],
        ['assign the NIC to pciback', 'passed'],
        ['boot the HVM guest', 'passed'],
      ],
      'the verdict first, failed with the test',
    );

    // What the suite proves is each test's description; severity and tags as declared.
    const tagsOf = (x: Result) => x.labels.filter((l) => l.name === 'tag').map((l) => l.value);
    const severityOf = (x: Result) => x.labels.filter((l) => l.name === 'severity').map((l) => l.value);
    assert.equal(r.description, 'dma stays in its guest');
    assert.deepEqual(severityOf(r), ['blocker']);
    assert.deepEqual(tagsOf(r), ['dma-isolation', 'hvm']);
    const plain = results.find((x) => x.name === 'passes without an id')!;
    assert.equal(plain.description, 'dma stays in its guest');
    assert.deepEqual(severityOf(plain), ['normal']);
    assert.deepEqual(tagsOf(plain), ['dma-isolation']);
  });
});
