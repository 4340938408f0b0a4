import assert from 'node:assert/strict';
import { analyzeText } from '../../lib/analyze/analyze.ts';
import { logFixture } from '../fixtures/logs.ts';

describe('analyze/analyze', () => {
  it('reads a whole twin transcript: firmware, Xen and dom0 parts', () => {
    const r = analyzeText(logFixture('twin-4.17-iommu-enabled.serial.log'), 'twin.log');
    assert.equal(r.source, 'twin.log');
    for (const k of ['seabios', 'xen-log', 'dom0-dmesg']) assert.ok(r.kinds.includes(k as never), k);
    assert.equal(r.facts.xenVersion, '4.17.7');
    assert.equal(r.facts.iommu, 'enabled');
    assert.equal(r.facts.ivrs, true);
    assert.equal(r.facts.interruptRemapping, true);
    assert.deepEqual(r.findings, []);
  });

  it("finds Xen 4.17's IVRS error in the twin's real boot log (an 'AMD-Vi: Error: IVHD: …' line inserted)", () => {
    const lines = logFixture('twin-4.17-captured-iommu-on.serial.log').split('\n');
    const at = lines.findIndex((l) => l.includes('AMD-Vi: IVHD Special')) + 1;
    lines.splice(at, 0, '(XEN) AMD-Vi: Error: IVHD: invalid Device_Entry length');
    const r = analyzeText(lines.join('\n'));
    assert.equal(r.facts.xenVersion, '4.17.7');
    assert.equal(r.facts.iommu, 'enabled');
    assert.deepEqual(
      r.findings.map((f) => [f.code, f.severity, f.line]),
      [['IVRS_ERROR', 'error', at + 1]],
    );
    assert.deepEqual(
      (r.facts.xen as { ivhdErrors: { code: string }[] }).ivhdErrors.map((e) => e.code),
      ['IVRS_ERROR'],
    );
  });

  it('diagnoses the twin without IOMMU', () => {
    const r = analyzeText(logFixture('twin-4.17-no-iommu.serial.log'));
    assert.ok(r.kinds.includes('libxl'));
    assert.equal(r.facts.iommu, 'disabled');
    assert.deepEqual(
      r.findings.map((f) => f.code),
      ['IVRS_MISSING', 'NO_IOMMU'],
    );
    assert.equal(r.findings.find((f) => f.code === 'NO_IOMMU')?.count, 2);
  });

  it('takes the firmware version and IVRS from a firmware log', () => {
    const r = analyzeText(logFixture('apu2-coreboot-debug-ivrs.serial.log'));
    assert.deepEqual(r.kinds, ['coreboot-log', 'seabios']);
    assert.equal(r.facts.firmwareVersion, 'v4.10.0.2');
    assert.equal(r.facts.ivrs, true);
    const bad = analyzeText(logFixture('apu2-coreboot-debug-no-ivrs.serial.log'));
    assert.equal(bad.facts.ivrs, false);
    assert.deepEqual(
      bad.findings.map((f) => f.code),
      ['IVRS_MISSING', 'FIRMWARE_IVRS_MISSING', 'PXE_NOT_OFFERED'],
    );
  });

  it('notes "Booting Xen 4.8 is unstable" for Xen 4.8 on Dasharo SeaBIOS only (its release notes)', () => {
    // A real apu2 Xen 4.8.3 log after a sign-on: Dasharo SeaBIOS's (dasharo-pq patch 0056's
    // print_sign_of_life lines, v24.08.00.01's LOCALVERSION), then PC Engines' own v4.10.0.2.
    const xen48 = logFixture('apu2-xen-4.8.3-iommu-enabled.xl-dmesg.log');
    const dasharo = `PC Engines apu2\ncoreboot build 19700101\nBIOS version v24.08.00.01\n4080 MB ECC DRAM\n${xen48}`;
    const r = analyzeText(dasharo);
    assert.equal(r.facts.firmwareVersion, 'v24.08.00.01');
    const note = r.findings.find((f) => f.code === 'XEN_48_UNSTABLE');
    assert.equal(note?.severity, 'info');
    assert.match(
      note!.message,
      /^Xen 4\.8\.3 on Dasharo \(coreboot\+SeaBIOS\) v24\.08\.00\.01: "Booting Xen 4\.8 is unstable"/,
    );
    const pcengines = analyzeText(`${logFixture('apu2-v4.10.0.2-release.serial.log')}\n${xen48}`);
    assert.equal(pcengines.facts.firmwareVersion, 'v4.10.0.2');
    assert.equal(
      pcengines.findings.find((f) => f.code === 'XEN_48_UNSTABLE'),
      undefined,
    );
    for (const clean of [
      xen48,
      logFixture('twin-4.17-iommu-enabled.serial.log'),
      logFixture('twin-4.20-captured-iommu-on.serial.log'),
    ])
      assert.equal(
        analyzeText(clean).findings.find((f) => f.code === 'XEN_48_UNSTABLE'),
        undefined,
      );
    const xen417 = analyzeText(dasharo.replace(/Xen version 4\.8\.3/g, 'Xen version 4.17.7'));
    assert.equal(xen417.facts.xenVersion, '4.17.7');
    assert.equal(
      xen417.findings.find((f) => f.code === 'XEN_48_UNSTABLE'),
      undefined,
    );
  });

  it('says unknown (and why) for a wrapped xl dmesg', () => {
    const log = logFixture('apu2-xen-4.8.3-iommu-enabled.xl-dmesg.log');
    const r = analyzeText(log.slice(log.indexOf('(XEN) nr_sockets')));
    assert.equal(r.facts.iommu, 'unknown');
    const f = r.findings.find((x) => x.code === 'IOMMU_VERDICT_UNKNOWN');
    assert.match(f!.message, /wrapped/);
  });

  it('reads command output: xl info, xl list, lspci, iommu groups, iperf3', () => {
    assert.ok(analyzeText('virt_caps : pv hvm hvm_directio\nxen_version : 4.17.7\n').kinds.includes('xl-info'));
    const groups = analyzeText(logFixture('apu2-iommu-groups.txt'));
    assert.ok(groups.kinds.includes('iommu-groups'));
    assert.equal(groups.findings[0].code, 'IOMMU_GROUP_SHARED');
    const iperf = analyzeText(
      `root@guest:~# iperf3 -c 10.0.2.2 --json\n${logFixture('iperf3-refused.json')}\nroot@guest:~# `,
    );
    assert.ok(iperf.kinds.includes('iperf3'));
    assert.equal(iperf.findings[0].code, 'IPERF3_ERROR');
    const ok = analyzeText(logFixture('iperf3-tcp.json'));
    assert.ok((ok.facts.iperf3 as { receivedBitsPerSecond: number }).receivedBitsPerSecond > 0);
    const list = analyzeText('Name ID Mem VCPUs State Time(s)\nDomain-0 0 512 4 r----- 448.3\n');
    assert.deepEqual(list.kinds, ['xl-list']);
    assert.equal((list.facts.domains as unknown[]).length, 1);
  });

  it('has no kinds and no findings for unrelated text', () => {
    const r = analyzeText('hello world\n');
    assert.deepEqual([r.kinds, r.findings, r.facts.iommu], [[], [], 'unknown']);
  });
});

