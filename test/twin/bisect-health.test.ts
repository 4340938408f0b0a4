// Bench health and firmware bisect on the twin, the way a user runs them (child processes):
// six twin builds whose IOMMU setting turns off from the fourth on → bisect names the fourth in
// at most three runs, puts a good image back and leaves the bench healthy; a bench marked bad
// is refused by `run` until `health` passes again.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { twinPaths } from '../../twin/base/paths.ts';
import { buildTwinFirmware } from '../../twin/firmware/build.ts';

const CLI = resolve(import.meta.dirname, '../../bin/iommu-lab.js');
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 1_500_000,
  });
const HEALTH_FILE = '/tmp/iommu-lab-locks/apu2-twin.health.json';

describe('twin: bench health and firmware bisect', function () {
  this.timeout(1_800_000);
  const dir = mkdtempSync(join(tmpdir(), 'iommu-lab-twin-bisect-'));
  const cache = join(dir, 'cache');
  let found: Buffer | undefined;
  before(() => {
    if (existsSync(twinPaths.flashImage)) found = readFileSync(twinPaths.flashImage);
  });
  // Each test starts and ends with no health record: a bad one left behind refuses later runs.
  beforeEach(() => rmSync(HEALTH_FILE, { force: true }));
  afterEach(() => rmSync(HEALTH_FILE, { force: true }));
  after(() => {
    if (found) writeFileSync(twinPaths.flashImage, found);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a bench marked bad is refused (exit 2, naming when and why) until health passes', () => {
    writeFileSync(
      HEALTH_FILE,
      JSON.stringify({ state: 'bad', at: '2026-12-01T10:00:00Z', why: 'serial cable pulled', by: 'ci-job-7' }),
    );
    const refused = cli(['run', '--suite', 'firmware', '--report-dir', join(dir, 'refused')]);
    assert.equal(refused.status, 2, refused.stderr);
    // The run's summary (stdout) names the problem as a broken test with its cause.
    assert.match(refused.stdout, /marked bad since 2026-12-01T10:00:00Z by ci-job-7: serial cable pulled/);
    assert.match(refused.stdout, /BROKEN/);
    // The engineer's tools still work on a bad bench: that is how it gets fixed.
    const power = cli(['power', 'status']);
    assert.equal(power.status, 0, power.stderr);
    const health = cli(['health', '--report-dir', join(dir, 'health')], { IOMMU_LAB_CACHE: cache });
    assert.equal(health.status, 0, `${health.stdout}\n${health.stderr}`);
    assert.match(health.stdout, /health GOOD — the image on the chip booted to dom0, AMD-Vi enabled/);
    assert.equal(JSON.parse(readFileSync(HEALTH_FILE, 'utf8')).state, 'good');
  });

  it('bisects six builds to the fourth in at most three runs and leaves the bench healthy', async () => {
    const builds: string[] = [];
    for (let i = 1; i <= 6; i++) {
      const img = await buildTwinFirmware({
        out: join(dir, `apu2_v4.19.0.${i}-twin.rom`),
        iommu: i < 4,
        pxe: true,
        version: `v4.19.0.${i}-twin`,
      });
      builds.push(img.path);
    }
    const r = cli(['bisect', '--json', '--report-dir', join(dir, 'bisect'), ...builds], { IOMMU_LAB_CACHE: cache });
    assert.equal(r.status, 0, r.stderr.slice(-3000));
    const out = JSON.parse(r.stdout);
    assert.equal(out.firstBad, builds[3]);
    assert.equal(out.lastGood, builds[2]);
    assert.ok(out.tested.length <= 3, `${out.tested.length} runs`);
    for (const t of out.tested) assert.equal(t.verdict, builds.indexOf(t.build) >= 3 ? 'bad' : 'good');
    assert.equal(out.health, 'good');
  });
});
