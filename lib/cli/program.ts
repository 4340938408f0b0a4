import { Command, CommanderError } from 'commander';
import { UsageError } from '../core/errors.ts';

export async function runCli(argv: string[]): Promise<number> {
  const program = new Command('iommu-lab')
    .exitOverride()
    .description('Validate coreboot IOMMU (AMD-Vi) support on apu2 boards under Xen');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof UsageError) {
      console.error(`iommu-lab: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
