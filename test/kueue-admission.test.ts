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
import { admit, claimRequests, poolNodes, quantity, selects, trainingPodSet } from './kueue-evaluator';

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

/**
 * Trainium3 (Neuron DRA driver): fleet-100k's pool trn3-gen2 (720 × trn3p.48xlarge, 4 Trainium3 chips each) in
 * cluster ohio. Kueue charges a pod's claims of DeviceClass neuron.aws.com through the generated
 * deviceClassMappings; the extended resources of the Neuron device plugin are not offered there.
 */
describe('Trainium3 queues count claims of the Neuron DRA driver', () => {
  const plan = model('examples/fleet-100k.yaml');
  const ohio = allManifests(plan).find((m) => m.cluster === 'ohio')!;
  const objects = [...ohio.components.values()].flat();
  const pool = plan.poolByName.get('trn3-gen2')!;
  const nodes = poolNodes(plan.pools);
  const ps = trainingPodSet(pool, 'pretraining');
  const withConfig = (f: (text: string) => string) =>
    objects.map((o) =>
      o.kind === 'ConfigMap' && o.metadata.name === 'kueue-manager-config'
        ? {
            ...o,
            data: {
              'controller_manager_config.yaml': f(
                (o as unknown as { data: Record<string, string> }).data['controller_manager_config.yaml']!,
              ),
            },
          }
        : o,
    );

  test('a pod set that claims one node of devices per pod, on every node, is admitted', () => {
    expect(ps.claims).toEqual(['trn3-gen2-neuron-node']);
    expect(Object.keys(ps.requests)).not.toContain('aws.amazon.com/neuron');
    expect(claimRequests(objects, 'pretraining', ps.claims!)).toEqual({ 'neuron.aws.com/device': 4 });
    expect(ps.count).toBe(720);
    expect(admit(objects, nodes, ps)).toEqual({ admitted: true, reason: '' });
    // One pod more than the pool has nodes exceeds the 2,880-device quota.
    expect(admit(objects, nodes, { ...ps, count: ps.count + 1 })).toEqual({
      admitted: false,
      reason: 'no flavor fits neuron.aws.com/device',
    });
  });

  test("a pod that asks for the device plugin's aws.amazon.com/neuron or neuroncore is refused", () => {
    for (const resource of ['aws.amazon.com/neuron', 'aws.amazon.com/neuroncore'])
      expect(
        admit(objects, nodes, { ...ps, claims: [], requests: { ...ps.requests, [resource]: 4 } }),
      ).toEqual({
        admitted: false,
        reason: `resource ${resource} unavailable in ClusterQueue`,
      });
  });

  test('without the deviceClassMappings the claim would not be admitted', () => {
    const stripped = withConfig((t) => t.replace(/\n\s*deviceClassMappings:[\s\S]*$/, '\n'));
    expect(admit(stripped, nodes, ps)).toEqual({
      admitted: false,
      reason: 'DeviceClass neuron.aws.com is not mapped in DRA configuration',
    });
  });

  test("a template in another namespace, or with allocationMode All, is not Kueue's to count", () => {
    expect(admit(objects, nodes, { ...ps, namespace: 'inference', claims: ['missing'] }).reason).toBe(
      'failed to get claim spec for ResourceClaimTemplate missing',
    );
    const all = objects.map((o) =>
      o.kind === 'ResourceClaimTemplate'
        ? JSON.parse(
            JSON.stringify(o).replace('"allocationMode":"ExactCount","count":4', '"allocationMode":"All"'),
          )
        : o,
    );
    expect(admit(all, nodes, ps)).toEqual({
      admitted: false,
      reason: "ResourceClaimTemplate trn3-gen2-neuron-node: AllocationMode 'All' is not supported",
    });
  });
});
