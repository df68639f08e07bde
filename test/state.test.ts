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
import { ownStacks, ROOT, runCli, tempDir } from './helpers';

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
      ['synth', 'examples/trn2-ultraserver-capacity-block.yaml', '--out', out],
      ['synth', 'examples/trn2-ultraserver-capacity-block.yaml', '--out', join(dir, 'other.out')],
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
