/**
 * Properties of synthesis (fast-check, fixed seed): random valid AWS plans synthesize; output is
 * byte-identical across runs and independent of key order; growing a pool never removes or replaces an
 * existing Terraform resource address.
 */
import fc from 'fast-check';
import { synthesizeTerraform } from '../constructs/synth';
import { synthesizeKubernetes } from '../pipeline/kubernetes/synth';
import { validateText } from '../pipeline/run';
import { failing } from '../pipeline/rules/engine';

const SEED = 4242;
const NOW = new Date('2026-11-22T00:00:00Z');
const TYPES = ['p5.48xlarge', 'p5en.48xlarge', 'p6-b200.48xlarge', 'trn1.32xlarge', 'p4d.24xlarge'];

const planArb = fc.record({
  pools: fc.uniqueArray(
    fc.record({
      name: fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/),
      type: fc.constantFrom(...TYPES),
      n: fc.integer({ min: 1, max: 900 }),
    }),
    { minLength: 1, maxLength: 4, selector: (p) => p.name },
  ),
});

const yamlOf = (p: { pools: { name: string; type: string; n: number }[] }) => ({
  apiVersion: 'gigawatt/v1alpha1',
  kind: 'ClusterPlan',
  metadata: { name: 'prop' },
  sites: [{ name: 'ohio', provider: 'aws', region: 'us-east-2', quotas: { P: 10000000, Trn: 10000000 } }],
  fabrics: p.pools.map((x, i) => ({
    name: `f-${x.name}`,
    site: 'ohio',
    vpcCidr: `10.${i}.0.0/16`,
    availabilityZone: 'us-east-2a',
    maxPodsPerNode: 8,
  })),
  pools: p.pools.map((x) => ({
    name: x.name,
    site: 'ohio',
    fabric: `f-${x.name}`,
    instanceType: x.type,
    instances: x.n,
  })),
});

const synth = (plan: object) => {
  const r = validateText(JSON.stringify(plan), 'p.json', { now: NOW });
  expect(failing(r.diagnostics).map((d) => d.message)).toEqual([]);
  return new Map([...synthesizeTerraform(r.plan!), ...synthesizeKubernetes(r.plan!)]);
};
const addresses = (files: Map<string, string>) =>
  Object.entries(
    JSON.parse(files.get('terraform/stacks/ohio/cdk.tf.json')!).resource as Record<
      string,
      Record<string, unknown>
    >,
  ).flatMap(([t, r]) => Object.keys(r).map((n) => `${t}.${n}`));

test('random valid plans synthesize byte-identically, whatever the key order', () => {
  fc.assert(
    fc.property(planArb, (p) => {
      const plan = yamlOf(p);
      const a = synth(plan);
      const reverseKeys = (v: unknown): unknown =>
        Array.isArray(v)
          ? v.map(reverseKeys)
          : v && typeof v === 'object'
            ? Object.fromEntries(
                Object.entries(v)
                  .reverse()
                  .map(([k, x]) => [k, reverseKeys(x)]),
              )
            : v;
      const b = synth(reverseKeys(plan) as object);
      expect([...b.entries()]).toEqual([...a.entries()]);
    }),
    { seed: SEED, numRuns: 12 },
  );
});

test('growing a pool never removes or replaces an existing Terraform address', () => {
  fc.assert(
    fc.property(planArb, fc.nat(), fc.integer({ min: 1, max: 1500 }), (p, which, extra) => {
      const before = addresses(synth(yamlOf(p)));
      const grown = {
        pools: p.pools.map((x, i) => (i === which % p.pools.length ? { ...x, n: x.n + extra } : x)),
      };
      const after = new Set(addresses(synth(yamlOf(grown))));
      expect(before.filter((a) => !after.has(a))).toEqual([]);
    }),
    { seed: SEED, numRuns: 12 },
  );
});
