// The analyze command as a real process: exit codes, one JSON object on stdout, clear errors.
// The program holds only this command, so other commands' state cannot break this test.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../helpers/temp-dir.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const logs = join(root, 'test/fixtures/logs');
const SCRIPT = `
const { Command, CommanderError } = await import('commander');
const { register } = await import(${JSON.stringify(join(root, 'lib/cli/commands/analyze.ts'))});
const { isUsageError } = await import(${JSON.stringify(join(root, 'lib/core/errors.ts'))});
const p = new Command('iommu-lab').exitOverride();
register(p);
for (const c of p.commands) c.exitOverride();
try {
  await p.parseAsync(process.argv.slice(1), { from: 'user' });
} catch (e) {
  if (isUsageError(e)) { console.error('iommu-lab: ' + e.message); process.exitCode = 2; }
  else if (e instanceof CommanderError) process.exitCode = e.exitCode === 0 ? 0 : 2;
  else throw e;
}`;

function analyze(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT, 'analyze', ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cli/commands/analyze', function () {
  this.timeout(30_000);
  const dir = tempDir('analyze-cli-');

  it('prints exactly one JSON object for several inputs; exit 1 for an error-severity diagnosis', () => {
    const r = analyze([
      '--json',
      join(logs, 'blog-no-iommu.log'),
      join(logs, 'apu2-xen-4.8.3-iommu-enabled.xl-dmesg.log'),
    ]);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out), ['inputs']);
    assert.equal(out.inputs.length, 2);
    assert.equal(out.inputs[0].findings[0].code, 'NO_IOMMU');
    assert.equal(out.inputs[0].findings[0].line, 3);
    assert.equal(out.inputs[1].facts.xenVersion, '4.8.3');
    assert.equal(out.inputs[1].facts.iommu, 'enabled');
    assert.deepEqual(out.inputs[1].kinds, ['xen-log']);
  });

  it('exits 0 when no input has an error-severity diagnosis', () => {
    const r = analyze([join(logs, 'apu2-xen-4.8.3-iommu-enabled.xl-dmesg.log')]);
    assert.equal(r.code, 0, r.stdout);
  });

  it("exits 1, a firmware failure, for the twin's real Xen 4.17 boot with one 'AMD-Vi: Error: IVMD: …' line; 0 for a warning", () => {
    const lines = readFileSync(join(logs, 'twin-4.17-captured-iommu-on.serial.log'), 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('AMD-Vi: IVHD Special')) + 1;
    const withLine = (line: string) => {
      const file = join(dir, `twin-4.17-${at}-${line.length}.log`);
      writeFileSync(file, [...lines.slice(0, at), line, ...lines.slice(at)].join('\n'));
      return file;
    };
    const bad = analyze([withLine('(XEN) AMD-Vi: Error: IVMD: overlap [cd9d0000,cd9f0000) vs [cd9e0000,cda00000)')]);
    assert.equal(bad.code, 1, bad.stdout);
    assert.match(bad.stdout, new RegExp(`ERROR IVRS_ERROR \\(line ${at + 1}\\)`));
    assert.match(bad.stdout, /IVMD: overlap/);
    const warned = analyze([withLine('(XEN) AMD-Vi: Warning: IVHD: duplicate IO-APIC 0x4 entries')]);
    assert.equal(warned.code, 0, warned.stdout);
    assert.match(warned.stdout, /WARNING IVRS_WARNING/);
  });

  it('prints the iperf3 figures it finds', () => {
    const r = analyze([join(logs, 'iperf3-tcp-reverse.json'), join(logs, 'iperf3-tcp.json')]);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /iperf3 TCP -R: received 11452\.5 Mbit\/s, sent 11423\.1 Mbit\/s, 13 retransmits in 1\.0 s/);
    assert.match(r.stdout, /iperf3 TCP: received [\d.]+ Mbit\/s/);
    const refused = analyze([join(logs, 'iperf3-refused.json')]);
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /iperf3 error: unable to connect to server: Connection refused/);
  });

  it('reads stdin and prints human output by default', () => {
    const r = analyze(['-'], '(XEN) I/O virtualisation disabled\n');
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /== - \(xen-log\)/);
    assert.match(r.stdout, /IOMMU disabled/);
    assert.match(r.stdout, /ERROR NO_IOMMU \(line 1\)/);
    assert.match(r.stdout, /remedy: /);
  });

  it('exits 2 with a clear message for missing, empty, binary and too large inputs', () => {
    const empty = join(dir, 'empty.log');
    writeFileSync(empty, '');
    const bin = join(dir, 'rom.bin');
    writeFileSync(bin, Buffer.alloc(4096, 0xff));
    const big = join(dir, 'big.log');
    writeFileSync(big, '(XEN) x\n'.repeat(500));
    for (const [args, msg] of [
      [[join(dir, 'nope.log')], /no such file/],
      [[empty], /empty input/],
      [[bin], /not text/],
      [['--max-bytes', '100', big], /more than the .* analyze reads with --max-bytes/],
    ] as [string[], RegExp][]) {
      const r = analyze(args);
      assert.equal(r.code, 2, `${args}: ${r.stdout}`);
      assert.match(r.stderr, msg);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
  });

  it('N19: reports each boot of a transcript under its own headline, in text and JSON', () => {
    const off = readFileSync(join(logs, 'twin-4.17-no-iommu.serial.log'), 'utf8');
    const on = readFileSync(join(logs, 'twin-4.17-iommu-enabled.serial.log'), 'utf8');
    const file = join(dir, 'two-boots.log');
    writeFileSync(file, `${off}\n${on}`);
    const j = analyze(['--json', file]);
    // An error in any boot is the board's: the gate still fails, but says which boot.
    assert.equal(j.code, 1, j.stderr);
    const input = JSON.parse(j.stdout).inputs[0];
    assert.deepEqual(
      input.boots.map((b: { boot: number; facts: { iommu: string } }) => [b.boot, b.facts.iommu]),
      [
        [1, 'disabled'],
        [2, 'enabled'],
      ],
    );
    assert.ok(input.boots[0].findings.some((f: { code: string }) => f.code === 'NO_IOMMU'));
    // The input's own headline is its last boot's, with that boot's findings only.
    assert.equal(input.facts.iommu, 'enabled');
    assert.deepEqual(input.findings, []);
    const t = analyze([file]);
    assert.equal(t.code, 1);
    const [first, second] = t.stdout.split(/^(?===)/m);
    assert.match(first, /^== .*two-boots\.log, boot 1, lines 1-\d+ /);
    assert.match(first, /IOMMU disabled/);
    assert.match(first, /ERROR NO_IOMMU/);
    assert.match(second, /, boot 2, lines \d+-\d+ /);
    assert.match(second, /IOMMU enabled/);
    assert.doesNotMatch(second, /NO_IOMMU/);
  });

  it('N19: a cut-off iperf3 result is a finding, not silence', () => {
    const full = readFileSync(join(logs, 'iperf3-tcp.json'), 'utf8');
    const cut = join(dir, 'iperf3-cut.log');
    writeFileSync(cut, `root@guest:~# iperf3 -c 10.0.2.2 --json\n${full.slice(0, full.indexOf('"end"') + 200)}`);
    const r = analyze(['--json', cut]);
    assert.equal(r.code, 1, r.stdout);
    assert.deepEqual(
      JSON.parse(r.stdout).inputs[0].findings.map((f: { code: string }) => f.code),
      ['IPERF3_TRUNCATED'],
    );
  });

  it('N19: impossible iperf3 rates are a finding and are not printed as a measurement', () => {
    const j = JSON.parse(readFileSync(join(logs, 'iperf3-tcp.json'), 'utf8'));
    j.end.sum_received.bits_per_second = 9.4e15;
    const absurd = join(dir, 'iperf3-absurd.json');
    writeFileSync(absurd, JSON.stringify(j));
    const a = analyze([absurd]);
    assert.equal(a.code, 1, a.stdout);
    assert.match(
      a.stdout,
      /ERROR IPERF3_IMPLAUSIBLE: iperf3 figures that cannot be true: the received rate is 9400000 Gbit\/s/,
    );
    assert.doesNotMatch(a.stdout, /received 9400000000\.0 Mbit\/s/);
  });

  it('keeps JSON on stdout when one input is bad, and exits 2', () => {
    const r = analyze(['--json', join(logs, 'blog-no-iommu.log'), join(dir, 'nope.log')]);
    assert.equal(r.code, 2);
    const out = JSON.parse(r.stdout);
    assert.match(out.inputs[1].error, /no such file/);
    assert.equal(out.inputs[0].findings[0].code, 'NO_IOMMU');
  });

  it('exits 2 on bad usage', () => {
    assert.equal(analyze([]).code, 2);
    assert.equal(analyze(['--max-bytes', 'lots', join(logs, 'blog-no-iommu.log')]).code, 2);
    assert.equal(analyze(['-', '-'], 'x').code, 2);
  });
});
