// The README's main job (`iommu-lab run`, every suite on the twin) from power-on to verdict: the
// total, each suite, the boot phases, and every guest boot's phases from its "boot timeline"
// attachment (before the guest kernel = domain build, device model, hvmloader/SeaBIOS and the
// fw_cfg load of kernel and initrd; then the guest kernel and user space until SSH).
// Goal (issue #26): the default run ≤ 240 s. Runs only when named: it takes the twin for minutes.
// Extra arguments go to `iommu-lab run` (e.g. `npm run bench -- main-job --rig apu2-twin-xen420`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Step {
  name: string;
  steps?: Step[];
  attachments?: { name: string; source: string }[];
}

/** Every "… boot timeline" attachment of the run, with the test that made it. */
function guestTimelines(results: string): { test: string; text: string }[] {
  const out: { test: string; text: string }[] = [];
  for (const f of readdirSync(results).filter((n) => n.endsWith('-result.json'))) {
    const r = JSON.parse(readFileSync(join(results, f), 'utf8')) as Step;
    const walk = (s: Step): void => {
      for (const a of s.attachments ?? [])
        if (a.name.endsWith('boot timeline'))
          out.push({
            test: `${r.name} (${a.name.replace(' boot timeline', '')})`,
            text: readFileSync(join(results, a.source), 'utf8'),
          });
      for (const c of s.steps ?? []) walk(c);
    };
    walk(r);
  }
  return out;
}

export async function run(args: string[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-main-job-'));
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['bin/iommu-lab.js', 'run', '--report-dir', dir, ...args], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const wall = (Date.now() - t0) / 1000;
  const summaryPath = join(dir, 'summary.json');
  if (!existsSync(summaryPath)) throw new Error(`the run wrote no summary.json (exit ${r.status})`);
  const s = JSON.parse(readFileSync(summaryPath, 'utf8'));
  console.log(
    `\nmain job: exit ${s.exitCode}, verdict ${s.verdict}, ${(s.durationMs / 1000).toFixed(0)} s power-on to verdict (${wall.toFixed(0)} s wall, including start-up); goal ≤ 240 s`,
  );
  for (const [name, v] of Object.entries<{ durationMs: number; verdict: string; tests: number }>(s.suites))
    console.log(
      `  ${name.padEnd(20)} ${(v.durationMs / 1000).toFixed(0).padStart(5)} s  ${v.verdict} (${v.tests} tests)`,
    );
  for (const t of s.boot?.timings ?? [])
    console.log(`  boot ${String(t.stage ?? t.name).padEnd(15)} ${(t.ms / 1000).toFixed(1)} s`);
  const timelines = guestTimelines(join(dir, 'allure-results'));
  console.log(`guest boots: ${timelines.length}`);
  for (const g of timelines) console.log(`  ${g.test}\n    ${g.text.trim().split('\n').join('\n    ')}`);
  console.log(`(reproduce: npm run bench -- main-job ${args.join(' ')}; report in ${dir})`);
}
