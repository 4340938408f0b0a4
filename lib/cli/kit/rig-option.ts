// `--rig`, the same on every command: a rig name in rigs/ or a rig file; when not given, the
// IOMMU_LAB_RIG environment variable (a CI job or a shell names its bench once), then the default.
import { Option } from 'commander';
import { DEFAULT_RIG } from '../../rig/load.ts';

export const RIG_ENV = 'IOMMU_LAB_RIG';

export function rigOption(description = 'rig name or file', fallback: string | undefined = DEFAULT_RIG): Option {
  const o = new Option('--rig <name|path>', description).env(RIG_ENV);
  return fallback === undefined ? o : o.default(fallback);
}
