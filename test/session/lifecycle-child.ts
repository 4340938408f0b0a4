// Child process for lifecycle.test.ts: opens a run exactly as `iommu-lab run` does (root hooks),
// starts a boot that will never finish, and waits to be killed.
import { readFileSync } from 'node:fs';
import { rootHooksFor } from '../../lib/mocha/root-hooks.ts';
import { validateRig } from '../../lib/rig/load.ts';
import { Run } from '../../lib/run/run.ts';
import { runDirPaths } from '../../lib/session/run-dir.ts';

const [rigFile, runDir] = process.argv.slice(2) as [string, string];
const rig = validateRig(JSON.parse(readFileSync(rigFile, 'utf8')), rigFile);
const run = new Run({ rig, runDir: runDirPaths(runDir), keepOn: false, boots: 1 });
await rootHooksFor(run).beforeAll.call({ timeout() {} } as unknown as Mocha.Context);
console.log('SESSION OPEN');
await run.boot.to('dom0');
