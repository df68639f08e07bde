/**
 * Would Kueue admit a real training pod? For every example cluster, a representative pod set (cpu, memory,
 * accelerators and EFA, on every node of the pool) is evaluated against the generated LocalQueues,
 * ClusterQueues and ResourceFlavors and the pool's node labels and taints, following Kueue's own steps
 * (kubernetes-sigs/kueue v0.19.2; the same tag as test/fixtures/vendor/kueue):
 *
 * 1. The workload names a LocalQueue in its own namespace (label kueue.x-k8s.io/queue-name), which names
 *    the ClusterQueue.
 * 2. pkg/workload/resources.go ValidateAdmissibility (l. 244): the Namespace's labels must match the
 *    ClusterQueue's namespaceSelector, else "workload namespace doesn't match ClusterQueue selector";
 *    a missing selector matches nothing (apis/kueue/v1beta2/clusterqueue_types.go l. 112).
 * 3. pkg/scheduler/flavorassigner/flavorassigner.go findFlavorForPodSets (l. 1069-1071): every requested
 *    resource must be in some resource group's coveredResources, else "resource X unavailable in
 *    ClusterQueue".
 * 4. checkFlavorForPodSets (l. 1238-1252): the flavor's nodeTaints must be tolerated by the pod's
 *    tolerations plus the flavor's, and the pod's node selector must match the flavor's nodeLabels.
 * 5. fitsResourceQuota: the pod set's total request for each resource must fit the flavor's nominalQuota
 *    (no borrowing is needed here: the pod set uses exactly the pool).
 * After admission Kueue adds the flavor's nodeLabels and tolerations to the pods; kube-scheduler then needs
 * nodes carrying those labels whose taints the pods tolerate, which is checked against the labels and
 * taints the node groups get (pipeline/model/labels.ts).
 */
import { join } from 'node:path';
import { allManifests, poolNamespaces, type KubeObject } from '../pipeline/kubernetes';
import type { ResolvedPlan, ResolvedPool } from '../pipeline/model';
import { efaDevicesPerNode } from '../pipeline/model/efa';
import {
  acceleratorKind,
  acceleratorResource,
  poolNodeLabels,
  poolNodeTaints,
} from '../pipeline/model/labels';
import { validateFile } from '../pipeline/run';
import { exampleFiles, ROOT } from './helpers';

type Quantity = number | string;
const UNITS: Record<string, number> = {
  '': 1,
  m: 1e-3,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
};
/** A Kubernetes quantity in base units (cores, bytes, devices). */
function quantity(q: Quantity): number {
  if (typeof q === 'number') return q;
  const m = /^([0-9.]+)(m|Ki|Mi|Gi|Ti|Pi)?$/.exec(q);
  if (!m) throw new Error(`unsupported quantity ${q}`);
  return Number(m[1]) * UNITS[m[2] ?? ''];
}

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}
interface Taint {
  key: string;
  value?: string;
  effect: string;
}
/** corev1 Toleration.ToleratesTaint. */
const tolerates = (t: Toleration, taint: Taint) =>
  (!t.effect || t.effect === taint.effect) &&
  (t.key === undefined || t.key === '' ? t.operator === 'Exists' : t.key === taint.key) &&
  (t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? ''));

