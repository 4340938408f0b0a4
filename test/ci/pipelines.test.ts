// The CI templates a lab copies must be valid files and must only call commands and flags the
// CLI has: a renamed flag breaks here, not in someone's pipeline at 3 a.m.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parse } from 'yaml';
import { buildProgram } from '../../lib/cli/program.ts';

const root = resolve(import.meta.dirname, '../..');
const read = (p: string) => readFileSync(resolve(root, p), 'utf8');

/** Every `node bin/iommu-lab.js <command> [flags]` invocation in a text (line continuations joined). */
function invocations(text: string): { command: string; flags: string[] }[] {
  const joined = text.replace(/\\\n\s*/g, ' ').replace(/>\n\s+/g, '');
  return [...joined.matchAll(/node bin\/iommu-lab\.js ([a-z-]+)([^\n'"]*(?:["'][^"'\n]*["'][^\n'"]*)*)/g)].map((m) => ({
    command: m[1]!,
    flags: [...(m[2] ?? '').matchAll(/(?:^|\s)(--[a-z][a-z0-9-]*)/g)].map((f) => f[1]!),
  }));
}

async function checkAgainstCli(file: string, text: string): Promise<number> {
  const program = await buildProgram();
  const calls = invocations(text);
  for (const c of calls) {
    const cmd = program.commands.find((x: Command) => x.name() === c.command);
    assert.ok(cmd, `${file}: no command "${c.command}" in the CLI`);
    // A command with subcommands (`pxe serve`): the flags of any of them.
    const known = [cmd, ...cmd.commands].flatMap((x) => x.options.map((o) => o.long));
    for (const f of c.flags) assert.ok(known.includes(f), `${file}: "${c.command}" has no option ${f}`);
  }
  return calls.length;
}

describe('ci pipeline templates', () => {
  it('GitLab: valid YAML, a resource group per bench, JUnit report, exit 2 retried', async () => {
    const text = read('ci/gitlab/iommu-lab.gitlab-ci.yml');
    const job = parse(text)['.iommu-lab'];
    assert.equal(job.resource_group, 'bench-$BENCH');
    assert.deepEqual(job.retry.exit_codes, [2]);
    assert.match(job.artifacts.reports.junit, /junit\.xml$/);
    assert.equal(job.artifacts.when, 'always');
    assert.ok((await checkAgainstCli('gitlab', job.script.join('\n'))) >= 2);
  });

  it('GitHub Actions: valid YAML, self-hosted, a concurrency group per bench, report uploaded', async () => {
    const text = read('ci/github/iommu-lab.yml');
    const wf = parse(text);
    const job = wf.jobs.iommu;
    assert.ok(job['runs-on'].includes('self-hosted'));
    assert.match(job.concurrency.group, /^bench-\$\{\{ inputs\.bench \}\}$/);
    assert.equal(job.concurrency['cancel-in-progress'], false);
    assert.ok(
      job.steps.some(
        (s: { uses?: string; if?: string }) => s.uses?.startsWith('actions/upload-artifact') && s.if === 'always()',
      ),
    );
    const scripts = job.steps.map((s: { run?: string }) => s.run ?? '').join('\n');
    assert.ok((await checkAgainstCli('github', scripts)) >= 2);
  });

  it('Jenkins: balanced Groovy, a lockable resource per bench, JUnit, exit codes mapped', async () => {
    const text = read('ci/jenkins/Jenkinsfile');
    const code = text.replace(/'[^'\n]*'|"[^"\n]*"|\/\/[^\n]*/g, '');
    for (const [open, close] of [
      ['{', '}'],
      ['(', ')'],
    ] as const)
      assert.equal(code.split(open).length, code.split(close).length, `unbalanced ${open}${close}`);
    assert.match(text, /lock\(resource: "bench-\$\{params\.BENCH\}"\)/);
    assert.match(text, /junit [^\n]*junit\.xml/);
    assert.match(text, /code == 1\) \{ currentBuild\.result = 'FAILURE'/);
    assert.ok((await checkAgainstCli('jenkins', text)) >= 2);
  });

  it("the README's commands exist in the CLI", async () => {
    assert.ok((await checkAgainstCli('README.md', read('README.md'))) >= 10);
  });
});
