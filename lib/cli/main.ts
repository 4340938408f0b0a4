// Placeholder entry point; subcommands are registered in lib/cli/program.ts.
import { runCli } from './program.ts';

process.exitCode = await runCli(process.argv.slice(2));