describe('analyze on captures from the QEMU twin (Xen 4.17.7)', () => {
  it('reads the serial transcript and the xl dmesg ring alike', () => {
    for (const name of ['twin-4.17-captured-iommu-on.serial.log', 'twin-4.17-captured.xl-dmesg.log']) {
      const r = analyzeText(logFixture(name), name);
      assert.ok(r.kinds.includes('xen-log'), name);
      assert.deepEqual(
        [r.facts.xenVersion, r.facts.iommu, r.facts.ivrs, r.facts.interruptRemapping, r.facts.iommuCount],
        ['4.17.7', 'enabled', true, true, 1],
        name,
      );
      assert.deepEqual(r.findings, [], name);
    }
  });

  it('reads xl create / xl list (tab-separated header) / xl pci-list output and lspci -nn', () => {
    const r = analyzeText(logFixture('twin-4.17-captured-xl-create.txt'));
    assert.deepEqual(r.kinds, ['libxl', 'xl-list', 'xl-pci-list']);
    assert.deepEqual(
      (r.facts.domains as { name: string }[]).map((d) => d.name),
      ['Domain-0', 'iommu-lab-guest'],
    );
    assert.deepEqual(r.facts.pciList, [{ vdev: '00.0', bdf: '0000:02:00.0' }]);
    const l = analyzeText(logFixture('twin-4.17-captured-dom0-lspci-nn.txt'));
    const nics = (l.facts.pciDevices as { classId: string; vendor: string; device: string }[]).filter(
      (d) => d.classId === '0200',
    );
    assert.deepEqual(
      nics.map((d) => `${d.vendor}:${d.device}`),
      ['8086:10d3', '8086:10d3', '8086:10d3'],
    );
  });
});

