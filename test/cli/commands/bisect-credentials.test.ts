// bisect names its builds in its JSON, its step lines and its errors: a build URL's credentials
// (user:token@, ?private_token=, a presigned URL's X-Amz-Signature) are masked in all of them
// (#24 N4). The builds are URLs on a real HTTP server that refuses them, so every step is
// untestable and the restore of the first build fails: every path that names a build is taken.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { makeFlashBench } from '../../flash/flasher/bench-fixture.ts';

const BIN = resolve(import.meta.dirname, '../../../bin/iommu-lab.js');

describe('cli: bisect with credentials in its build URLs', function () {
  this.timeout(90_000);

  it('prints no credential of a build URL, in the JSON or on stderr (#24 N4)', async () => {
    const b = makeFlashBench();
    const asked: string[] = [];
    const http = createServer((req, res) => {
      asked.push(req.url ?? '');
      res.writeHead(403).end(`forbidden: ${req.url}`);
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const base = `http://ci:Tok3n-In-User@127.0.0.1:${(http.address() as AddressInfo).port}`;
    const builds = [
      `${base}/good.rom?private_token=glpat-Secret0001`,
      `${base}/mid.rom?X-Amz-Signature=f00dfeed5ec12e7&X-Amz-Credential=AKIAEXAMPLE%2F1`,
      `${base}/bad.rom?token=glpat-Secret0003`,
    ];
    const { provider: _p, ...rig } = b.rig as unknown as Record<string, unknown>;
    const rigFile = join(b.dir, 'rig.json');
    writeFileSync(
      rigFile,
      JSON.stringify({
        ...rig,
        power: { kind: 'command', on: ['true'], off: ['true'], minOffMs: 0 },
        lock: { kind: 'local', dir: join(b.dir, 'locks') },
      }),
    );
    const child = spawn(
      process.execPath,
      [BIN, 'bisect', '--json', '--rig', rigFile, '--report-dir', join(b.dir, 'r'), ...builds],
      {
        env: { ...process.env, CI: 'true', IOMMU_LAB_CACHE: b.cacheRoot },
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    try {
      await once(child, 'exit');
      assert.ok(
        asked.some((u) => u.includes('glpat-Secret0001')),
        `the builds were never asked for:\n${err}`,
      );
      for (const secret of ['Tok3n-In-User', 'glpat-Secret0001', 'f00dfeed5ec12e7', 'AKIAEXAMPLE', 'glpat-Secret0003'])
        assert.ok(!`${out}\n${err}`.includes(secret), `${secret} printed:\n${out}\n${err}`);
      assert.match(`${out}\n${err}`, /good\.rom\?private_token=\*\*\*/);
    } finally {
      http.close();
      b.cleanup();
    }
  });
});
