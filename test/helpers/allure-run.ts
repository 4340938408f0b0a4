// One test run by a real mocha with allure-mocha writing real result files, with reporting on
// (as the root hooks turn it on in a run): for checking what lands on the test in Allure.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AllureMochaReporter from 'allure-mocha';
import Mocha from 'mocha';
import { enableReporting } from '../../lib/core/step.ts';

export interface AllureStep {
  name: string;
  status?: string;
  statusDetails?: { message?: string };
  steps?: AllureStep[];
  attachments?: { name: string; type: string; source: string }[];
  parameters?: { name: string; value: string }[];
}

export async function runOneTest(resultsDir: string, body: () => Promise<void>): Promise<AllureStep> {
  const mocha = new Mocha({ reporter: AllureMochaReporter as unknown as string, reporterOptions: { resultsDir } });
  mocha.suite.emit('pre-require', globalThis, join(process.cwd(), 'suites/probe.spec.ts'), mocha);
  describe('probe', () => {
    it('runs the body', body);
  });
  enableReporting(true);
  try {
    await new Promise<void>((res) => mocha.run(() => res()));
  } finally {
    enableReporting(false);
  }
  const f = readdirSync(resultsDir).find((x) => x.endsWith('-result.json'))!;
  return JSON.parse(readFileSync(join(resultsDir, f), 'utf8'));
}
