// summary.json as a contract: the committed JSON Schema is the one the code's zod definition
// generates; a summary built from a real boot's serial logs validates against both (the JSON
// Schema with an independent validator, Python's jsonschema) and names the firmware that ran,
// Xen and the dom0 kernel; boots are numbered, thresholds numbers, paths relative.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emptyRecord } from '../../lib/boot/record.ts';
import type { Collected } from '../../lib/report/collect.ts';
import { runDirPaths } from '../../lib/report/run-dir-layout.ts';
import { runFacts } from '../../lib/report/run-facts.ts';
import { buildSummary, writeSummary } from '../../lib/report/summary.ts';
import { SCHEMA_VERSION, summarySchema } from '../../lib/report/summary-schema.ts';
import { formatSummary } from '../../lib/report/summary-text.ts';
import { SCHEMA_FILE, schemaText } from '../../lib/report/write-summary-schema.ts';
import { skipWithout } from '../helpers/tools.ts';

const fixture = (p: string) => readFileSync(fileURLToPath(new URL(`../fixtures/${p}`, import.meta.url)), 'utf8');
const hasJsonschema = spawnSync('python3', ['-c', 'import jsonschema'], { stdio: 'ignore' }).status === 0;

/** Validates a JSON file against a JSON Schema file with Python's jsonschema (Draft 2020-12). */
function jsonschemaErrors(schemaFile: string, file: string): string {
  const py = `import json,sys,jsonschema
s=json.load(open(sys.argv[1])); d=json.load(open(sys.argv[2]))
v=jsonschema.Draft202012Validator(s, format_checker=jsonschema.FormatChecker())
errs=sorted(v.iter_errors(d), key=lambda e: list(e.path))
print("\\n".join(f"{'/'.join(map(str,e.path))}: {e.message}" for e in errs))`;
  const r = spawnSync('python3', ['-c', py, schemaFile, file], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`.trim();
}

const serial = fixture('twin/xen-4.17-boot-amd-iommu.serial.log');
const firmwareLog = `${fixture('logs/apu2-v4.10.0.2-release.serial.log')}\n${fixture('logs/apu2-sortbootorder-menu.serial.log')}`;

function sample(dir: string) {
  const c: Pick<Collected, 'outcomes' | 'hooks'> = {
    outcomes: [
      {
        id: 'firmware/names-the-board',
        suite: 'firmware',
        title: 'names the board',
        state: 'passed',
        durationMs: 3,
        file: 'suites/firmware.spec.ts',
      },
      {
        id: 'iommu-detection/enables-amd-vi',
        suite: 'iommu-detection',
        title: 'enables AMD-Vi',
        state: 'failed',
        durationMs: 1,
        message: 'no "AMD-Vi: IOMMU 0 Enabled." line',
        code: 'NO_IOMMU',
      },
    ],
    hooks: [{ suite: 'iommu-detection', name: 'before all: read xl dmesg', durationMs: 1500, failed: false }],
  };
  const timing = (stage: string, ms: number) => ({ stage, ms, attempt: 1 });
  return buildSummary({
    rig: 'apu2-twin',
    startedAt: new Date(Date.now() - 5000),
    ...c,
    measurements: [
      { suite: 'guest-nic-traffic', name: 'passthrough tx', value: 208.26, unit: 'Mbit/s', at: 1 },
      {
        suite: 'guest-nic-traffic',
        name: 'passthrough/baseline tx',
        value: 1.03,
        unit: 'ratio',
        threshold: { min: 0.8 },
        at: 2,
      },
      {
        suite: 'boot-stability',
        name: 'power-on to dom0 (max)',
        value: 67.3,
        unit: 's',
        threshold: { max: 60 },
        at: 3,
      },
    ],
    firmware: {
      flashed: { sha256: 'ab'.repeat(32), version: 'v4.10.0.2', source: 'https://ci.example/apu2.rom' },
      settings: { iommu: true, pxe: true, usb: undefined },
      warnings: [],
    },
    boot: {
      attempts: 2,
      timings: ['firmware', 'ipxe', 'xen', 'dom0', 'firmware', 'ipxe', 'xen', 'dom0'].map((s, i) => timing(s, 100 + i)),
      hangs: [],
      firmwareLog,
      xenLog: serial,
      assumed: false,
    },
    served: [
      { path: '/boot.ipxe', bytes: 180, ms: 3 },
      { path: '/xen', bytes: 1_048_576, ms: 412 },
    ],
    images: IMAGES,
    platform: { dom0Kernel: '6.1.0-57-amd64' },
    runDir: runDirPaths(dir),
  });
}

/** The served image set, as lib/pxe/served-manifest.ts reads it from the set's manifest. */
const IMAGES = {
  key: '7393667431d80fbe',
  imageHash: 'c5'.repeat(32),
  xenVersion: '4.17.7',
  xenPackageVersion: '4.17.7+13-g2445b30a44-0+deb12u1',
  dom0Kernel: '6.1.0-57-amd64',
  flavour: 'bench',
  builtAt: '2026-12-02T17:24:19.046Z',
};

describe('report/summary: summary.json, a versioned contract', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'iommu-lab-summary-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('publishes docs/summary.schema.json exactly as the zod definition generates it (npm run schema)', () => {
    assert.equal(
      readFileSync(SCHEMA_FILE, 'utf8'),
      schemaText(),
      'docs/summary.schema.json is stale: run `npm run schema`',
    );
    const s = JSON.parse(schemaText());
    assert.equal(s.properties.schemaVersion.const, SCHEMA_VERSION);
    assert.ok(s.properties.interrupted, 'interrupted left out of the contract');
  });

  it('records the firmware that ran (banner and menu settings), Xen, dom0 kernel and the tool', () => {
    const s = summarySchema.parse(sample(dir));
    assert.equal(s.schemaVersion, SCHEMA_VERSION);
    assert.equal(s.firmware.version, 'v4.10.0.2');
    assert.equal(s.firmware.flavour, 'pcengines', 'told by the console');
    assert.equal(s.firmware.versionFrom, 'console: "BIOS version" line');
    assert.deepEqual(s.firmware.banner, {
      board: 'PC Engines apu2',
      version: 'v4.10.0.2',
      corebootBuild: '20190909',
      buildDate: '2019-09-09',
      seabios: 'rel-1.12.1.3-0-g300e8b7',
    });
    assert.equal(s.firmware.settings.menu?.['Network/PXE boot'], false);
    assert.deepEqual(s.firmware.settings.onChip, { iommu: true, pxe: true });
    assert.equal(s.firmware.sha256, 'ab'.repeat(32));
    assert.equal(s.platform.xenVersion, '4.17.7');
    assert.match(s.platform.xenBanner ?? '', /^Xen version 4\.17\.7 \(Debian/);
    assert.equal(s.platform.dom0Kernel, '6.1.0-57-amd64', 'what the run noted (xl info) outranks the serial capture');
    assert.equal(s.tool.name, 'iommu-lab');
    assert.match(s.tool.version, /^\d+\.\d+\.\d+/);
    assert.match(s.tool.commit ?? '', /^[0-9a-f]{40}$/, 'a git checkout has a commit');
  });

  it('numbers boots, keeps thresholds as numbers, ids per test, suite time with hooks, relative paths', () => {
    const s = sample(dir);
    assert.deepEqual(
      s.boot?.timings.map((t) => t.boot),
      [1, 1, 1, 1, 2, 2, 2, 2],
    );
    const m = Object.fromEntries(s.measurements.map((x) => [x.name, x]));
    assert.deepEqual(m['passthrough/baseline tx'], {
      suite: 'guest-nic-traffic',
      name: 'passthrough/baseline tx',
      value: 1.03,
      unit: 'ratio',
      threshold: { min: 0.8 },
      met: true,
      better: 'higher',
    });
    assert.equal(m['power-on to dom0 (max)']?.met, false);
    assert.equal(m['passthrough tx']?.met, undefined);
    assert.deepEqual(
      s.tests.map((t) => t.id),
      ['firmware/names-the-board', 'iommu-detection/enables-amd-vi'],
    );
    assert.equal(s.suites['iommu-detection']?.durationMs, 1501);
    assert.deepEqual(s.artifacts, {
      allureResults: 'allure-results',
      junit: 'junit.xml',
      transcript: 'console.log',
      summary: 'summary.json',
    });
    assert.equal(s.exitCode, 1);
    assert.match(formatSummary(s, dir), /firmware: v4\.10\.0\.2 sha256 abababab/);
    assert.match(formatSummary(s, dir).split('\n')[1]!, /^iommu-lab: FAILED on rig \S+ \(pcengines v4\.10\.0\.2\) in/);
    assert.match(formatSummary(s, dir), /passthrough\/baseline tx = 1\.03 ratio \(threshold ≥ 0\.8: met\)/);
  });

  it("lists what the board fetched from iommu-lab's boot server, and nothing without one", () => {
    const s = summarySchema.parse(sample(dir));
    assert.deepEqual(s.boot?.served, [
      { path: '/boot.ipxe', bytes: 180, ms: 3 },
      { path: '/xen', bytes: 1_048_576, ms: 412 },
    ]);
    const none = buildSummary({
      rig: 'r',
      startedAt: new Date(),
      outcomes: [],
      measurements: [],
      boot: { ...emptyRecord() },
      runDir: runDirPaths(dir),
    });
    assert.equal(none.boot?.served, undefined);
    assert.equal(none.images, undefined);
  });

  it('firmware.settings.atBoot: what the console said at boot, with nothing flashed and the chip never read', () => {
    const s = summarySchema.parse(
      buildSummary({
        rig: 'apu2-twin',
        startedAt: new Date(),
        outcomes: [],
        measurements: [],
        boot: { ...emptyRecord(), firmwareLog: fixture('logs/twin-4.20-captured-iommu-on.serial.log') },
        runDir: runDirPaths(dir),
      }),
    );
    assert.equal(s.firmware.sha256, undefined, 'nothing was flashed');
    assert.equal(s.firmware.settings.onChip, undefined);
    assert.deepEqual(s.firmware.settings.atBoot, { iommu: true, pxe: true });
    const none = buildSummary({
      rig: 'r',
      startedAt: new Date(),
      outcomes: [],
      measurements: [],
      boot: { ...emptyRecord() },
      runDir: runDirPaths(dir),
    });
    assert.equal(none.firmware.settings.atBoot, undefined, 'no capture, no claim');
  });

  it('flavour: on a Dasharo UEFI build the version dom0 read from SMBIOS is what ran, and says so', () => {
    const s = summarySchema.parse(
      buildSummary({
        rig: 'r',
        startedAt: new Date(),
        outcomes: [],
        measurements: [],
        firmware: {
          flashed: { sha256: 'cd'.repeat(32), version: 'v0.9.0', source: 'f.rom', flavour: 'dasharo-uefi' },
          warnings: [],
        },
        boot: {
          ...emptyRecord(),
          firmwareLog: 'DEL   to enter Setup\r\nENTER to boot directly\r\n',
          smbios: {
            biosVendor: '3mdeb',
            biosVersion: 'Dasharo (coreboot+UEFI) v0.9.1',
            sysVendor: 'PC Engines',
            productName: 'apu2',
          },
        },
        runDir: runDirPaths(dir),
      }),
    );
    assert.deepEqual(
      [s.firmware.flavour, s.firmware.version, s.firmware.versionFrom, s.firmware.flashedVersion],
      ['dasharo-uefi', 'v0.9.1', 'dom0 SMBIOS (/sys/class/dmi/id/bios_version)', 'v0.9.0'],
    );
  });

  it('flavour: a Dasharo UEFI build names no version on serial, so flavour and version come from the flashed image; 19700101 is no date', () => {
    const uefi = summarySchema.parse(
      buildSummary({
        rig: 'r',
        startedAt: new Date(),
        outcomes: [],
        measurements: [],
        firmware: {
          flashed: {
            sha256: 'cd'.repeat(32),
            version: 'v0.9.1',
            source: 'f.rom',
            flavour: 'dasharo-uefi',
            versionFrom: 'image: CBFS config',
          },
          warnings: [],
        },
        boot: { ...emptyRecord(), firmwareLog: 'DEL   to enter Setup\r\nENTER to boot directly\r\n' },
        runDir: runDirPaths(dir),
      }),
    );
    assert.deepEqual(
      [uefi.firmware.flavour, uefi.firmware.version, uefi.firmware.versionFrom],
      ['dasharo-uefi', 'v0.9.1', 'image: CBFS config'],
    );
    const seabios = summarySchema.parse(
      buildSummary({
        rig: 'r',
        startedAt: new Date(),
        outcomes: [],
        measurements: [],
        boot: {
          ...emptyRecord(),
          firmwareLog: 'PC Engines apu2\r\ncoreboot build 19700101\r\nBIOS version v24.08.00.01\r\n',
        },
        runDir: runDirPaths(dir),
      }),
    );
    assert.equal(seabios.firmware.flavour, 'dasharo-seabios');
    // The same facts reach JUnit's properties and Allure's environment.
    assert.equal(runFacts(uefi)['firmware flavour'], 'dasharo-uefi');
    assert.equal(runFacts(uefi)['firmware version read from'], 'image: CBFS config');
    assert.equal(seabios.firmware.banner?.corebootBuild, '19700101');
    assert.equal(seabios.firmware.banner?.buildDate, null);
  });

  it('a Dasharo release source: the published .sha256 and the signature check are recorded and shown', () => {
    const release = {
      flavour: 'dasharo-uefi' as const,
      version: 'v0.9.1',
      board: 'apu2',
      sha256Url:
        'https://dl.3mdeb.com/open-source-firmware/Dasharo/pcengines_apu2/uefi/v0.9.1/pcengines_apu2_v0.9.1.rom.sha256',
      signature: 'not checked: gpg is not on PATH (apt-get install gpg)',
      signatureChecked: false,
    };
    const s = summarySchema.parse(
      buildSummary({
        rig: 'r',
        startedAt: new Date(),
        outcomes: [],
        measurements: [],
        firmware: {
          flashed: { sha256: 'cd'.repeat(32), version: 'v0.9.1', source: 'dasharo-uefi:v0.9.1:apu2', release },
          warnings: [],
        },
        boot: { ...emptyRecord() },
        runDir: runDirPaths(dir),
      }),
    );
    assert.deepEqual(s.firmware.release, release);
    assert.equal(s.firmware.source, 'dasharo-uefi:v0.9.1:apu2');
    assert.equal(runFacts(s)['firmware checked against'], release.sha256Url);
    assert.equal(runFacts(s)['firmware signature'], release.signature);
    assert.equal(
      summarySchema.safeParse({ ...s, firmware: { ...s.firmware, release: { ...release, board: 1 } } }).success,
      false,
    );
  });

  it('records the served image set (key, image hash, Xen, dom0 kernel) and prints it', () => {
    const s = summarySchema.parse(sample(dir));
    assert.deepEqual(s.images, IMAGES);
    assert.match(
      formatSummary(s, dir),
      /^ {2}images: 7393667431d80fbe \(Xen 4\.17\.7, dom0 6\.1\.0-57-amd64, sha256 c5c5c5c5c5c5c5c5…\)$/m,
    );
    // The same facts reach Allure's environment and JUnit's properties.
    const facts = runFacts(s);
    assert.equal(
      facts['image set'],
      '7393667431d80fbe (Xen 4.17.7, dom0 6.1.0-57-amd64, built 2026-12-02T17:24:19.046Z)',
    );
    assert.equal(facts['image sha256'], 'c5'.repeat(32));
  });

  it('a written summary validates against the published JSON Schema (Python jsonschema)', function () {
    if (!hasJsonschema) skipWithout(this, 'no Python jsonschema', 'apt-get install python3-jsonschema');
    const file = join(dir, 'summary.json');
    writeSummary(sample(dir), file);
    assert.equal(jsonschemaErrors(SCHEMA_FILE, file), '');
  });

  it('the JSON Schema check is not blind: a summary without schemaVersion or with a text threshold fails', function () {
    if (!hasJsonschema) skipWithout(this, 'no Python jsonschema', 'apt-get install python3-jsonschema');
    const bad = sample(dir) as Record<string, unknown> & { measurements: { threshold?: unknown }[] };
    delete bad.schemaVersion;
    bad.measurements[1]!.threshold = '≥ 0.8';
    const file = join(dir, 'bad.json');
    writeSummary(bad as never, file);
    const errs = jsonschemaErrors(SCHEMA_FILE, file);
    assert.match(errs, /'schemaVersion' is a required property/);
    assert.match(errs, /measurements\/1\/threshold/);
  });

  it('says the cause of a failed set-up once, with how many tests it kept from running', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iommu-lab-summary-notrun-'));
    const cause = 'not run: its set-up "before all: boot the board to dom0" failed: dom0 not reachable over SSH';
    const notRun = (suite: string, title: string) => ({
      id: `${suite}/${title}`,
      suite,
      title,
      state: 'broken' as const,
      durationMs: 0,
      message: `${cause}\nmore`,
      code: 'DOM0_TIMEOUT',
    });
    const s = buildSummary({
      rig: 'apu2-rte',
      startedAt: new Date(),
      outcomes: [notRun('firmware', 'a'), notRun('firmware', 'b'), notRun('iommu-detection', 'c')],
      measurements: [],
      runDir: runDirPaths(dir),
    });
    const text = formatSummary(s, dir);
    assert.equal(text.match(/dom0 not reachable/g)?.length, 1, text);
    assert.match(text, /BROKEN: 3 tests \(firmware, iommu-detection\) \[DOM0_TIMEOUT\] not run: its set-up /);
    assert.equal(s.problems.length, 3, 'summary.json still lists every test');
  });
});
