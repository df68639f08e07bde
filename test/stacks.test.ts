/**
 * Stack assignment is stable (issue 13): a pool leaves its site's stack only by `stack: own` in the plan,
 * never because another pool grew or was added; GW-PLAN-STACK-SIZE says when a site stack gets large.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { synthesizeTerraform } from '../constructs/synth';
import { siteStackResources, STACK_RESOURCE_WARNING } from '../pipeline/model/stacks';
import { allIds, check, exampleFiles, ROOT } from './helpers';

const NOW = new Date('2026-11-22T00:00:00Z');
type Plan = { pools: Record<string, unknown>[] };
const example = (file: string): Plan => parse(readFileSync(join(ROOT, file), 'utf8')) as Plan;
const synth = (plan: Plan) =>
  synthesizeTerraform(check(stringify(plan), NOW).plan!, { skipValidation: true });
/** Resource addresses of each stack: `<stack> <type>.<name>`. */
function addresses(files: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [path, text] of files) {
    const m = /^terraform\/stacks\/([^/]+)\/cdk\.tf\.json$/.exec(path);
    if (!m) continue;
    const json = JSON.parse(text) as { resource?: Record<string, Record<string, unknown>> };
    for (const [type, byName] of Object.entries(json.resource ?? {}))
      for (const name of Object.keys(byName)) out.push(`${m[1]} ${type}.${name}`);
  }
  return out.sort();
}
const stacksOf = (files: Map<string, string>) =>
  [...files.keys()].filter((f) => f.endsWith('cdk.tf.json')).map((f) => f.split('/')[2]);

describe('stack assignment', () => {
  it('gives a pool with stack: own a stack of its own, wired by cross-stack references', () => {
    const plan = example('examples/fleet-10k.yaml');
    for (const p of plan.pools) if (p.name === 'h200' || p.name === 'b200') p.stack = 'own';
    const files = synth(plan);
    expect(stacksOf(files).sort()).toEqual(['odessa', 'ohio', 'ohio-h200', 'virginia', 'virginia-b200']);
    const manifest = JSON.parse(files.get('terraform/manifest.json')!);
    expect(manifest.stacks['ohio-h200'].dependencies).toEqual(['ohio']);
    const pool = JSON.parse(files.get('terraform/stacks/ohio-h200/cdk.tf.json')!);
    expect(Object.keys(pool.data.terraform_remote_state)).toHaveLength(1);
    expect(Object.keys(pool.resource.aws_eks_node_group)).toHaveLength(1);
    // trn2-ultra stays in the site stack.
    const site = JSON.parse(files.get('terraform/stacks/ohio/cdk.tf.json')!);
    expect(Object.keys(site.resource.aws_eks_node_group)).toEqual([
      'cluster_system-nodes_2109BF22',
      expect.stringMatching(/trn2-ultra/),
    ]);
  });

  it('moves no existing resource when a pool is added or grows within maxInstances', () => {
    for (const own of [false, true]) {
      const before = example('examples/fleet-10k.yaml');
      if (own) for (const p of before.pools) if (p.site !== 'odessa') p.stack = 'own';
      const after = structuredClone(before);
      after.pools.push({
        name: 'h200-extra',
        site: 'ohio',
        fabric: 'ohio-efa',
        instanceType: 'p5en.48xlarge',
        instances: 900,
        ...(own ? { stack: 'own' } : {}),
      });
      const grown = structuredClone(before);
      const h200 = grown.pools.find((p) => p.name === 'h200')!;
      h200.maxInstances = 200;
      const base = addresses(
        synth({
          ...before,
          pools: before.pools.map((p) => (p.name === 'h200' ? { ...p, maxInstances: 200 } : p)),
        }),
      );
      expect(addresses(synth(grown))).toEqual(base);
      h200.instances = 200;
      expect(addresses(synth(grown))).toEqual(base);
      const added = addresses(synth(after));
      const previous = addresses(synth(before));
      expect(previous.filter((a) => !added.includes(a))).toEqual([]);
      expect(added.filter((a) => !previous.includes(a)).every((a) => /h200[-_]extra/.test(a))).toBe(true);
    }
  });
});

describe('GW-PLAN-STACK-SIZE', () => {
  /** One AWS site and fabric with `pools` pools of 10 instances, the last with `lastInstances`. */
  const plan = (pools: number, lastInstances = 10) => ({
    apiVersion: 'gigawatt/v1alpha1',
    kind: 'ClusterPlan',
    metadata: { name: 'stack-size' },
    sites: [{ name: 'east', provider: 'aws', region: 'us-east-1' }],
    fabrics: [
      {
        name: 'east-efa',
        site: 'east',
        vpcCidr: '10.0.0.0/16',
        availabilityZone: 'us-east-1a',
        egress: 'none',
      },
    ],
    pools: Array.from({ length: pools }, (_, i) => ({
      name: `p${i}`,
      site: 'east',
      fabric: 'east-efa',
      instanceType: 'p5.48xlarge',
      instances: i === pools - 1 ? lastInstances : 10,
    })),
  });
  // One fabric without NAT (26) + the cluster (22) + 226 pools of one launch template and one node group = 500.
  it('passes at exactly the limit and warns one resource over it', () => {
    // 451 instances need a second node group: 225 pools, the last of 451, are 500 resources.
    const at = check(stringify(plan(225, 451)), NOW);
    expect(siteStackResources(at.plan!.sites[0])).toBe(STACK_RESOURCE_WARNING);
    expect(allIds(at)).not.toContain('GW-PLAN-STACK-SIZE');
    // 226 pools of one node group each: 501.
    const over = check(stringify(plan(226)), NOW);
    expect(siteStackResources(over.plan!.sites[0])).toBe(STACK_RESOURCE_WARNING + 1);
    const d = over.diagnostics.find((x) => x.rule === 'GW-PLAN-STACK-SIZE')!;
    expect(d.severity).toBe('warning');
    expect(d.message).toContain('~501 resources, more than 500');
    expect(d.hint).toMatch(
      /^Give the largest pools a stack of their own with stack: own \(p0: 2, p1: 2, p10: 2\)/,
    );
  });

  it('counts no more than a small margin over what synthesis emits', () => {
    for (const file of exampleFiles()) {
      const r = check(readFileSync(join(ROOT, file), 'utf8'), NOW);
      if (!r.plan) continue;
      const files = synthesizeTerraform(r.plan, { skipValidation: true });
      for (const site of r.plan.sites.filter((s) => s.provider === 'aws')) {
        const actual = addresses(files).filter((a) => a.startsWith(`${site.name} `)).length;
        const estimate = siteStackResources(site, r.plan.kubernetes.admins.length);
        expect({ file, site: site.name, ok: actual <= estimate && estimate <= actual * 1.5 }).toEqual({
          file,
          site: site.name,
          ok: true,
        });
      }
    }
  });
});
