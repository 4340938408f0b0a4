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

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML, walked by the rules below
type Yaml = Record<string, any>;

/** Node 24 majors of the actions the template uses (the Node 20 majors stop running in 2026). */
const NODE24_MAJOR: Record<string, number> = {
  'actions/checkout': 5,
  'actions/cache': 5,
  'actions/cache/restore': 5,
  'actions/cache/save': 5,
  'actions/upload-artifact': 6,
};

function gitlabProblems(job: Yaml): string[] {
  const out: string[] = [];
  const paths: string[] = job.artifacts?.paths ?? [];
  if (!job.artifacts?.expose_as) out.push('no artifacts:expose_as');
  if (paths.some((p) => p.includes('$'))) out.push('expose_as: GitLab ignores paths built from variables');
  if (!(job.after_script ?? []).some((l: string) => / report --dir reports\/run .*--page/.test(l.replace(/\n/g, ' '))))
    out.push('no after_script building the report (after_script runs whatever the exit code)');
  if (!job.artifacts?.reports?.metrics) out.push('no metrics report');
  if (!/test -n "\$FIRMWARE_URL"/.test(job.script?.[0] ?? '')) out.push('FIRMWARE_URL is not required first');
  if (!(job.cache?.paths ?? []).includes('reports/history/') || job.cache?.when !== 'always')
    out.push('the history (reports/history/) is not cached on every outcome');
  if (!(job.script ?? []).some((l: string) => /rigs --rig "\$BENCH"/.test(l))) out.push('rigs --rig "$BENCH" missing');
  return out;
}

function githubProblems(wf: Yaml): string[] {
  const out: string[] = [];
  const job = wf.jobs.iommu;
  const steps: { uses?: string; run?: string; if?: string; with?: Record<string, string> }[] = job.steps;
  for (const st of steps) {
    if (st.run?.includes('${{')) out.push(`an expression interpolated into run: ${st.run.split('\n')[0]}`);
    const m = /^([^@]+)@v(\d+)$/.exec(st.uses ?? '');
    if (st.uses && (!m || !(m[1]! in NODE24_MAJOR))) out.push(`unknown action ${st.uses}`);
    if (m && m[1]! in NODE24_MAJOR && Number(m[2]) < NODE24_MAJOR[m[1]!]!)
      out.push(`${st.uses}: not a Node 24 major (>= v${NODE24_MAJOR[m[1]!]})`);
  }
  if (job.concurrency?.queue !== 'max')
    out.push('concurrency without queue: max (a third run cancels the waiting one)');
  const report = steps.find((st) => st.run?.includes('iommu-lab.js report'));
  if (report?.if !== 'always()') out.push('the report step does not run always()');
  if (!report?.run?.includes('--markdown "$GITHUB_STEP_SUMMARY"')) out.push('no $GITHUB_STEP_SUMMARY');
  const save = steps.find((st) => st.uses?.startsWith('actions/cache/save'));
  if (save?.if !== 'always()' || save.with?.path !== 'reports/history') out.push('the history is not saved always()');
  if (!steps.some((st) => st.uses?.startsWith('actions/upload-artifact') && st.if === 'always()'))
    out.push('the report is not uploaded always()');
  for (const k of ['BENCH', 'FIRMWARE_URL', 'FIRMWARE_SHA256'])
    if (!job.env?.[k]?.startsWith('${{ inputs.')) out.push(`${k} not passed through env`);
  return out;
}

