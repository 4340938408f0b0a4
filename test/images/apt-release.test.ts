// The builder's own apt for another Debian release: apt itself (apt-config, apt-get
// indextargets) reads the folder's sources, lists and status, never the host's /etc/apt.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aptEnv } from '../../lib/images/apt.ts';
import { LISTS_MAX_AGE_MS, releaseApt, releaseAptConf, releaseSources } from '../../lib/images/apt-release.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/** The folder as releaseApt() leaves it after an update, with the suite's InRelease fetched `ageMs` ago. */
function aptDir(suite: string, ageMs = 0): string {
  const dir = tempDir('apt-release-');
  for (const d of ['sources.list.d', 'preferences.d', 'state/lists/partial', 'cache/archives/partial'])
    mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'sources.list'), releaseSources(suite));
  writeFileSync(join(dir, 'state', 'status'), '');
  writeFileSync(join(dir, 'apt.conf'), releaseAptConf(dir));
  const inRelease = join(dir, 'state/lists', `deb.debian.org_debian_dists_${suite}_InRelease`);
  writeFileSync(inRelease, '');
  const t = (Date.now() - ageMs) / 1000;
  utimesSync(inRelease, t, t);
  return dir;
}

describe('images/apt-release', () => {
  it("names the release's main, updates and security suites, signed by Debian's keyring", () => {
    assert.equal(
      releaseSources('trixie'),
      [
        'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main',
        'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie-updates main',
        'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security trixie-security main',
        '',
      ].join('\n'),
    );
  });

  it('apt run with the config reads only the folder: its sources, lists, status and cache', () => {
    const dir = aptDir('trixie');
    const dump = execFileSync('apt-config', ['dump'], {
      env: aptEnv({ config: join(dir, 'apt.conf') }),
      encoding: 'utf8',
    });
    // apt-config prints option names in its own case.
    const line = (k: string, v: string) => assert.ok(dump.toLowerCase().includes(`\n${k} "${v}";\n`.toLowerCase()), k);
    line('Dir::Etc::SourceList', join(dir, 'sources.list'));
    line('Dir::Etc::SourceParts', join(dir, 'sources.list.d'));
    line('Dir::State::status', join(dir, 'state', 'status'));
    line('Dir::Cache', join(dir, 'cache'));
  });

  it('uses fresh lists as they are (no apt-get update, no network)', async () => {
    const dir = aptDir('trixie', 60_000);
    const apt = await releaseApt(dir, 'trixie');
    assert.deepEqual(apt, { config: join(dir, 'apt.conf'), sources: releaseSources('trixie') });
  });

  it('refuses a folder with no lists when it may not fetch them (not root)', async function () {
    if (process.getuid?.() === 0) this.skip(); // as root it would fetch them from the network
    await assert.rejects(releaseApt(tempDir('apt-release-'), 'trixie'), /no package lists for Debian trixie/);
  });

  it('treats lists older than a day as stale', () => {
    assert.equal(LISTS_MAX_AGE_MS, 24 * 3600_000);
  });

  it('refuses a folder apt.conf cannot quote', () => {
    assert.throws(() => releaseAptConf('/tmp/a"b'), /cannot be quoted/);
  });
});
