// Findings that come from facts rather than from one line: an unknown verdict, a missing
// IVRS, NICs sharing an IOMMU group, a failed, cut-off or impossible iperf3 run.
import type { DiagnosisCode } from '../core/error-codes.ts';
import type { Finding } from '../diagnose/types.ts';
import type { FirmwareBanner } from '../firmware/banner.ts';
import { flavourOfVersion } from '../firmware/flavour.ts';
import type { Iperf3Result } from '../net/iperf3.ts';
import { type IommuGroupDevice, sharedGroups } from '../xen/iommu-groups.ts';
import type { XenLogFacts } from '../xen/xen-log.ts';
import type { Kind } from './detect.ts';
import type { Facts } from './facts.ts';
import { implausibleIperf3 } from './iperf3-sanity.ts';

function finding(
  code: DiagnosisCode,
  severity: Finding['severity'],
  message: string,
  remedy: string,
  line = 0,
  text = '',
): Finding {
  return { code, severity, message, remedy, line, text, count: 1 };
}

export function deriveFindings(f: Facts, kinds: readonly Kind[] = []): Finding[] {
  const out: Finding[] = [];
  const xen = f.xen as XenLogFacts | undefined;
  const fw = f.firmware as FirmwareBanner | undefined;
  if (xen && f.iommu === 'unknown') {
    const why = xen.wrapped
      ? 'the log has no Xen banner at its start (an `xl dmesg` ring that wrapped, or a capture started late)'
      : 'the log stops before Xen set up the IOMMU';
    out.push(
      finding(
        'IOMMU_VERDICT_UNKNOWN',
        'info',
        `Cannot tell whether the IOMMU is enabled: ${why}.`,
        'Capture the whole boot on the serial console (e.g. loglvl=all, console=com1).',
      ),
    );
  }
  if (f.ivrs === false) {
    const fromXen = xen?.ivrs === false;
    out.push(
      finding(
        'IVRS_MISSING',
        'error',
        fromXen
          ? "Xen's ACPI table list has no IVRS table."
          : 'coreboot wrote its ACPI tables without a usable IVRS table.',
        'Enable the IOMMU in the firmware options and check the IVRS code of the coreboot build.',
      ),
    );
  }
  if (fw?.pxeOffered === false) {
    out.push(
      finding(
        'PXE_NOT_OFFERED',
        'info',
        'The boot prompt does not offer network (PXE) boot.',
        'Enable "Network/PXE boot" (n) in the firmware setup, or "pxen1" in bootorder.',
      ),
    );
  }
  // Every Dasharo (coreboot+SeaBIOS) release note lists "Booting Xen 4.8 is unstable"
  // (Dasharo/docs releases_seabios.md @ 8d3f97d9, pointing at pcengines/apu2-documentation #109:
  // boots that hang after "(XEN) CPU1: No irq handler for vector e7"). A note, so a hang on
  // that pair is read with it in mind; it needs both versions, so it is no line row.
  if (
    /^4\.8(?:\.|$)/.test(f.xenVersion ?? '') &&
    f.firmwareVersion &&
    flavourOfVersion(f.firmwareVersion) === 'dasharo-seabios'
  )
    out.push(
      finding(
        'XEN_48_UNSTABLE',
        'info',
        `Xen ${f.xenVersion} on Dasharo (coreboot+SeaBIOS) ${f.firmwareVersion}: "Booting Xen 4.8 is unstable" is a ` +
          'known issue of every Dasharo SeaBIOS release (release notes; pcengines/apu2-documentation #109, boots ' +
          'that hang after "No irq handler for vector").',
        'Tell a flaky hang from a regression by repeating the boot (boot-stability), or test with a newer Xen than 4.8.',
      ),
    );
  const groups = f.iommuGroups as IommuGroupDevice[] | undefined;
  if (groups) {
    const nics = groups.filter((d) => d.classId?.startsWith('02')).map((d) => d.bdf);
    for (const [group, bdfs] of Object.entries(sharedGroups(groups, nics))) {
      out.push(
        finding(
          'IOMMU_GROUP_SHARED',
          'warning',
          `NICs ${bdfs.join(', ')} share IOMMU group ${group}: they cannot be given to different guests.`,
          'Fix the IVRS device entries so each PCIe port (and its NIC) gets its own device id range.',
        ),
      );
    }
  }
  const iperf = f.iperf3 as Iperf3Result | undefined;
  if (iperf?.error)
    out.push(
      finding(
        'IPERF3_ERROR',
        'error',
        `iperf3 failed: ${iperf.error}`,
        'Check that the iperf3 server runs and is reachable from the guest.',
      ),
    );
  // iperf3 --json prints its result only when the test ends: keys of it without a whole object
  // mean the run (or the capture) stopped midway, which is no measurement at all.
  if (kinds.includes('iperf3') && !iperf)
    out.push(
      finding(
        'IPERF3_TRUNCATED',
        'error',
        'iperf3 JSON output is cut off: no complete result object, so there is no measurement.',
        'Run iperf3 again and capture its whole output; if the guest stopped answering midway, check its console.',
      ),
    );
  const absurd = iperf && !iperf.error ? implausibleIperf3(iperf) : null;
  if (absurd)
    out.push(
      finding(
        'IPERF3_IMPLAUSIBLE',
        'error',
        `iperf3 figures that cannot be true: ${absurd}.`,
        'Do not use these figures: take the JSON iperf3 wrote itself, unedited, and run the test again.',
      ),
    );
  return out;
}