function jenkinsProblems(text: string): string[] {
  const out: string[] = [];
  const code = text.replace(/'[^'\n]*'|"[^"\n]*"|\/\/[^\n]*/g, '');
  for (const [open, close] of [
    ['{', '}'],
    ['(', ')'],
  ] as const)
    if (code.split(open).length !== code.split(close).length) out.push(`unbalanced ${open}${close}`);
  if (/agent\s*\{[^}]*params\./.test(text)) out.push("params in agent: empty on a new job's first build");
  if (!/junit [^\n]*junit\.xml[^\n]*testDataPublishers: \[attachments\(\)\]/.test(text))
    out.push('JUnit without the attachments publisher');
  if (!/publishHTML\([^\n]*reportFiles: 'summary\.html'/.test(text))
    out.push('summary.html (the CSP-proof page) not published');
  if (!/if \(!params\.FIRMWARE_URL\?\.trim\(\)\) \{ error\(/.test(text)) out.push('FIRMWARE_URL is not required');
  if (!/attempt-\$\{attempt\}/.test(text)) out.push('a retry does not write its own folder (attempt-<n>)');
  if (!/copyArtifacts\([^\n]*reports\/history/.test(text)) out.push('the history is not carried over');
  if (!/report --dir "\$RUN_DIR" --earlier-attempt "\$EARLIER_DIR"/.test(text))
    out.push("a retry's JUnit does not carry the first attempt (--earlier-attempt)");
  if (/testResults: "[^"\n]*\*[^"\n]*junit\.xml"/.test(text))
    out.push('JUnit of every attempt published: a retried test counts twice');
  return out;
}

describe('ci pipeline templates', () => {
  it('GitLab: valid YAML, a resource group per bench, JUnit and metrics reports, exit 2 retried then allowed', async () => {
    const text = read('ci/gitlab/iommu-lab.gitlab-ci.yml');
    const job = parse(text)['.iommu-lab'];
    assert.equal(job.resource_group, 'bench-$BENCH');
    assert.deepEqual(job.retry.exit_codes, [2]);
    assert.deepEqual(job.allow_failure.exit_codes, [2]);
    assert.match(job.artifacts.reports.junit, /junit\.xml$/);
    assert.equal(job.artifacts.when, 'always');
    assert.deepEqual(gitlabProblems(job), []);
    assert.ok((await checkAgainstCli('gitlab', [...job.script, ...job.after_script].join('\n'))) >= 3);
  });

  it('GitLab: each rule catches its planted mistake', () => {
    const job = () => parse(read('ci/gitlab/iommu-lab.gitlab-ci.yml'))['.iommu-lab'];
    const planted: [string, (j: Yaml) => void, RegExp][] = [
      ['a variable in an exposed path', (j) => (j.artifacts.paths = ['reports/$CI_JOB_ID/']), /expose_as/],
      ['no report after the run', (j) => delete j.after_script, /after_script/],
      ['no metrics report', (j) => delete j.artifacts.reports.metrics, /metrics/],
      ['no firmware check', (j) => j.script.shift(), /FIRMWARE_URL/],
      ['history not kept', (j) => delete j.cache, /history/],
      ['every rig validated', (j) => (j.script[2] = 'node bin/iommu-lab.js rigs'), /rigs --rig/],
    ];
    for (const [what, plant, expected] of planted) {
      const j = job();
      plant(j);
      assert.match(gitlabProblems(j).join('\n'), expected, what);
    }
  });

  it('GitHub Actions: valid YAML, self-hosted, a queued concurrency group per bench, report, summary and history', async () => {
    const text = read('ci/github/iommu-lab.yml');
    const wf = parse(text);
    const job = wf.jobs.iommu;
    assert.ok(job['runs-on'].includes('self-hosted'));
    assert.match(job.concurrency.group, /^bench-\$\{\{ inputs\.bench \}\}$/);
    assert.equal(job.concurrency['cancel-in-progress'], false);
    assert.deepEqual(githubProblems(wf), []);
    const scripts = job.steps.map((s: { run?: string }) => s.run ?? '').join('\n');
    assert.ok((await checkAgainstCli('github', scripts)) >= 3);
  });

  it('GitHub Actions: each rule catches its planted mistake', () => {
    const wf = () => parse(read('ci/github/iommu-lab.yml'));
    type Step = { uses?: string; run?: string; if?: string; with?: Record<string, string> };
    const steps = (w: Yaml): Step[] => w.jobs.iommu.steps;
    const planted: [string, (w: Yaml) => void, RegExp][] = [
      [
        'an input pasted into a script',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
        (w) => (steps(w)[3]!.run = 'node bin/iommu-lab.js rigs --rig "${{ inputs.bench }}"'),
        /interpolat/,
      ],
      ['a Node 20 action', (w) => (steps(w)[0]!.uses = 'actions/checkout@v4'), /Node 24/],
      ['no queue', (w) => delete w.jobs.iommu.concurrency.queue, /queue: max/],
      ['report only on success', (w) => delete steps(w).find((s) => s.run?.includes(' report '))!.if, /always\(\)/],
      [
        'no step summary',
        (w) =>
          (steps(w).find((s) => s.run?.includes(' report '))!.run = 'node bin/iommu-lab.js report --dir reports/run'),
        /GITHUB_STEP_SUMMARY/,
      ],
      [
        'history not saved',
        (w) => (w.jobs.iommu.steps = steps(w).filter((s) => !s.uses?.startsWith('actions/cache/save'))),
        /history/,
      ],
    ];
    for (const [what, plant, expected] of planted) {
      const w = wf();
      plant(w);
      assert.match(githubProblems(w).join('\n'), expected, what);
    }
  });

  it('Jenkins: balanced Groovy, a lockable resource per bench, JUnit with attachments, the summary page, exit codes mapped', async () => {
    const text = read('ci/jenkins/Jenkinsfile');
    assert.match(text, /lock\(resource: "bench-\$\{params\.BENCH\}"\)/);
    assert.match(text, /code == 1\) \{ currentBuild\.result = 'FAILURE'/);
    assert.deepEqual(jenkinsProblems(text), []);
    assert.ok((await checkAgainstCli('jenkins', text)) >= 3);
  });

  it('Jenkins: each rule catches its planted mistake', () => {
    const text = read('ci/jenkins/Jenkinsfile');
    const planted: [string, string, RegExp][] = [
      [
        'a parameter in agent',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Groovy interpolation, not a template
        text.replace("agent { label 'iommu-lab' }", 'agent { label "${params.BENCH}" }'),
        /agent/,
      ],
      ['no attachments', text.replace(', testDataPublishers: [attachments()]', ''), /attachments/],
      ['no summary page', text.replace(/reportFiles: 'summary\.html'/, "reportFiles: 'index.html'"), /summary\.html/],
      ['no firmware check', text.replace(/if \(!params\.FIRMWARE_URL[^\n]*\n/, ''), /FIRMWARE_URL/],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Groovy interpolation, not a template
      ['attempts share a folder', text.replace('/attempt-${attempt}', ''), /attempt/],
      ['first attempt dropped', text.replace(' --earlier-attempt "$EARLIER_DIR"', ''), /earlier-attempt/],
      [
        'every attempt published',
        text.replace(`testResults: "\${env.RUN_DIR ?: 'reports'}/junit.xml"`, 'testResults: "reports/*/junit.xml"'),
        /counts twice/,
      ],
      ['unbalanced', text.replace('post {', 'post {{'), /unbalanced/],
    ];
    for (const [what, bad, expected] of planted) assert.match(jenkinsProblems(bad).join('\n'), expected, what);
  });

  it("the README's commands exist in the CLI", async () => {
    assert.ok((await checkAgainstCli('README.md', read('README.md'))) >= 10);
  });
});
