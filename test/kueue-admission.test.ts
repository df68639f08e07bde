/**
 * Would Kueue admit a real training pod? For every example cluster, a representative pod set (cpu, memory,
 * accelerators and EFA, on every node of the pool) is evaluated against the generated LocalQueues,
 * ClusterQueues and ResourceFlavors with the evaluator of test/kueue-evaluator.ts, which follows Kueue's own
 * steps (kubernetes-sigs/kueue v0.19.2, cited there).
 */
import { join } from 'node:path';
import { allManifests, poolNamespaces, type KubeObject } from '../pipeline/kubernetes';
import type { ResolvedPlan } from '../pipeline/model';
import { acceleratorKind } from '../pipeline/model/labels';
import { validateFile } from '../pipeline/run';
import { exampleFiles, ROOT } from './helpers';
import { admit, poolNodes, quantity, selects, trainingPodSet } from './kueue-evaluator';

const model = (file: string): ResolvedPlan => validateFile(join(ROOT, file)).plan!;

describe.each(exampleFiles())('Kueue admission in %s', (file) => {
  const plan = model(file);
  const clusters = allManifests(plan).map((m) => ({
    pools: plan.pools.filter((p) =>
      m.components.get('kueue.yaml')?.some((o) => o.kind === 'ClusterQueue' && o.metadata.name === p.name),
    ),
    objects: [...m.components.values()].flat(),
  }));
  const cases = clusters.flatMap((c) => c.pools.map((pool) => ({ ...c, pool })));

  test('every accelerator pool has a ClusterQueue and a team that may use it', () => {
    expect(cases.map((c) => c.pool.name).sort()).toEqual(
      plan.pools
        .filter((p) => acceleratorKind(p))
        .map((p) => p.name)
        .sort(),
    );
    for (const { pool } of cases)
      expect({ pool: pool.name, n: poolNamespaces(plan, pool).length > 0 }).toEqual({
        pool: pool.name,
        n: true,
      });
  });

  test('a training pod set (cpu, memory, accelerators, EFA) on every node is admitted for each team', () => {
    for (const { objects, pools, pool } of cases)
      for (const ns of poolNamespaces(plan, pool)) {
        const ps = trainingPodSet(pool, ns);
        expect({
          pool: pool.name,
          ns,
          requests: Object.keys(ps.requests),
          ...admit(objects, poolNodes(pools), ps),
        }).toEqual({
          pool: pool.name,
          ns,
          requests: expect.arrayContaining(['cpu', 'memory']),
          admitted: true,
          reason: '',
        });
      }
  });

  test('a namespace outside the plan is not admitted, even with its own LocalQueue', () => {
    for (const { objects, pools, pool } of cases) {
      const intruderQueue: KubeObject = {
        apiVersion: 'kueue.x-k8s.io/v1beta2',
        kind: 'LocalQueue',
        metadata: { name: pool.name, namespace: 'intruder' },
        spec: { clusterQueue: pool.name },
      };
      expect(admit([...objects, intruderQueue], poolNodes(pools), trainingPodSet(pool, 'intruder'))).toEqual({
        admitted: false,
        reason: "workload namespace doesn't match ClusterQueue selector",
      });
    }
  });

  test('asking for more accelerators than the pool has, or a resource nobody covers, is not admitted', () => {
    for (const { objects, pools, pool } of cases) {
      const ns = poolNamespaces(plan, pool)[0];
      const ps = trainingPodSet(pool, ns);
      expect(admit(objects, poolNodes(pools), { ...ps, count: ps.count + 1 }).admitted).toBe(false);
      expect(
        admit(objects, poolNodes(pools), { ...ps, requests: { ...ps.requests, 'example.com/fpga': 1 } }),
      ).toEqual({
        admitted: false,
        reason: 'resource example.com/fpga unavailable in ClusterQueue',
      });
    }
  });
});

describe('the evaluator follows Kueue', () => {
  const plan = model('examples/frontier.yaml');
  const objects = allManifests(plan).flatMap((m) => [...m.components.values()].flat());
  const h200 = plan.poolByName.get('h200')!;
  test('a team limited to other pools cannot use this one', () => {
    const trn = plan.poolByName.get('trn2-ultra')!;
    // evals may use only h200, so it has no LocalQueue for trn2-ultra.
    expect(admit(objects, poolNodes(plan.pools), trainingPodSet(trn, 'evals'))).toEqual({
      admitted: false,
      reason: "LocalQueue evals/trn2-ultra doesn't exist",
    });
  });
  test('a flavor without tolerations would not reach the tainted nodes', () => {
    const stripped = objects.map((o) =>
      o.kind === 'ResourceFlavor' ? { ...o, spec: { ...(o.spec as object), tolerations: [] } } : o,
    );
    expect(admit(stripped, poolNodes(plan.pools), trainingPodSet(h200, 'evals')).admitted).toBe(false);
  });
  test('quantities and selectors', () => {
    expect(quantity('2Gi')).toBe(2 ** 31);
    expect(quantity(8)).toBe(8);
    expect(selects(undefined, { a: 'b' })).toBe(false);
    expect(selects({}, { a: 'b' })).toBe(true);
  });
});
