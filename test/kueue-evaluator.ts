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
 * DRA claims (the "ResourceClaimTemplate path", site/content/en/docs/concepts/dynamic_resource_allocation.md;
 * pkg/dra/claims.go GetResourceRequestsForResourceClaimTemplates and countDevicesPerClass) are added to the
 * pod's requests before step 3: each ResourceClaimTemplate the pod references is read from the pod's
 * namespace, and each of its `exactly` requests charges `count` (allocationMode ExactCount, the API default,
 * count default 1) of the logical resource that the manager configuration's `resources.deviceClassMappings`
 * (read from the generated ConfigMap kueue-manager-config) maps its deviceClassName to. A missing template,
 * allocationMode All or an unmapped DeviceClass makes the workload inadmissible, as there.
 * After admission Kueue adds the flavor's nodeLabels and tolerations to the pods; kube-scheduler then needs
 * nodes carrying those labels whose taints the pods tolerate, which is checked against the nodes given: the
 * labels and taints the model gives each pool (poolNodes, pipeline/model/labels.ts), or the nodes as they
 * register from the synthesized files (test/node-scheduling.test.ts).
 */
import { parse } from 'yaml';
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
  /** Names of the ResourceClaimTemplates each pod references (spec.resourceClaims[].resourceClaimTemplateName). */
  claims?: string[];
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
type ClaimTemplate = Spec<{
  spec: {
    devices: {
      requests: {
        name: string;
        exactly?: { deviceClassName: string; allocationMode?: string; count?: number };
        firstAvailable?: unknown[];
      }[];
    };
  };
}>;

/** The manager configuration's deviceClassMappings: DeviceClass → logical resource. */
export function deviceClassMappings(objects: readonly KubeObject[]): Map<string, string> {
  const cm = objects.find(
    (o) => o.kind === 'ConfigMap' && o.metadata.name === 'kueue-manager-config',
  ) as unknown as { data: Record<string, string> } | undefined;
  const config = cm
    ? (parse(cm.data['controller_manager_config.yaml']!) as {
        resources?: { deviceClassMappings?: { name: string; deviceClassNames: string[] }[] };
      })
    : undefined;
  const out = new Map<string, string>();
  for (const m of config?.resources?.deviceClassMappings ?? [])
    for (const dc of m.deviceClassNames) out.set(dc, m.name);
  return out;
}

/** What Kueue charges one pod for its claims, or the reason it refuses the workload. */
export function claimRequests(
  objects: readonly KubeObject[],
  namespace: string,
  claims: readonly string[],
): Record<string, number> | string {
  const mappings = deviceClassMappings(objects);
  const out: Record<string, number> = {};
  for (const name of claims) {
    const rct = objects.find(
      (o) =>
        o.kind === 'ResourceClaimTemplate' && o.metadata.name === name && o.metadata.namespace === namespace,
    ) as unknown as ClaimTemplate | undefined;
    if (!rct) return `failed to get claim spec for ResourceClaimTemplate ${name}`;
    for (const req of rct.spec.spec.devices.requests) {
      if (req.firstAvailable) return 'FirstAvailable device selection is not supported';
      if (!req.exactly) return 'Exactly must be set if FirstAvailable is nil';
      const mode = req.exactly.allocationMode ?? 'ExactCount';
      if (mode === 'All') return `ResourceClaimTemplate ${name}: AllocationMode 'All' is not supported`;
      if (mode !== 'ExactCount') return `unsupported allocation mode: ${mode}`;
      const logical = mappings.get(req.exactly.deviceClassName);
      if (!logical) return `DeviceClass ${req.exactly.deviceClassName} is not mapped in DRA configuration`;
      out[logical] = (out[logical] ?? 0) + (req.exactly.count ?? 1);
    }
  }
  return out;
}

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
  const claimed = claimRequests(objects, ps.namespace, ps.claims ?? []);
  if (typeof claimed === 'string') return { admitted: false, reason: claimed };
  const requests: Record<string, Quantity> = { ...ps.requests };
  for (const [k, v] of Object.entries(claimed)) requests[k] = quantity(requests[k] ?? 0) + v;
  for (const resource of Object.keys(requests)) {
    const rg = cq.spec.resourceGroups.find((g) => g.coveredResources.includes(resource));
    if (!rg) return { admitted: false, reason: `resource ${resource} unavailable in ClusterQueue` };
    const fits = rg.flavors.some((f) => {
      const flavor = get<Flavor>('ResourceFlavor', f.name)!;
      const tol = [...(ps.tolerations ?? []), ...(flavor.spec.tolerations ?? [])];
      if ((flavor.spec.nodeTaints ?? []).some((t) => !tol.some((x) => tolerates(x, t)))) return false;
      for (const [k, v] of Object.entries(ps.nodeSelector ?? {}))
        if (k in (flavor.spec.nodeLabels ?? {}) && flavor.spec.nodeLabels![k] !== v) return false;
      const quota = f.resources.find((r) => r.name === resource);
      if (!quota || ps.count * quantity(requests[resource]) > quantity(quota.nominalQuota)) return false;
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

/** Trainium3 pools take their Neuron devices from the Neuron DRA driver (pipeline/model/images.ts). */
export const isDraPool = (pool: ResolvedPool) => pool.acceleratorModel === 'Trainium3';
/** The ResourceClaimTemplate a workload on a DRA pool references to claim a whole node's Neuron devices. */
export const nodeClaimTemplate = (pool: ResolvedPool) => `${pool.name}-neuron-node`;

/**
 * A training pod on every Kubernetes node of the pool: half the node's CPU and memory, all accelerators and
 * EFA. On a DRA pool the accelerators come through the pool's ResourceClaimTemplate instead of a request.
 */
export function trainingPodSet(pool: ResolvedPool, namespace: string): PodSet {
  const kind = acceleratorKind(pool)!;
  const perNode = pool.accelerators / pool.kubernetesNodes;
  const requests: Record<string, Quantity> = {
    cpu: pool.vcpus ? Math.floor(pool.vcpus / pool.nodes / 2) : 32,
    memory: pool.memoryGiB ? `${Math.floor(pool.memoryGiB / pool.nodes / 2)}Gi` : '256Gi',
  };
  if (!isDraPool(pool)) requests[acceleratorResource(kind)] = perNode;
  if (pool.efa && pool.instance && efaDevicesPerNode(pool.instance) > 0)
    requests['vpc.amazonaws.com/efa'] = efaDevicesPerNode(pool.instance);
  return {
    namespace,
    queue: pool.name,
    count: pool.kubernetesNodes,
    requests,
    ...(isDraPool(pool) ? { claims: [nodeClaimTemplate(pool)] } : {}),
  };
}
