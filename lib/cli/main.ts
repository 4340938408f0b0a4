// The CLI entry point (bin/iommu-lab.js loads it through tsx).
import { runCli } from './program.ts';

// `iommu-lab rigs | head` closes our stdout early: that is the reader's choice, not a crash.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await runCli(process.argv.slice(2));
