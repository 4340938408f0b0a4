// The known Dasharo releases for apu2/3/4/6: the words that name one, the published .sha256
// URL of each release line (copied from the "Binaries" links of Dasharo/docs
// docs/variants/pc_engines/releases_seabios.md and releases_uefi.md at 8d3f97d9c467), and the
// signing keys shipped in keys/dasharo/ (verbatim from 3mdeb/3mdeb-secpack 4d7acdad5fdb).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DASHARO_RELEASES,
  isReleaseSpec,
  parseReleaseSpec,
  romName,
  romRemedy,
  sha256Url,
} from '../../../flash/supply/dasharo-releases.ts';
import { PROJECT_ROOT } from '../../../lib/core/paths.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { onPath, skipWithout } from '../../helpers/tools.ts';

const DL = 'https://dl.3mdeb.com/open-source-firmware/Dasharo/pcengines_apu2';

describe('flash supply: Dasharo releases', () => {
  it('builds the published .sha256 URL of each release line (each moved folder)', () => {
    assert.equal(
      sha256Url(parseReleaseSpec('dasharo-seabios:v24.08.00.01:apu2')),
      `${DL}/seabios/v24.08.00.01/pcengines_apu2_seabios_v24.08.00.01.rom.sha256`,
    );
    assert.equal(
      sha256Url(parseReleaseSpec('dasharo-seabios:v24.05.00.01:apu6')),
      `${DL}/v24.05.00.01/pcengines_apu6_seabios_v24.05.00.01.rom.sha256`,
    );
    assert.equal(
      sha256Url(parseReleaseSpec('dasharo-uefi:v0.9.1:apu4')),
      `${DL}/uefi/v0.9.1/pcengines_apu4_v0.9.1.rom.sha256`,
    );
    assert.equal(
      sha256Url(parseReleaseSpec('dasharo-uefi:v0.9.0:apu3')),
      `${DL}/v0.9.0/pcengines_apu3_v0.9.0.rom.sha256`,
    );
    assert.equal(
      sha256Url(parseReleaseSpec('dasharo-uefi:0.9.1:APU2'), 'http://127.0.0.1:8080/mirror/'),
      'http://127.0.0.1:8080/mirror/pcengines_apu2/uefi/v0.9.1/pcengines_apu2_v0.9.1.rom.sha256',
    );
  });

  it('names the ROM as the release notes do', () => {
    assert.equal(
      romName(parseReleaseSpec('dasharo-seabios:v24.08.00.01:apu3')),
      'pcengines_apu3_seabios_v24.08.00.01.rom',
    );
    assert.equal(romName(parseReleaseSpec('dasharo-uefi:v0.9.1:apu2')), 'pcengines_apu2_v0.9.1.rom');
  });

  it('refuses an unknown version with the known ones, a board without a build, and bad words', () => {
    assert.throws(
      () => parseReleaseSpec('dasharo-uefi:v0.9.2:apu2'),
      /no known dasharo-uefi release v0\.9\.2 \(known: v0\.9\.0, v0\.9\.1\)/,
    );
    assert.throws(
      () => parseReleaseSpec('dasharo-seabios:v24.12.00.01:apu2'),
      /known: v24\.05\.00\.01, v24\.08\.00\.01/,
    );
    assert.throws(() => parseReleaseSpec('dasharo-uefi:v0.9.1:apu5'), /no build for apu5 .*apu5 has no UEFI build/);
    assert.throws(() => parseReleaseSpec('dasharo-seabios:v24.08.00.01:apu1'), /boards: apu2, apu3, apu4, apu6/);
    assert.throws(() => parseReleaseSpec('dasharo-uefi:v0.9.1'), /dasharo-seabios\|dasharo-uefi:<version>:<board>/);
  });

  it('tells a release from a path or URL', () => {
    assert.ok(isReleaseSpec('dasharo-uefi:v0.9.1:apu2'));
    for (const s of ['./dasharo-uefi.rom', 'https://example.org/dasharo-uefi:x', 'coreboot:v1:apu2'])
      assert.ok(!isReleaseSpec(s), s);
  });

  it('says where a ROM comes from: the subscription, or the build from source', () => {
    const uefi = romRemedy(parseReleaseSpec('dasharo-uefi:v0.9.1:apu4'));
    assert.match(uefi, /not downloadable.*Dasharo Pro Package/);
    assert.match(uefi, /git checkout pcengines_apu2_v0\.9\.1 .*\.\/build\.sh apu4/);
    assert.match(
      romRemedy(parseReleaseSpec('dasharo-seabios:v24.08.00.01:apu2')),
      /Dasharo\/dasharo-pq 24\.08\.00\.01/,
    );
  });

  describe('the shipped release keys', () => {
    const keysDir = join(PROJECT_ROOT, 'keys', 'dasharo');
    const readme = readFileSync(join(keysDir, 'README.md'), 'utf8');
    const keys = [...new Set(DASHARO_RELEASES.map((r) => r.key))];

    it('are the secpack files byte for byte (git blob ids as recorded)', () => {
      for (const key of keys) {
        const bytes = readFileSync(join(keysDir, key));
        const blob = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
        const row = readme.split('\n').find((l) => l.startsWith(`| \`${key}\``));
        assert.ok(row, `${key} has a row in keys/dasharo/README.md`);
        assert.ok(row.includes(`\`${blob}\``), `${key}: blob ${blob} is the one recorded`);
      }
    });

    it('hold the primary keys the README names', function () {
      if (!onPath('gpg')) skipWithout(this, 'no gpg on PATH', 'apt-get install gpg');
      for (const key of keys) {
        const colons = execFileSync(
          'gpg',
          ['--homedir', tempDir('gpg-'), '--batch', '--with-colons', '--show-keys', join(keysDir, key)],
          {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'ignore'],
          },
        );
        const fpr = /^fpr:+([0-9A-F]{40}):/m.exec(colons)?.[1];
        const row = readme.split('\n').find((l) => l.startsWith(`| \`${key}\``))!;
        assert.ok(fpr && row.includes(fpr), `${key}: primary ${fpr} is in its README row`);
      }
    });
  });
});
