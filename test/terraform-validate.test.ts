/**
 * Every example synthesizes; the output is byte-identical across runs and equals what the cdktf app
 * (stacks/main.ts, the command `cdktf synth` runs) writes; addresses are pinned; and `terraform validate`
 * accepts every stack where the terraform binary and the hashicorp/aws provider mirror exist.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { validateFile } from '../pipeline/run';
import { BEFORE_BLOCKS, exampleFiles, ownStacks, ROOT, runCli, tempDir } from './helpers';
import { TERRAFORM, terraformEnv, terraformSkipReason } from './terraform-tool';

/**
 * A plan without a timeline is synthesized as of BEFORE_BLOCKS (its Capacity Block pools are sized for the
 * instant); a plan with one as of its default (its first phase, or now), since --at before it is refused.
 */
const fixedAt = (file: string): string | undefined =>
  validateFile(resolve(ROOT, file)).timeline ? undefined : BEFORE_BLOCKS;
const synth = (file: string) => {
  const out = join(tempDir(), 'out');
  const at = fixedAt(file);
  const r = runCli(['synth', file, ...(at ? ['--at', at] : []), '--out', out]);
  expect(r.status).toBe(0);
  return out;
};
const stacksOf = (out: string) => readdirSync(join(out, 'terraform/stacks')).sort();
const read = (out: string, stack: string) =>
  readFileSync(join(out, 'terraform/stacks', stack, 'cdk.tf.json'), 'utf8');