interface PodSet {
  namespace: string;
  queue: string;
  count: number;
  requests: Record<string, Quantity>;
  tolerations?: Toleration[];
  nodeSelector?: Record<string, string>;
}
type Selector = {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
};
/** metav1.LabelSelector semantics: nil → nothing (Kueue's default), {} → everything. */
function selects(sel: Selector | undefined, labels: Record<string, string>): boolean {
  if (!sel) return false;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = e.key in labels;
    if (e.operator === 'In' && !(has && e.values!.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && e.values!.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

interface Spec<T> {
  spec: T;
}
type ClusterQueue = Spec<{
  namespaceSelector?: Selector;
  resourceGroups: {
    coveredResources: string[];
    flavors: { name: string; resources: { name: string; nominalQuota: Quantity }[] }[];
  }[];
}>;
type Flavor = Spec<{ nodeLabels?: Record<string, string>; nodeTaints?: Taint[]; tolerations?: Toleration[] }>;

/** Kueue's admission decision for a pod set, plus where kube-scheduler can then place the pods. */
function admit(
  objects: readonly KubeObject[],
  pools: readonly ResolvedPool[],
  ps: PodSet,
): { admitted: boolean; reason: string } {
  const get = <T>(kind: string, name: string, namespace?: string) =>
    objects.find(
      (o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace,
    ) as unknown as T | undefined;
  const lq = get<Spec<{ clusterQueue: string }>>('LocalQueue', ps.queue, ps.namespace);
  if (!lq) return { admitted: false, reason: `LocalQueue ${ps.namespace}/${ps.queue} doesn't exist` };
  const cq = get<ClusterQueue>('ClusterQueue', lq.spec.clusterQueue);
  if (!cq) return { admitted: false, reason: `ClusterQueue ${lq.spec.clusterQueue} doesn't exist` };
  // Every Namespace carries kubernetes.io/metadata.name (set by the API server).
  if (!selects(cq.spec.namespaceSelector, { 'kubernetes.io/metadata.name': ps.namespace }))
    return { admitted: false, reason: "workload namespace doesn't match ClusterQueue selector" };
  for (const resource of Object.keys(ps.requests)) {
    const rg = cq.spec.resourceGroups.find((g) => g.coveredResources.includes(resource));
    if (!rg) return { admitted: false, reason: `resource ${resource} unavailable in ClusterQueue` };
    const fits = rg.flavors.some((f) => {
      const flavor = get<Flavor>('ResourceFlavor', f.name)!;
      const tol = [...(ps.tolerations ?? []), ...(flavor.spec.tolerations ?? [])];
      if ((flavor.spec.nodeTaints ?? []).some((t) => !tol.some((x) => tolerates(x, t)))) return false;
      for (const [k, v] of Object.entries(ps.nodeSelector ?? {}))
        if (k in (flavor.spec.nodeLabels ?? {}) && flavor.spec.nodeLabels![k] !== v) return false;
      const quota = f.resources.find((r) => r.name === resource);
      if (!quota || ps.count * quantity(ps.requests[resource]) > quantity(quota.nominalQuota)) return false;
      // Admitted with this flavor: kube-scheduler needs nodes with its labels whose taints the pods tolerate.
      return pools.some((pool) => {
        const labels = poolNodeLabels(pool);
        return (
          Object.entries(flavor.spec.nodeLabels ?? {}).every(([k, v]) => labels[k] === v) &&
          poolNodeTaints(pool).every((t) => tol.some((x) => tolerates(x, t)))
        );
      });
    });
    if (!fits) return { admitted: false, reason: `no flavor fits ${resource}` };
  }
  return { admitted: true, reason: '' };
}

/** A training pod on every Kubernetes node of the pool: half the node's CPU and memory, all accelerators and EFA. */
function trainingPodSet(pool: ResolvedPool, namespace: string): PodSet {
  const kind = acceleratorKind(pool)!;
  const perNode = pool.accelerators / pool.kubernetesNodes;
  const requests: Record<string, Quantity> = {
    cpu: pool.vcpus ? Math.floor(pool.vcpus / pool.nodes / 2) : 32,
    memory: pool.memoryGiB ? `${Math.floor(pool.memoryGiB / pool.nodes / 2)}Gi` : '256Gi',
    [acceleratorResource(kind)]: perNode,
  };
  if (pool.efa && pool.instance && efaDevicesPerNode(pool.instance) > 0)
    requests['vpc.amazonaws.com/efa'] = efaDevicesPerNode(pool.instance);
  return { namespace, queue: pool.name, count: pool.kubernetesNodes, requests };
}

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
          ...admit(objects, pools, ps),
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
      expect(admit([...objects, intruderQueue], pools, trainingPodSet(pool, 'intruder'))).toEqual({
        admitted: false,
        reason: "workload namespace doesn't match ClusterQueue selector",
      });
    }
  });

  test('asking for more accelerators than the pool has, or a resource nobody covers, is not admitted', () => {
    for (const { objects, pools, pool } of cases) {
      const ns = poolNamespaces(plan, pool)[0];
      const ps = trainingPodSet(pool, ns);
      expect(admit(objects, pools, { ...ps, count: ps.count + 1 }).admitted).toBe(false);
      expect(admit(objects, pools, { ...ps, requests: { ...ps.requests, 'example.com/fpga': 1 } })).toEqual({
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
    expect(admit(objects, plan.pools, trainingPodSet(trn, 'evals'))).toEqual({
      admitted: false,
      reason: "LocalQueue evals/trn2-ultra doesn't exist",
    });
  });
  test('a flavor without tolerations would not reach the tainted nodes', () => {
    const stripped = objects.map((o) =>
      o.kind === 'ResourceFlavor' ? { ...o, spec: { ...(o.spec as object), tolerations: [] } } : o,
    );
    expect(admit(stripped, plan.pools, trainingPodSet(h200, 'evals')).admitted).toBe(false);
  });
  test('quantities and selectors', () => {
    expect(quantity('2Gi')).toBe(2 ** 31);
    expect(quantity(8)).toBe(8);
    expect(selects(undefined, { a: 'b' })).toBe(false);
    expect(selects({}, { a: 'b' })).toBe(true);
  });
});
