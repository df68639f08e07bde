/**
 * Property tests (fast-check, fixed seed and run count so CI is repeatable): random valid plans always
 * resolve and validate; random mutations of valid plans never crash the pipeline, only give diagnostics;
 * validation does not depend on key order.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { instanceTypeNames, systemNames } from '../pipeline/catalog';
import { validateText } from '../pipeline/run';
import { GigawattError } from '../pipeline/util/errors';

const SEED = 20261122;
const RUNS = 150;
const NOW = new Date('2026-11-22T00:00:00Z');

const label = fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/);

/** A random schema-valid plan: AWS and on-prem sites, fabrics and pools wired by name. */
const validPlan = fc
  .record({
    name: label,
    aws: fc.uniqueArray(label, { minLength: 0, maxLength: 3 }),
    onprem: fc.uniqueArray(label, { minLength: 0, maxLength: 2 }),
    pools: fc.array(
      fc.record({
        ec2: fc.constantFrom(...instanceTypeNames()),
        sys: fc.constantFrom(...systemNames()),
        count: fc.integer({ min: 1, max: 5000 }),
        pick: fc.nat(),
        cb: fc.boolean(),
      }),
      { minLength: 1, maxLength: 6 },
    ),
  })
  .filter(
    (p) =>
      p.aws.length + p.onprem.length > 0 &&
      new Set([...p.aws.map((a) => `a${a}`), ...p.onprem.map((o) => `o${o}`)]).size ===
        p.aws.length + p.onprem.length,
  )
  .map((p) => {
    const sites = [
      ...p.aws.map((a) => ({
        name: `a${a}`,
        provider: 'aws',
        region: 'us-east-2',
        quotas: { P: 100000, G: 100000, Trn: 100000, Inf: 100000 },
      })),
      ...p.onprem.map((o) => ({
        name: `o${o}`,
        provider: 'onprem',
        power: { utilityMW: 1000, redundancy: 'N', pue: 1.2 },
        halls: [{ name: 'h', racks: 100000, rackKW: 200, cooling: 'liquid', rackUnits: 48 }],
      })),
    ];
    const pools = p.pools.map((pool, i) => {
      const site = sites[pool.pick % sites.length];
      return site.provider === 'aws'
        ? {
            name: `p${i}`,
            site: site.name,
            instanceType: pool.ec2,
            instances: pool.count,
            ...(pool.cb ? { capacity: { type: 'capacity-block' } } : {}),
          }
        : { name: `p${i}`, site: site.name, system: pool.sys, nodes: pool.count, hall: 'h' };
    });
    return { apiVersion: 'gigawatt/v1alpha1', kind: 'ClusterPlan', metadata: { name: p.name }, sites, pools };
  });

/** Shuffle object keys recursively (same content, different order). */
function reorder(value: unknown, rnd: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => reorder(v, rnd));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(() => rnd() - 0.5);
    return Object.fromEntries(entries.map(([k, v]) => [k, reorder(v, rnd)]));
  }
  return value;
}

describe('properties of validation', () => {
  test('random valid plans always pass the schema, resolve, and count accelerators consistently', () => {
    fc.assert(
      fc.property(validPlan, (plan) => {
        const r = validateText(stringify(plan), 'p.yaml', { now: NOW });
        expect(r.diagnostics.filter((d) => d.rule === 'GW-SCHEMA' || d.rule === 'GW-RULE-CRASH')).toEqual([]);
        expect(r.plan).toBeDefined();
        expect(r.plan!.totals.accelerators).toBe(r.plan!.pools.reduce((s, p) => s + p.accelerators, 0));
        expect(r.plan!.totals.nodes).toBe(
          plan.pools.reduce((s, p) => s + ('instances' in p ? p.instances : p.nodes), 0),
        );
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  test('random mutations of valid plans never crash: only diagnostics or a clean input error', () => {
    const mutation = fc.record({
      path: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
      value: fc.oneof(
        fc.anything(),
        fc.constant(-1),
        fc.constant(1e308),
        fc.constant(''),
        fc.constant(null),
        fc.constant('__proto__'),
      ),
    });
    fc.assert(
      fc.property(validPlan, mutation, (plan, m) => {
        // Walk to a random node and replace it.
        let node: Record<string, unknown> = plan as unknown as Record<string, unknown>;
        for (let i = 0; i < m.path.length - 1; i++) {
          const keys = Object.keys(node);
          const next = node[keys[m.path[i] % keys.length]];
          if (!next || typeof next !== 'object') break;
          node = next as Record<string, unknown>;
        }
        const keys = Object.keys(node);
        node[keys[m.path[m.path.length - 1] % keys.length]] = m.value;
        let text: string;
        try {
          text = stringify(plan);
        } catch {
          return; // not representable as YAML
        }
        try {
          const r = validateText(text, 'p.yaml', { now: NOW });
          expect(r.diagnostics.filter((d) => d.rule === 'GW-RULE-CRASH')).toEqual([]);
          for (const d of r.diagnostics) expect(d.message.length).toBeGreaterThan(0);
        } catch (err) {
          expect(err).toBeInstanceOf(GigawattError);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  test('validation is independent of key order in the plan', () => {
    fc.assert(
      fc.property(validPlan, fc.integer(), (plan, seed) => {
        let s = seed;
        const rnd = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
        const a = validateText(JSON.stringify(plan), 'p.json', { now: NOW });
        const b = validateText(JSON.stringify(reorder(plan, rnd)), 'p.json', { now: NOW });
        const strip = (r: typeof a) =>
          r.diagnostics.map(({ line: _l, col: _c, ...rest }) => JSON.stringify(rest)).sort();
        expect(strip(b)).toEqual(strip(a));
        expect(b.plan!.totals).toEqual(a.plan!.totals);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});