describe('analyze on captures from the QEMU twin with Debian 13 (Xen 4.20.5-pre, Linux 6.12)', () => {
  it('reads the serial transcript and the xl dmesg ring alike: IOMMU on, IVRS, no findings', () => {
    for (const name of ['twin-4.20-captured-iommu-on.serial.log', 'twin-4.20-captured.xl-dmesg.log']) {
      const r = analyzeText(logFixture(name), name);
      assert.ok(r.kinds.includes('xen-log'), name);
      assert.deepEqual(
        [r.facts.xenVersion, r.facts.iommu, r.facts.ivrs, r.facts.interruptRemapping, r.facts.iommuCount],
        ['4.20.5', 'enabled', true, true, 1],
        name,
      );
      assert.deepEqual(r.findings, [], name);
    }
  });

  it('reads the whole 4.20 transcript: firmware, Xen 4.20 and the 6.12 dom0', () => {
    const r = analyzeText(logFixture('twin-4.20-captured-iommu-on.serial.log'));
    for (const k of ['seabios', 'xen-log', 'dom0-dmesg']) assert.ok(r.kinds.includes(k as never), k);
    const xen = r.facts.xen as { xenVersionFull: string; reachedDom0: boolean; ivhdErrors: unknown[] };
    assert.equal(xen.xenVersionFull, '4.20.5-pre');
    assert.equal(xen.reachedDom0, true);
    assert.deepEqual(xen.ivhdErrors, []);
  });

  it("reads 4.20's xl info: version, passthrough in virt_caps, the twin's command line", () => {
    const r = analyzeText(logFixture('twin-4.20-captured-xl-info.txt'));
    assert.deepEqual(r.kinds, ['xl-info']);
    const info = r.facts.xlInfo as {
      xenVersion: string;
      hvmDirectio: boolean;
      pvDirectio: boolean;
      commandLine: string;
    };
    assert.equal(r.facts.xenVersion, '4.20.5');
    assert.equal(info.hvmDirectio, true);
    assert.equal(info.pvDirectio, true);
    assert.match(info.commandLine, /iommu=verbose,debug,quarantine=scratch-page/);
  });

  it('the 4.20 log is not the 4.17 one with a new banner: it has the 4.20-only IVHD debug line', () => {
    // xen/drivers/passthrough/amd/iommu_acpi.c (4.20) prints the IVHD header at debug level.
    assert.match(
      logFixture('twin-4.20-captured.xl-dmesg.log'),
      /^\(XEN\) AMD-Vi: IVHD: IOMMU @ 0xfed80000 cap @ 0x40 seg 0x0000 info 0 attr 0x44$/m,
    );
    assert.doesNotMatch(logFixture('twin-4.17-captured.xl-dmesg.log'), /AMD-Vi: IVHD: IOMMU @/);
  });
});
