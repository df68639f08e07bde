/** The benchmark's generated many-pool plans: deterministic, the advertised size, and valid plans. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MANY_POOL_PLANS, manyPoolPlan } from '../bench/many-pools';
import { check, runCli, tempDir } from './helpers';
import { planSchema } from './schema-imports';

const LIMIT = planSchema.properties.pools.maxItems;

describe('many-pool benchmark plans', () => {
  test('the same options give the same bytes', () => {
    expect(manyPoolPlan(MANY_POOL_PLANS['1m-5000p'])).toBe(manyPoolPlan(MANY_POOL_PLANS['1m-5000p']));
  });

  test.each(Object.entries(MANY_POOL_PLANS))(
    '%s has the pools, sites and accelerators it names and no errors',
    (_label, o) => {
      const r = check(manyPoolPlan(o));
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(r.plan!.pools).toHaveLength(o.pools);
      expect(r.plan!.sites).toHaveLength(o.sites);
      expect(r.plan!.pools.reduce((n, p) => n + p.accelerators, 0)).toBe(o.accelerators);
    },
  );

  test('the CLI validates the 500-pool plan with exit 0', () => {
    const file = join(tempDir(), 'plan.yaml');
    writeFileSync(file, manyPoolPlan(MANY_POOL_PLANS['1m-500p']));
    const r = runCli(['validate', file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/0 errors/);
  });
});

describe('pool limit', () => {
  test('a plan over the pool limit fails right after parsing, at the pools line, with exit 2', () => {
    const file = join(tempDir(), 'plan.yaml');
    writeFileSync(file, manyPoolPlan({ pools: LIMIT + 1, sites: 10, accelerators: (LIMIT + 1) * 8 }));
    const r = runCli(['validate', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(`plan\\.yaml:\\d+:\\d+: the plan has ${LIMIT + 1} pools; at most ${LIMIT} are allowed`),
    );
  });
});
