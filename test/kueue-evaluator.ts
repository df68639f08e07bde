/**
 * Kueue's admission decision for a pod set, evaluated against the generated LocalQueues, ClusterQueues and
 * ResourceFlavors and the pools' node labels and taints, following Kueue's own steps (kubernetes-sigs/kueue
 * v0.19.2; the same tag as test/fixtures/vendor/kueue):
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
 * nodes carrying those labels whose taints the pods tolerate, which is checked against the nodes given: the
 * labels and taints the model gives each pool (poolNodes, pipeline/model/labels.ts), or the nodes as they
 * register from the synthesized files (test/node-scheduling.test.ts).
 */
import type { KubeObject } from '../pipeline/kubernetes';
import type { ResolvedPool } from '../pipeline/model';
import { efaDevicesPerNode } from '../pipeline/model/efa';
import {
  acceleratorKind,
  acceleratorResource,
  poolNodeLabels,
  poolNodeTaints,
} from '../pipeline/model/labels';

/** A node as kube-scheduler sees it: its labels and taints. */
export interface NodeView {
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
}
/** One node per pool, with the labels and taints the model gives the pool's nodes. */
export const poolNodes = (pools: readonly ResolvedPool[]): NodeView[] =>
  pools.map((p) => ({ labels: poolNodeLabels(p), taints: poolNodeTaints(p) }));

export type Quantity = number | string;
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
export function quantity(q: Quantity): number {
  if (typeof q === 'number') return q;
  const m = /^([0-9.]+)(m|Ki|Mi|Gi|Ti|Pi)?$/.exec(q);
  if (!m) throw new Error(`unsupported quantity ${q}`);
  return Number(m[1]) * UNITS[m[2] ?? ''];
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}
export interface Taint {
  key: string;
  value?: string;
  effect: string;
}
/** corev1 Toleration.ToleratesTaint. */
export const tolerates = (t: Toleration, taint: Taint) =>
  (!t.effect || t.effect === taint.effect) &&
  (t.key === undefined || t.key === '' ? t.operator === 'Exists' : t.key === taint.key) &&
  (t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? ''));

export interface PodSet {
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
export function selects(sel: Selector | undefined, labels: Record<string, string>): boolean {
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
export function admit(
  objects: readonly KubeObject[],
  nodes: readonly NodeView[],
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
      return nodes.some(
        (node) =>
          Object.entries(flavor.spec.nodeLabels ?? {}).every(([k, v]) => node.labels[k] === v) &&
          node.taints.every((t) => tol.some((x) => tolerates(x, t))),
      );
    });
    if (!fits) return { admitted: false, reason: `no flavor fits ${resource}` };
  }
  return { admitted: true, reason: '' };
}

/** A training pod on every Kubernetes node of the pool: half the node's CPU and memory, all accelerators and EFA. */
export function trainingPodSet(pool: ResolvedPool, namespace: string): PodSet {
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
