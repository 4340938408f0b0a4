// `npm run bench -- soak [N] [run options…]`: N `iommu-lab run`s in a row (default 20) through
// the CLI, as a CI job would start them, on the twin unless the options name another rig.
// A soak proves the framework: an exit 2 (the lab's problem, or no test ran) is a framework
// failure; 0 and 1 are verdicts on the board. Prints each run and the totals; exits 1 when any
// run was a framework failure. Default options: --suite firmware iommu-detection.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

interface Outcome {
  exit: number | null;
  seconds: number;
  /** The first "<part> error|failure (<CODE>)" line, if the run printed one. */
  why?: string;
}

function once(args: string[]): Promise<Outcome> {
  const t0 = Date.now();
  const child = spawn(process.execPath, [join(root, 'bin/iommu-lab.js'), 'run', ...args], {
    cwd: root,
    env: { ...process.env, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
  return new Promise((done) =>
    child.on('close', (exit) =>
      done({
        exit,
        seconds: Math.round((Date.now() - t0) / 1000),
        why: /\S+ (?:error|failure) \([A-Z_]+\):[^\n]{0,160}/.exec(out)?.[0],
      }),
    ),
  );
}

export async function run(args: string[] = []): Promise<void> {
  const rest = [...args];
  const n = /^\d+$/.test(rest[0] ?? '') ? Number(rest.shift()) : 20;
  const runArgs = rest.length ? rest : ['--suite', 'firmware', 'iommu-detection'];
  const dir = mkdtempSync(join(tmpdir(), 'soak-'));
  const counts = { passed: 0, board: 0, framework: 0 };
  for (let i = 1; i <= n; i++) {
    const o = await once([...runArgs, '--report-dir', join(dir, `run-${i}`)]);
    const kind = o.exit === 0 ? 'passed' : o.exit === 1 ? 'board' : 'framework';
    counts[kind]++;
    console.log(`run ${i}/${n}: exit ${o.exit} (${kind}) in ${o.seconds} s${o.why ? ` — ${o.why}` : ''}`);
  }
  console.log(
    `soak: ${n} runs: ${counts.passed} passed, ${counts.board} board failures (exit 1), ${counts.framework} framework failures (exit 2)`,
  );
  console.log(`reports: ${dir}`);
  console.log(`reproduce: npm run bench -- soak ${n} ${runArgs.join(' ')}`);
  if (counts.framework) process.exitCode = 1;
}
