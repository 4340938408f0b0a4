// A plain `mocha` at the repository root must refuse with one hint line and exit 2 — not load the
// suites' root hooks, which would build the twin images and spawn its daemon.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { liveInGroup, liveWithEnv } from '../helpers/processes.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const MARKER = 'IOMMU_LAB_PLAIN_MOCHA_TEST';

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  pgid: number;
}

/** mocha in its own process group, every descendant tagged through the environment. */
function plainMocha(args: string[], env: Record<string, string>): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'node_modules/.bin/mocha'), ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // If it does start the suites, do not let it build images for minutes: stop the whole group.
    const timer = setTimeout(() => process.kill(-(child.pid as number), 'SIGKILL'), 15_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, pgid: child.pid as number });
    });
  });
}

describe('bin/plain-mocha (the root .mocharc.json)', function () {
  this.timeout(30_000);

  for (const args of [[], ['suites/firmware.spec.ts']]) {
    it(`\`${['mocha', ...args].join(' ')}\` at the root exits 2 with the hint and starts no process`, async () => {
      const home = mkdtempSync(join(tmpdir(), 'plain-mocha-'));
      const twinHome = join(home, 'twin');
      const tag = randomUUID();
      try {
        const r = await plainMocha(args, { [MARKER]: tag, IOMMU_LAB_TWIN_HOME: twinHome });
        assert.equal(r.code, 2, r.stderr);
        const lines = r.stderr.trim().split('\n');
        assert.equal(lines.length, 1, r.stderr);
        assert.match(lines[0], /^iommu-lab: suites run through `node bin\/iommu-lab\.js run`/);
        assert.equal(r.stdout, '', 'no test ran');
        // Nothing it started lives on (no QEMU, no twin daemon, no sshd), and the twin was never set up.
        assert.deepEqual(liveInGroup(r.pgid), []);
        assert.deepEqual(liveWithEnv(MARKER, tag), []);
        assert.ok(!existsSync(twinHome), `${twinHome} was created`);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    });
  }
});
