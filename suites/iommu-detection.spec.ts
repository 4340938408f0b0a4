// Does Xen find and enable the AMD IOMMU the firmware describes? Evidence: the serial capture
// of the Xen boot first, `xl dmesg` second, and `xl info`.
import assert from 'node:assert/strict';
import { RigError } from '../lib/core/errors.ts';
import { attach } from '../lib/core/step.ts';
import type { Finding } from '../lib/diagnose/types.ts';
import { xlDmesg } from '../lib/dom0/guest.ts';
import { assertWithDiagnosis, attachResult, diagnoseAndAttach } from '../lib/evidence/command.ts';
import { lookFor, showHits } from '../lib/report/evidence.ts';
import { noteIommuFacts } from '../lib/report/iommu-facts.ts';
import { defineSuite } from '../lib/run/define-suite.ts';
import { bootTo } from '../lib/run/suite-kit.ts';
import { ivrsErrorsNeedDebug, ivrsVerdict } from '../lib/xen/ivrs-check.ts';
import { parseXenLog, type XenLogFacts } from '../lib/xen/xen-log.ts';
import { parseXlInfo, type XlInfo } from '../lib/xen/xl-info.ts';

export default defineSuite(
  {
    name: 'iommu-detection',
    order: 20,
    // Stable ids by title ("<suite>/<id>"): a renamed title keeps its id, and its history.
    ids: {
      'boots Xen with the options the evidence needs': 'xen-options',
      'has an IVRS ACPI table': 'ivrs-table',
      'enables AMD-Vi (IOMMU 0 Enabled)': 'amd-vi-enabled',
      'enables I/O virtualisation': 'io-virtualisation',
      'enables interrupt remapping': 'interrupt-remapping',
      'reports no IVRS/IVHD errors': 'no-ivrs-errors',
      'reports no IO_PAGE_FAULT': 'no-io-page-fault',
      'offers passthrough in xl info virt_caps': 'virt-caps-passthrough',
    },
    labels: {
      'xen-options': { severity: 'minor', tags: ['xen'] },
      'ivrs-table': { severity: 'blocker', tags: ['acpi', 'ivrs'] },
      'amd-vi-enabled': { severity: 'blocker', tags: ['amd-vi'] },
      'io-virtualisation': { severity: 'blocker', tags: ['amd-vi'] },
      'interrupt-remapping': { severity: 'critical', tags: ['amd-vi', 'interrupt-remapping'] },
      'no-ivrs-errors': { severity: 'critical', tags: ['acpi', 'ivrs'] },
      'no-io-page-fault': { severity: 'critical', tags: ['io-page-fault'] },
      'virt-caps-passthrough': { severity: 'critical', tags: ['xen', 'passthrough'] },
    },
    proves:
      'IVRS present, `AMD-Vi: IOMMU 0 Enabled.`, `I/O virtualisation enabled`, interrupt remapping, no IVRS/IVHD/IVMD errors (every Xen 4.8–4.22 wording) or `IO_PAGE_FAULT`, `xl info` virt_caps offer `*_directio`',
  },
  (run) => {
    describe('iommu-detection', () => {
      let serial: XenLogFacts;
      let dmesg: XenLogFacts;
      let info: XlInfo;
      let findings: Finding[] = [];
      let ring = '';
      let infoText = '';
      /** Where a test shows the line it judged: the serial capture of the boot, else xl dmesg. */
      const show = (pattern: RegExp) => {
        const xenLog = run.boot.record.xenLog;
        return pattern.test(xenLog)
          ? lookFor('serial console (Xen boot)', xenLog, pattern)
          : lookFor('xl dmesg', ring, pattern);
      };
      /** Serial first; `xl dmesg` when the serial capture did not say (e.g. --assume). */
      const fact = <K extends keyof XenLogFacts>(k: K): XenLogFacts[K] =>
        serial[k] === null || serial[k] === 'unknown' ? dmesg[k] : serial[k];

      before('read xl dmesg and xl info from dom0', async function () {
        await bootTo(this, run, 'dom0');
        const d = await run.session.dom0();
        ring = await xlDmesg(d);
        await attach('xl dmesg', ring);
        const r = await d.run('xl info', { timeoutMs: 30_000 });
        await attachResult('xl info', r);
        serial = parseXenLog(run.boot.record.xenLog);
        dmesg = parseXenLog(ring);
        noteIommuFacts(run.iommu, serial, dmesg);
        info = parseXlInfo(r.stdout);
        infoText = r.stdout;
        findings = (await diagnoseAndAttach('Xen log', `${run.boot.record.xenLog}\n${ring}`)).filter(
          (f) => f.severity === 'error',
        );
      });

      it('boots Xen with the options the evidence needs', async () => {
        await show(/Command line:/);
        const cmdline = serial.commandLine ?? dmesg.commandLine ?? info.commandLine ?? '';
        const need: [string, RegExp][] = [
          ['iommu=verbose', /\biommu=[^ ]*verbose/],
          ['loglvl=all', /\bloglvl=all\b/],
          ['conring_size', /\bconring_size=/],
        ];
        // iommu-lab served this boot (rig boot.server): what Xen runs must be what the rig says.
        const rig = run.rig;
        const words = (line: string) => line.trim().split(/\s+/).join(' ');
        if (rig.boot.server && info.commandLine !== null && words(info.commandLine) !== words(rig.boot.xenCommandLine))
          throw new RigError(
            `Xen runs with "${info.commandLine}" (xl info xen_commandline), not the rig's boot.xenCommandLine "${rig.boot.xenCommandLine}": the board did not boot what iommu-lab served`,
            { code: 'XEN_CMDLINE', part: 'boot' },
          );
        const version = serial.xenVersion ?? dmesg.xenVersion ?? info.xenVersion;
        if (version && ivrsErrorsNeedDebug(version))
          need.push([`iommu=debug (Xen ${version} prints IVRS errors only with it)`, /\biommu=[^ ]*\bdebug\b/]);
        const missing = need.filter(([, re]) => !re.test(cmdline)).map(([name]) => name);
        // A lab configuration problem, not the firmware's: reported as broken.
        if (missing.length)
          throw new RigError(
            `Xen command line "${cmdline}" lacks ${missing.join(', ')}: fix the PXE configuration (rig boot.xenCommandLine)`,
            {
              code: 'XEN_CMDLINE',
              part: 'boot',
            },
          );
      });

      it('has an IVRS ACPI table', async () => {
        await show(/\bIVRS\b/);
        assertWithDiagnosis(fact('ivrs') === true, 'Xen lists no IVRS table among the ACPI tables', findings);
      });

      it('enables AMD-Vi (IOMMU 0 Enabled)', async () => {
        await show(/AMD-Vi: IOMMU \d+ Enabled/);
        // Xen 4.18.5+/4.19.2+ refuse the IOMMU on a CPU without CMPXCHG16B. No AMD-Vi CPU lacks
        // it: a twin whose QEMU CPU model dropped cx16 — the lab's problem, not the firmware's.
        if (serial.cpuNoCx16 || dmesg.cpuNoCx16)
          throw new RigError(
            'Xen says "no CMPXCHG16B support, disabling IOMMU": the CPU model lacks cx16 (on the twin, give QEMU a CPU model with cx16)',
            { code: 'BENCH_CPU_NO_CX16', part: 'xen' },
          );
        assertWithDiagnosis(fact('iommuCount') > 0, 'no "AMD-Vi: IOMMU 0 Enabled." line', findings);
      });

      it('enables I/O virtualisation', async () => {
        await show(/I\/O virtualisation (en|dis)abled/);
        assertWithDiagnosis(fact('iommu') === 'enabled', `I/O virtualisation is ${fact('iommu')}`, findings);
      });

      it('enables interrupt remapping', async () => {
        await show(/[Ii]nterrupt remapping/);
        assertWithDiagnosis(fact('interruptRemapping') === true, 'interrupt remapping is not enabled', findings);
      });

      it('reports no IVRS/IVHD errors', async () => {
        // Every wording of Xen 4.8–4.22 ("IVHD Error: …" up to 4.15, "AMD-Vi: Error: IVHD: …" since).
        const v = ivrsVerdict(serial, dmesg);
        await showHits('IVRS/IVHD errors', 'serial console and xl dmesg', v.errors);
        if (v.warnings.length)
          await showHits('IVRS warnings (not failed on)', 'serial console and xl dmesg', v.warnings);
        assertWithDiagnosis(v.failure === null, v.failure ?? '', findings);
      });

      it('reports no IO_PAGE_FAULT', async () => {
        const faults = [...serial.pageFaults, ...dmesg.pageFaults];
        await showHits('IO_PAGE_FAULT', 'serial console and xl dmesg', faults);
        assert.deepEqual(
          faults.map((e) => e.text),
          [],
          'the IOMMU refused DMA (IO_PAGE_FAULT)',
        );
      });

      it('offers passthrough in xl info virt_caps', async () => {
        await lookFor('xl info', infoText, /^virt_caps/);
        const want = run.rig.capabilities.hvm ? ['hvm_directio', 'pv_directio'] : ['pv_directio'];
        const missing = want.filter((c) => !info.virtCaps.includes(c));
        assertWithDiagnosis(
          missing.length === 0,
          `virt_caps "${info.virtCaps.join(' ')}" lack ${missing.join(', ')}`,
          findings,
        );
      });
    });
  },
);
