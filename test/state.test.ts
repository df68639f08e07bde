/**
 * Local Terraform state lives outside the synthesized output (issue 13): re-synthesizing, synthesizing
 * another plan into the same or a sibling directory, or the cdktf CLI pruning stack directories never
 * touches it, and a split pool stack's remote-state reference names the site stack's state file.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { App } from '../constructs/cdk';
import { buildStacks } from '../constructs/stacks';
import { validateFile } from '../pipeline/run';
import { BEFORE_BLOCKS, ownStacks, ROOT, runCli, tempDir } from './helpers';

interface StackJson {
  terraform: { backend?: { local?: { path: string } } };
  data?: { terraform_remote_state?: Record<string, { backend: string; config: { path: string } }> };
}
const stackJson = (out: string, id: string): StackJson =>
  JSON.parse(readFileSync(join(out, 'terraform', 'stacks', id, 'cdk.tf.json'), 'utf8')) as StackJson;
/** The state file a stack's local backend (or remote-state reference) names, as Terraform resolves it. */
const statePath = (out: string, id: string, path: string) => resolve(out, 'terraform', 'stacks', id, path);

describe('local state outside the output', () => {
  it('keeps each plan’s state beside --out, under the plan name', () => {
    const dir = tempDir();
    const out = join(dir, 'gigawatt.out');
    const r = runCli(['synth', 'examples/p5-efa.yaml', '--out', out]);
    expect(r.stderr).not.toMatch(/Error|at .*\.js/);
    expect(r.status).toBe(0);
    const path = stackJson(out, 'virginia').terraform.backend!.local!.path;
    expect(path).toBe('../../../../gigawatt.state/h100-efa/virginia.tfstate');
    expect(statePath(out, 'virginia', path)).toBe(
      join(dir, 'gigawatt.state', 'h100-efa', 'virginia.tfstate'),
    );
  });

  it('points a split pool stack’s remote state at the site stack’s state file', () => {
    const dir = tempDir();
    const out = join(dir, 'out');
    const planFile = join(dir, 'p5-efa-split.yaml');
    writeFileSync(planFile, ownStacks(readFileSync(join(ROOT, 'examples', 'p5-efa.yaml'), 'utf8')));
    const r = runCli(['synth', planFile, '--out', out]);
    expect(r.status).toBe(0);
    const stacks = readdirSync(join(out, 'terraform', 'stacks')).sort();
    expect(stacks).toEqual(['virginia', 'virginia-h100']);
    const site = statePath(out, 'virginia', stackJson(out, 'virginia').terraform.backend!.local!.path);
    const pool = stackJson(out, 'virginia-h100');
    const refs = Object.values(pool.data!.terraform_remote_state!);
    expect(refs).toHaveLength(1);
    expect(refs[0].backend).toBe('local');
    expect(statePath(out, 'virginia-h100', refs[0].config.path)).toBe(site);
    expect(statePath(out, 'virginia-h100', pool.terraform.backend!.local!.path)).toBe(
      join(dir, 'gigawatt.state', 'h100-efa', 'virginia-h100.tfstate'),
    );
  });

  it('never touches a plan’s state when another plan is synthesized into the same or a sibling --out', () => {
    const dir = tempDir();
    const out = join(dir, 'gigawatt.out');
    expect(runCli(['synth', 'examples/p5-efa.yaml', '--out', out]).status).toBe(0);
    const state = join(dir, 'gigawatt.state', 'h100-efa', 'virginia.tfstate');
    mkdirSync(dirname(state), { recursive: true });
    writeFileSync(state, '{"version": 4, "serial": 7}');
    for (const args of [
      ['synth', 'examples/trn2-ultraserver-capacity-block.yaml', '--at', BEFORE_BLOCKS, '--out', out],
      [
        'synth',
        'examples/trn2-ultraserver-capacity-block.yaml',
        '--at',
        BEFORE_BLOCKS,
        '-o',
        join(dir, 'other.out'),
      ],
      ['synth', 'examples/p5-efa.yaml', '--out', out],
    ])
      expect(runCli(args).status).toBe(0);
    expect(readFileSync(state, 'utf8')).toBe('{"version": 4, "serial": 7}');
    expect(existsSync(join(out, 'terraform', 'stacks', 'virginia', 'virginia.tfstate'))).toBe(false);
  });

  it('tells how to migrate state an earlier version kept inside the output', () => {
    const dir = tempDir();
    const out = join(dir, 'gigawatt.out');
    expect(runCli(['synth', 'examples/p5-efa.yaml', '--out', out]).status).toBe(0);
    const legacy = join(out, 'terraform', 'stacks', 'virginia', 'terraform.virginia.tfstate');
    writeFileSync(legacy, '{"version": 4, "serial": 3}');
    const r = runCli(['synth', 'examples/p5-efa.yaml', '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(
      'terraform/stacks/virginia/terraform.virginia.tfstate: local state inside the output',
    );
    expect(r.stderr).toContain("'terraform init -migrate-state'");
    // The old state is kept where it was until Terraform moves it.
    expect(readFileSync(legacy, 'utf8')).toBe('{"version": 4, "serial": 3}');
  });

  it('puts a cdktf app’s state beside cdktf.out', () => {
    const dir = tempDir();
    const outdir = join(dir, 'cdktf.out');
    const app = new App({ outdir });
    buildStacks(app, validateFile('examples/p5-efa.yaml').plan!);
    app.synth();
    const json = JSON.parse(
      readFileSync(join(outdir, 'stacks', 'virginia', 'cdk.tf.json'), 'utf8'),
    ) as StackJson;
    expect(resolve(outdir, 'stacks', 'virginia', json.terraform.backend!.local!.path)).toBe(
      join(dir, 'gigawatt.state', 'h100-efa', 'virginia.tfstate'),
    );
  });
});

describe('GW-PLAN-STATE-KEY: two plans validated together never share a state', () => {
  const P5 = readFileSync(join(ROOT, 'examples', 'p5-efa.yaml'), 'utf8');
  const BACKEND = 'backend: { bucket: example-gigawatt-state, region: us-east-1 }\n';
  /** p5-efa with another metadata.name and extra top-level fields. */
  const variant = (name: string, extra = '') => P5.replace('  name: h100-efa\n', `  name: ${name}\n`) + extra;
  interface Finding {
    rule: string;
    severity: string;
    path: string;
    file: string;
    line: number;
    col: number;
    message: string;
    hint: string;
  }
  const write = (dir: string, files: Record<string, string>) => {
    for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  };
  const validateJson = (dir: string, files: string[]) => {
    const r = runCli(['validate', '--format', 'json', ...files], { cwd: dir });
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as { results?: { file: string; diagnostics: Finding[] }[] } & {
      diagnostics?: Finding[];
    };
    const results = doc.results ?? [{ file: files[0]!, diagnostics: doc.diagnostics! }];
    return {
      status: r.status,
      shared: results.map((x) => x.diagnostics.filter((d) => d.rule === 'GW-PLAN-STATE-KEY')),
    };
  };
  const nameLine = P5.split('\n').indexOf('  name: h100-efa') + 1;

  it('reports the second plan at its metadata.name, naming the first file and the S3 state key', () => {
    const dir = tempDir();
    write(dir, { 'a.yaml': P5 + BACKEND, 'b.yaml': variant('other') + BACKEND, 'c.yaml': P5 + BACKEND });
    const r = validateJson(dir, ['a.yaml', 'b.yaml', 'c.yaml']);
    expect(r.status).toBe(1);
    expect(r.shared[0]).toEqual([]);
    expect(r.shared[1]).toEqual([]);
    expect(r.shared[2]).toEqual([
      {
        rule: 'GW-PLAN-STATE-KEY',
        severity: 'error',
        path: 'metadata.name',
        target: 'metadata.name',
        file: 'c.yaml',
        line: nameLine,
        col: 9,
        message:
          "Plan 'h100-efa' writes the same Terraform state as a.yaml: its stack state s3://example-gigawatt-state/gigawatt/h100-efa/virginia.tfstate. Whichever plan applies last overwrites the other's state; the other's next apply then plans to destroy what it does not declare and to create again what it does.",
        hint: 'Give this plan a metadata.name of its own, or another backend bucket or keyPrefix.',
      },
    ]);
  });

  it('says file:line in the text output and fails the run', () => {
    const dir = tempDir();
    write(dir, { 'a.yaml': P5 + BACKEND, 'b.yaml': P5 + BACKEND });
    const r = runCli(['validate', 'a.yaml', 'b.yaml'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`b.yaml:${nameLine}:9`);
    expect(r.stdout).toMatch(/GW-PLAN-STATE-KEY[^\n]*\n?[^\n]*same Terraform state as a\.yaml/);
    expect(r.stdout.split('GW-PLAN-STATE-KEY')).toHaveLength(2);
  });

  it('names the key the synthesized backend of the second plan uses', () => {
    const dir = tempDir();
    write(dir, { 'a.yaml': P5 + BACKEND, 'b.yaml': P5 + BACKEND });
    const key = /s3:\/\/example-gigawatt-state\/(\S+)\./.exec(
      validateJson(dir, ['a.yaml', 'b.yaml']).shared[1]![0]!.message,
    )![1];
    expect(runCli(['synth', 'b.yaml', '--out', 'out'], { cwd: dir }).status).toBe(0);
    const json = JSON.parse(
      readFileSync(join(dir, 'out', 'terraform', 'stacks', 'virginia', 'cdk.tf.json'), 'utf8'),
    ) as { terraform: { backend: { s3: { bucket: string; key: string } } } };
    expect(json.terraform.backend.s3).toMatchObject({ bucket: 'example-gigawatt-state', key });
  });

  it('lists every shared stack state of split pool stacks', () => {
    const dir = tempDir();
    write(dir, { 'a.yaml': ownStacks(P5) + BACKEND, 'b.yaml': ownStacks(P5) + BACKEND });
    expect(validateJson(dir, ['a.yaml', 'b.yaml']).shared[1]![0]!.message).toContain(
      'its 2 stack states s3://example-gigawatt-state/gigawatt/h100-efa/virginia.tfstate, s3://example-gigawatt-state/gigawatt/h100-efa/virginia-h100.tfstate.',
    );
  });

  it('reports two local-backend plans of one name', () => {
    const dir = tempDir();
    write(dir, { 'a.yaml': P5, 'b.yaml': P5 });
    const [d] = validateJson(dir, ['a.yaml', 'b.yaml']).shared[1]!;
    expect(d!.message).toContain(
      'its stack state gigawatt.state/h100-efa/virginia.tfstate (local backend, beside the output).',
    );
    expect(d!.hint).toBe('Give this plan a metadata.name of its own.');
  });

  it.each([
    ['another keyPrefix', P5 + BACKEND, P5 + BACKEND.replace(' }', ', keyPrefix: team-b }')],
    ['another bucket', P5 + BACKEND, P5 + BACKEND.replace('example-gigawatt-state', 'team-b-state')],
    ['another name', P5 + BACKEND, variant('h100-efa-b') + BACKEND],
    ['S3 and local backends', P5 + BACKEND, P5],
  ])('is silent for %s', (_, a, b) => {
    const dir = tempDir();
    write(dir, { 'a.yaml': a, 'b.yaml': b });
    const r = validateJson(dir, ['a.yaml', 'b.yaml']);
    expect(r.shared).toEqual([[], []]);
    expect(r.status).toBe(0);
  });

  it('cannot see it in a single-file run, nor when one file is given twice', () => {
    const dir = tempDir();
    write(dir, { 'a.yaml': P5 + BACKEND, 'b.yaml': P5 + BACKEND });
    expect(validateJson(dir, ['b.yaml'])).toEqual({ status: 0, shared: [[]] });
    expect(validateJson(dir, ['a.yaml', './a.yaml'])).toEqual({ status: 0, shared: [[], []] });
  });
});
