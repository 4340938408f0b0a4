// No subcommand option may share a flag with a program-wide one: commander answers the global
// first, so `twin firmware --version v -o f` printed iommu-lab's version and exited 0 without
// writing f (a silent success that did nothing).
import assert from 'node:assert/strict';
import type { Command } from 'commander';
import { buildProgram } from '../../lib/cli/program.ts';

function flags(c: Command): string[] {
  return c.options.flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f)));
}

function walk(c: Command, path: string[] = []): { path: string; flags: string[] }[] {
  return c.commands.flatMap((sub) => [
    { path: [...path, sub.name()].join(' '), flags: flags(sub) },
    ...walk(sub, [...path, sub.name()]),
  ]);
}

describe('cli: subcommand options never shadow the program-wide ones', () => {
  it('no subcommand declares --version/-V or --help/-h', async () => {
    const program = await buildProgram();
    const global = new Set([...flags(program), '--help', '-h']);
    assert.ok(global.has('--version'));
    const clashes = walk(program).flatMap((c) => c.flags.filter((f) => global.has(f)).map((f) => `${c.path} ${f}`));
    assert.deepEqual(clashes, []);
  });

  it('`twin firmware --fw-version` reaches the builder (and --version is no longer its option)', async () => {
    const program = await buildProgram();
    const fw = program.commands.find((c) => c.name() === 'twin')?.commands.find((c) => c.name() === 'firmware');
    assert.ok(fw);
    assert.ok(flags(fw).includes('--fw-version'));
    assert.ok(!flags(fw).includes('--version'));
  });
});
