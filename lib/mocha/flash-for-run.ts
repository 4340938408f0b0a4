// `iommu-lab run --firmware`: flash the build before the first boot (wired to flash/ below).
import { UsageError } from '../core/errors.ts';
import type { Lab, RunOptions } from '../session/lab.ts';

export async function flashForRun(_lab: Lab, fw: NonNullable<RunOptions['firmware']>): Promise<void> {
  throw new UsageError(`--firmware ${fw.source}: flashing inside a run is not wired yet`);
}
