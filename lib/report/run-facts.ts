// The run's facts in one flat list, the same wherever they are shown: Allure's environment
// and report variables, JUnit <properties>. Made from summary.json, so they never disagree.
import type { RunSummary } from './summary-schema.ts';

const onOff = (flags: Record<string, boolean> | undefined) =>
  flags && Object.keys(flags).length
    ? Object.entries(flags)
        .map(([k, v]) => `${k} ${v ? 'on' : 'off'}`)
        .join(', ')
    : undefined;

export function runFacts(s: RunSummary): Record<string, string> {
  const fw = s.firmware;
  const facts: Record<string, string | null | undefined> = {
    rig: s.rig,
    'firmware version': fw.version,
    'firmware flavour': fw.flavour,
    'firmware version read from': fw.versionFrom,
    'firmware sha256': fw.sha256,
    'firmware source': fw.source,
    // A Dasharo release (--firmware flavour:version:board): what the file was checked against.
    'firmware checked against': fw.release?.sha256Url,
    'firmware signature': fw.release?.signature,
    board: fw.banner?.board,
    'firmware settings (chip)': onOff(fw.settings.onChip),
    'firmware settings (menu)': onOff(fw.settings.menu),
    Xen: s.platform.xenVersion,
    'Xen build': s.platform.xenBanner,
    'dom0 kernel': s.platform.dom0Kernel,
    // The image set the boot server served (lib/images manifest): what was built, not what ran.
    'image set': s.images
      ? `${s.images.key} (Xen ${s.images.xenVersion}, dom0 ${s.images.dom0Kernel}, built ${s.images.builtAt})`
      : undefined,
    'image sha256': s.images?.imageHash,
    'iommu-lab': `${s.tool.version}${s.tool.commit ? ` (${s.tool.commit.slice(0, 12)})` : ''}`,
    host: s.host,
    started: s.startedAt,
  };
  return Object.fromEntries(
    Object.entries(facts).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''),
  );
}
