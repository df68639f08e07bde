/** Day-2 changes: scaling a pool by one changes only node-group sizes, never a launch template or subnet. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeTerraform } from '../constructs/synth';
import { check, errorIds, ROOT, runCli, tempDir } from './helpers';

type TfJson = { resource: Record<string, Record<string, Record<string, unknown>>> };

const p5 = readFileSync(join(ROOT, 'examples', 'p5-efa.yaml'), 'utf8');
const withInstances = (n: number, extra = '') =>
  p5
    .replace('quotas: { P: 6144 }', 'quotas: { P: 100000 }')
    .replace(/ {4}instances: 32\n {4}maxInstances: 64[^\n]*\n/, `    instances: ${n}\n${extra}`);

export function synthStack(yaml: string, site = 'virginia'): TfJson {
  const r = check(yaml);
  expect(errorIds(r)).toEqual([]);
  return JSON.parse(synthesizeTerraform(r.plan!).get(`terraform/stacks/${site}/cdk.tf.json`)!) as TfJson;
}

/** Paths (a.b[0].c) whose values differ between two JSON values. */
export function changedPaths(a: unknown, b: unknown, path = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) =>
      changedPaths(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k,
      ),
    );
  }
  return [path];
}

/** The resources a pool's construct owns (ids pool-<name>_…), without the cluster's system nodes. */
const ofPools = <T>(resources: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(resources).filter(([id]) => id.startsWith('pool-')));

describe('scaling a pool by one (p5-efa 32 → 33)', () => {
  const a = synthStack(withInstances(32, '    maxInstances: 64\n'));
  const b = synthStack(withInstances(33, '    maxInstances: 64\n'));

  test('the launch template is identical, and its description names no count', () => {
    const lt = (tf: TfJson) => ofPools(tf.resource.aws_launch_template);
    expect(Object.keys(lt(a))).toHaveLength(1);
    expect(lt(b)).toEqual(lt(a));
    const [template] = Object.values(lt(a));
    expect(template.description).toBe('gigawatt pool h100: p5.48xlarge');
  });

  test('only the node group scaling_config changes', () => {
    const changes = changedPaths(a.resource, b.resource);
    const [group] = Object.keys(ofPools(a.resource.aws_eks_node_group));
    expect(changes).toEqual([
      `aws_eks_node_group.${group}.scaling_config.desired_size`,
      `aws_eks_node_group.${group}.scaling_config.max_size`,
      `aws_eks_node_group.${group}.scaling_config.min_size`,
    ]);
    expect(b.resource.aws_eks_node_group[group].scaling_config).toEqual({
      desired_size: 33,
      max_size: 33,
      min_size: 33,
    });
  });
});

const subnetOf = (tf: TfJson) =>
  Object.values(tf.resource.aws_subnet).find((s) =>
    /nodes$/.test(String((s.tags as Record<string, string>).Name)),
  )!.cidr_block;

describe('node subnets are sized for maxInstances', () => {
  test('without maxInstances, growing 32 → 41 p5 resizes the node subnet (/20 → /19): the hazard', () => {
    expect(subnetOf(synthStack(withInstances(32)))).toBe('10.80.0.0/20');
    expect(subnetOf(synthStack(withInstances(41)))).toBe('10.80.0.0/19');
  });

  test('with maxInstances 64, every size up to 64 keeps the same subnet and changes only sizes', () => {
    const max = '    maxInstances: 64\n';
    const base = synthStack(withInstances(32, max));
    expect(subnetOf(base)).toBe('10.80.0.0/19');
    for (const n of [1, 41, 64]) {
      const head = synthStack(withInstances(n, max));
      expect(changedPaths(base.resource, head.resource).every((p) => p.includes('.scaling_config.'))).toBe(
        true,
      );
    }
  });

  test('instances above maxInstances fail GW-NET-POOL-MAX at the instances line', () => {
    const r = check(withInstances(65, '    maxInstances: 64\n'));
    const d = r.diagnostics.filter((x) => x.rule === 'GW-NET-POOL-MAX');
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ severity: 'error', path: 'pools[0].instances' });
    expect(d[0].message).toContain('65 instances, more than its maxInstances 64');
    expect(errorIds(check(withInstances(64, '    maxInstances: 64\n')))).toEqual([]);
  });

  test('the CLI reports it with file:line', () => {
    const dir = tempDir();
    const file = join(dir, 'grow.yaml');
    writeFileSync(file, withInstances(65, '    maxInstances: 64\n'));
    const r = runCli(['validate', file]);
    expect(r.status).toBe(1);
    const line = withInstances(65, '    maxInstances: 64\n').split('\n').indexOf('    instances: 65') + 1;
    expect(r.stdout).toMatch(new RegExp(`${line}:\\d+.*GW-NET-POOL-MAX`));
  });
});

describe('Capacity Block pools are sized by the block window', () => {
  const trn2 = readFileSync(join(ROOT, 'examples', 'trn2-ultraserver-capacity-block.yaml'), 'utf8');
  const tf = synthStack(trn2, 'ohio');
  const [group] = Object.values(ofPools(tf.resource.aws_eks_node_group));
  const schedules = Object.values(tf.resource.aws_autoscaling_schedule ?? {});

  test('the node group starts at 0 and Terraform ignores desired_size (the schedule owns it)', () => {
    expect(group.capacity_type).toBe('CAPACITY_BLOCK');
    expect(group.scaling_config).toEqual({ desired_size: 0, max_size: 16, min_size: 0 });
    expect(group.lifecycle).toEqual({ ignore_changes: ['scaling_config[0].desired_size'] });
  });

  test('scheduled actions scale up at the block start and to zero 60 minutes before its end', () => {
    expect(
      schedules.map((s) => [
        s.scheduled_action_name,
        s.start_time,
        s.desired_capacity,
        s.min_size,
        s.max_size,
      ]),
    ).toEqual([
      ['trn2-ultra-1-block-end', '2027-01-18T10:30:00Z', 0, 0, 16],
      ['trn2-ultra-1-block-start', '2027-01-04T11:30:00Z', 16, 0, 16],
    ]);
    for (const s of schedules)
      expect(s.autoscaling_group_name).toMatch(
        /^\$\{aws_eks_node_group\.[\w-]+\.resources\[0\]\.autoscaling_groups\[0\]\.name\}$/,
      );
  });

  test('shifting the block window changes only the schedules, in place', () => {
    const shifted = synthStack(
      trn2
        .replace(/2027-01-04T11:30:00Z/g, '2027-01-05T11:30:00Z')
        .replace(/2027-01-18T11:30:00Z/g, '2027-01-19T11:30:00Z'),
      'ohio',
    );
    const changes = changedPaths(tf.resource, shifted.resource);
    expect(changes.length).toBe(2);
    expect(changes.every((p) => /^aws_autoscaling_schedule\.[\w-]+\.start_time$/.test(p))).toBe(true);
  });

  test('on-demand pools keep static sizes and get no schedule', () => {
    const p = synthStack(withInstances(32));
    expect(p.resource.aws_autoscaling_schedule).toBeUndefined();
  });
});
