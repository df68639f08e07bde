/**
 * kube-scheduler's node feasibility for a pod, as far as labels and taints decide it, and the labels the
 * kubelet accepts at registration. Used by test/node-scheduling.test.ts against the nodes the synthesized
 * files describe.
 *
 * - Node selector and required node affinity: kubernetes/kubernetes
 *   pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go (Filter → GetRequiredNodeAffinity(pod).Match)
 *   and staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go: every
 *   spec.nodeSelector pair must be on the node AND, when requiredDuringSchedulingIgnoredDuringExecution is
 *   set, at least one nodeSelectorTerm must match (terms are ORed, the requirements of a term ANDed;
 *   In/NotIn/Exists/DoesNotExist/Gt/Lt).
 * - Taints: pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go Filter considers only taints
 *   with effect NoSchedule or NoExecute (PreferNoSchedule only lowers the score), and a pod passes when each
 *   of them is tolerated (k8s.io/api core/v1 toleration.go ToleratesTaint: an empty effect matches every
 *   effect; an empty key with Exists matches every key; Exists matches any value, Equal or "" the same value).
 */
import { tolerates, type NodeView, type Toleration } from './kueue-evaluator';

export interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}
export interface NodeSelectorTerm {
  matchExpressions?: Requirement[];
  matchFields?: unknown[];
}
export interface PodPlacement {
  nodeSelector?: Record<string, string>;
  affinity?: {
    nodeAffinity?: {
      requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] };
    };
  };
  tolerations?: Toleration[];
}

/** A NodeSelectorRequirement against a node's labels. */
export function requirementMatches(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = labels[r.key];
  switch (r.operator) {
    case 'In':
      return has && (r.values ?? []).includes(v!);
    case 'NotIn':
      return !has || !(r.values ?? []).includes(v!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      const [bound] = (r.values ?? []).map(Number);
      const n = Number(v);
      if (!has || !Number.isInteger(n) || !Number.isInteger(bound)) return false;
      return r.operator === 'Gt' ? n > bound! : n < bound!;
    }
    default:
      throw new Error(`unsupported node selector operator ${r.operator}`);
  }
}

/** Why kube-scheduler would not place the pod on the node, or '' when it would (labels and taints only). */
export function unschedulableReason(pod: PodPlacement, node: NodeView): string {
  for (const [k, v] of Object.entries(pod.nodeSelector ?? {}))
    if (node.labels[k] !== v) return `nodeSelector ${k}=${v} not on the node`;
  const terms = pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms) {
    if (terms.some((t) => t.matchFields?.length)) throw new Error('matchFields not modelled');
    // A term with no expressions matches nothing (nodeaffinity.go newNodeSelectorTerm: an empty term is skipped).
    const ok = terms.some(
      (t) =>
        (t.matchExpressions ?? []).length > 0 &&
        (t.matchExpressions ?? []).every((r) => requirementMatches(r, node.labels)),
    );
    if (!ok)
      return `required node affinity ${JSON.stringify(terms.map((t) => t.matchExpressions))} matches no label of the node`;
  }
  for (const taint of node.taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!(pod.tolerations ?? []).some((t) => tolerates(t, taint)))
      return `taint ${taint.key}=${taint.value ?? ''}:${taint.effect} not tolerated`;
  }
  return '';
}

/**
 * Label keys the kubelet may set on its own Node (--node-labels, nodeadm's kubelet flags): keys outside the
 * kubernetes.io and k8s.io domains, and inside them only the kubelet's list and the kubelet.kubernetes.io and
 * node.kubernetes.io namespaces (kubernetes/kubernetes staging/src/k8s.io/kubelet/pkg/apis/well_known_labels.go kubeletLabels,
 * kubeletLabelNamespaces, IsKubeletLabel; the kubelet refuses to start with any other key).
 */
const KUBELET_LABELS = new Set([
  'kubernetes.io/hostname',
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region',
  'node.kubernetes.io/instance-type',
  'beta.kubernetes.io/instance-type',
  'kubernetes.io/os',
  'kubernetes.io/arch',
  'beta.kubernetes.io/os',
  'beta.kubernetes.io/arch',
]);
const KUBELET_NAMESPACES = ['kubelet.kubernetes.io', 'node.kubernetes.io'];
export function kubeletMaySet(key: string): boolean {
  if (KUBELET_LABELS.has(key)) return true;
  const domain = key.includes('/') ? key.slice(0, key.indexOf('/')) : '';
  const inNs = (ns: string) => domain === ns || domain.endsWith(`.${ns}`);
  if (KUBELET_NAMESPACES.some(inNs)) return true;
  return !inNs('kubernetes.io') && !inNs('k8s.io');
}
