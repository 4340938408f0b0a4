// Child process for lifecycle.test.ts: runs exactly as `iommu-lab run` does (executeRun, root
// hooks, the session) with one suite whose boot never finishes, and waits to be killed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDirPaths } from '../../lib/report/run-dir-layout.ts';
import { validateRig } from '../../lib/rig/load.ts';
import { defineSuite } from '../../lib/run/define-suite.ts';
import { executeRun } from '../../lib/run/execute.ts';
import { Run } from '../../lib/run/run.ts';
import { bootTo } from '../../lib/run/suite-kit.ts';

const [rigFile, runDir] = process.argv.slice(2) as [string, string];
const rig = validateRig(JSON.parse(readFileSync(rigFile, 'utf8')), rigFile);
const run = new Run({ rig, runDir: runDirPaths(runDir), keepOn: false, boots: 1 });
const suite = defineSuite({ name: 'hangs', order: 1, proves: 'nothing: its boot never finishes' }, (r) => {
  describe('hangs', () => {
    it('boots to dom0', async function () {
      console.log('SESSION OPEN');
      await bootTo(this, r, 'dom0');
    });
  });
});
await executeRun(run, { suites: [{ ...suite, file: join(runDir, 'hangs.spec.ts') }], consoleReporter: 'dot' });