describe.each(exampleFiles())('%s', (file) => {
  const out = synth(file);

  test('synthesizes byte-identical output twice', () => {
    const again = synth(file);
    for (const s of stacksOf(out)) expect(read(again, s)).toBe(read(out, s));
  });

  test('gigawatt synth and the cdktf app (cdktf synth) produce the same stacks', () => {
    const cdktfOut = join(tempDir(), 'cdktf.out');
    const r = spawnSync(process.execPath, [join(ROOT, 'dist/stacks/main.js')], {
      cwd: ROOT,
      env: {
        ...process.env,
        GIGAWATT_PLAN: join(ROOT, file),
        CDKTF_OUTDIR: cdktfOut,
        ...(fixedAt(file) ? { GIGAWATT_AT: fixedAt(file) } : {}),
      },
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(readdirSync(join(cdktfOut, 'stacks')).sort()).toEqual(stacksOf(out));
    // The local state lives beside the output directory (never inside it, where the cdktf CLI deletes
    // orphaned stack folders), so the relative backend path differs between the two layouts by design:
    // compare it by where it resolves, and the rest byte for byte.
    const planName = validateFile(join(ROOT, file)).plan!.name;
    const statePath = (root: string, sub: string, s: string, text: string) => {
      const tf = JSON.parse(text);
      const p = tf.terraform.backend?.local?.path as string | undefined;
      if (p === undefined) return { text };
      expect(resolve(root, sub, s, p)).toBe(resolve(root, '..', 'gigawatt.state', planName, `${s}.tfstate`));
      delete tf.terraform.backend.local.path;
      return { text: JSON.stringify(tf) };
    };
    for (const s of stacksOf(out))
      expect(
        statePath(cdktfOut, 'stacks', s, readFileSync(join(cdktfOut, 'stacks', s, 'cdk.tf.json'), 'utf8')),
      ).toEqual(statePath(out, 'terraform/stacks', s, read(out, s)));
  });
});

test('Terraform addresses of the default example are pinned (renaming a pool replaces hardware; list order never matters)', () => {
  const out = synth('examples/frontier.yaml');
  const tf = JSON.parse(read(out, 'ohio'));
  const addresses = Object.entries(tf.resource as Record<string, Record<string, unknown>>)
    .flatMap(([type, r]) => Object.keys(r).map((n) => `${type}.${n}`))
    .filter((a) => /aws_(eks_node_group|launch_template|eks_cluster|vpc|subnet)\./.test(a))
    .sort();
  expect(addresses).toEqual([
    'aws_eks_cluster.cluster_A4C38409',
    'aws_eks_node_group.cluster_system-nodes_2109BF22',
    'aws_eks_node_group.pool-trn2-ultra_node-group-trn2-ultra-1_781C7A61',
    'aws_launch_template.cluster_system-launch-template_165ACE94',
    'aws_launch_template.pool-trn2-ultra_launch-template_85760CB9',
    'aws_subnet.fabric-ohio-efa_control-plane-0_5383601B',
    'aws_subnet.fabric-ohio-efa_control-plane-1_63F81EB1',
    'aws_subnet.fabric-ohio-efa_nodes_D803ACD5',
    'aws_subnet.fabric-ohio-efa_public_CD179933',
    'aws_subnet.fabric-ohio-efa_system-0_0C6AAD3F',
    'aws_subnet.fabric-ohio-efa_system-1_A017BD30',
    'aws_vpc.fabric-ohio-efa_vpc_83DC5C2B',
  ]);
  // The same plan with its sites, fabrics and pools listed in reverse order: the same addresses.
  const { parse, stringify } = jest.requireActual('yaml') as typeof import('yaml');
  const doc = parse(readFileSync(join(ROOT, 'examples/frontier.yaml'), 'utf8'));
  for (const key of ['sites', 'fabrics', 'pools']) doc[key].reverse();
  const reversed = join(tempDir(), 'reversed.yaml');
  writeFileSync(reversed, stringify(doc));
  expect(read(synth(reversed), 'ohio')).toBe(read(out, 'ohio'));
});

const skipReason = terraformSkipReason;
if (skipReason) console.log(`SKIPPED: terraform validate of the examples: ${skipReason}`);

(skipReason ? describe.skip : describe)('terraform validate (offline, provider mirror)', () => {
  const env = terraformEnv();
  const validateAll = (out: string) => {
    for (const s of stacksOf(out)) {
      const dir = join(out, 'terraform/stacks', s);
      mkdirSync(join(dir, '.terraform'), { recursive: true });
      const init = spawnSync(TERRAFORM!, ['init', '-backend=false', '-input=false', '-no-color'], {
        cwd: dir,
        env,
        encoding: 'utf8',
      });
      expect({ stack: s, init: init.status, err: init.status ? init.stderr : '' }).toEqual({
        stack: s,
        init: 0,
        err: '',
      });
      const v = spawnSync(TERRAFORM!, ['validate', '-json', '-no-color'], {
        cwd: dir,
        env,
        encoding: 'utf8',
      });
      const result = JSON.parse(v.stdout);
      expect({
        stack: s,
        valid: result.valid,
        diagnostics: result.diagnostics.filter((d: { severity: string }) => d.severity === 'error'),
      }).toEqual({ stack: s, valid: true, diagnostics: [] });
    }
  };
  test.each(exampleFiles())(
    '%s: every stack passes terraform validate',
    (file) => validateAll(synth(file)),
    180000,
  );
  test('pool stacks split off a site stack (cross-stack references) pass terraform validate', () => {
    const dir = tempDir();
    const out = join(dir, 'split');
    const planFile = join(dir, 'fleet-10k-split.yaml');
    writeFileSync(planFile, ownStacks(readFileSync(join(ROOT, 'examples', 'fleet-10k.yaml'), 'utf8')));
    expect(runCli(['synth', planFile, '--at', BEFORE_BLOCKS, '--out', out]).status).toBe(0);
    expect(stacksOf(out)).toContain('ohio-h200');
    validateAll(out);
  }, 180000);
  test('a Capacity Block pool synthesized during and after its block passes terraform validate', () => {
    const file = 'examples/trn2-ultraserver-capacity-block.yaml';
    for (const at of ['2027-01-10', '2027-01-18T10:30:00Z']) {
      const out = join(tempDir(), 'out');
      expect(runCli(['synth', file, '--at', at, '--out', out]).status).toBe(0);
      validateAll(out);
    }
  }, 180000);
});
