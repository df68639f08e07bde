/**
 * Properties of synthesis (fast-check, fixed seed): random valid AWS plans synthesize; output is
 * byte-identical across runs and independent of key order; growing a pool never removes or replaces an
 * existing Terraform resource address; gigawatt's way of running cdktf (constructs/synth.ts: plain resolution,
 * no preparing run, apps of POOLS_PER_APP pools) writes what cdktf's own way writes, on plans of several
 * sites whose pools share the site's stack or have their own.
 */
import fc from 'fast-check';
import { POOLS_PER_APP, synthesizeTerraform } from '../constructs/synth';
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

const sitesArb = fc.uniqueArray(
  fc.record({
    name: fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/),
    pools: fc.uniqueArray(
      fc.record({
        name: fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/),
        type: fc.constantFrom(...TYPES),
        n: fc.integer({ min: 1, max: 300 }),
        own: fc.boolean(),
      }),
      { minLength: 1, maxLength: 3, selector: (p) => p.name },
    ),
  }),
  { minLength: 1, maxLength: 3, selector: (s) => s.name },
);

test("random plans of several sites synthesize as cdktf's own prepareStack and resolve write them", () => {
  const at = Date.parse('2026-11-22T00:00:00Z');
  fc.assert(
    fc.property(sitesArb, (sites) => {
      const regions = ['us-east-2', 'us-west-2', 'us-east-1'];
      const plan = {
        apiVersion: 'gigawatt/v1alpha1',
        kind: 'ClusterPlan',
        metadata: { name: 'prop' },
        sites: sites.map((s, i) => ({
          name: s.name,
          provider: 'aws',
          region: regions[i],
          quotas: { P: 10000000, Trn: 10000000 },
        })),
        fabrics: sites.flatMap((s, i) =>
          s.pools.map((x, j) => ({
            name: `f-${s.name}-${x.name}`,
            site: s.name,
            vpcCidr: `10.${i * 10 + j}.0.0/16`,
            availabilityZone: `${regions[i]}a`,
            maxPodsPerNode: 8,
          })),
        ),
        pools: sites.flatMap((s) =>
          s.pools.map((x) => ({
            name: `${s.name}-${x.name}`,
            site: s.name,
            fabric: `f-${s.name}-${x.name}`,
            instanceType: x.type,
            instances: x.n,
            ...(x.own ? { stack: 'own' } : {}),
          })),
        ),
      };
      const r = validateText(JSON.stringify(plan), 'p.json', { now: NOW });
      expect(failing(r.diagnostics).map((d) => d.message)).toEqual([]);
      const ours = synthesizeTerraform(r.plan!, { skipValidation: true, at });
      // One app per site, and (POOLS_PER_APP is far above these plans) one app for all sites.
      for (const poolsPerApp of [1, POOLS_PER_APP]) {
        const theirs = synthesizeTerraform(r.plan!, {
          skipValidation: true,
          at,
          fullPrepare: true,
          cdktfResolve: true,
          poolsPerApp,
        });
        expect([...ours.keys()]).toEqual([...theirs.keys()]);
        for (const [path, content] of ours)
          expect({ path, content }).toEqual({ path, content: theirs.get(path) });
      }
    }),
    { seed: SEED, numRuns: 16 },
  );
});
