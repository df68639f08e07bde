/** Day-2 changes: scaling a pool by one changes only node-group sizes, never a launch template or subnet. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeTerraform } from '../constructs/synth';
import { check, errorIds, ROOT } from './helpers';

type TfJson = { resource: Record<string, Record<string, Record<string, unknown>>> };

const p5 = readFileSync(join(ROOT, 'examples', 'p5-efa.yaml'), 'utf8');
const withInstances = (n: number, extra = '') =>
  p5
    .replace('quotas: { P: 6144 }', 'quotas: { P: 100000 }')
    .replace('    instances: 32\n', `    instances: ${n}\n${extra}`);

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

describe('scaling a pool by one (p5-efa 32 → 33)', () => {
  const a = synthStack(withInstances(32));
  const b = synthStack(withInstances(33));

  test('the launch template is identical, and its description names no count', () => {
    const lt = (tf: TfJson) => tf.resource.aws_launch_template;
    expect(Object.keys(lt(a))).toHaveLength(1);
    expect(lt(b)).toEqual(lt(a));
    const [template] = Object.values(lt(a));
    expect(template.description).toBe('gigawatt pool h100: p5.48xlarge');
  });

  test('only the node group scaling_config changes', () => {
    const changes = changedPaths(a.resource, b.resource);
    const [group] = Object.keys(a.resource.aws_eks_node_group);
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
