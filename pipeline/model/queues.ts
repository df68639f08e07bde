/**
 * What each pool offers to Kueue: the resources its ClusterQueue covers and their nominal quotas. The
 * renderer (pipeline/kubernetes/kueue.ts) writes these numbers and nothing else.
 *
 * Kueue refuses a workload that requests any resource its ClusterQueue does not cover ("resource cpu
 * unavailable in ClusterQueue", kubernetes-sigs/kueue v0.19.2 pkg/scheduler/flavorassigner/flavorassigner.go
 * findFlavorForPodSets), and every real pod requests cpu and memory, so each queue covers them with the
 * accelerators, their NeuronCores and the EFA devices.
 */
import { efaDevicesPerNode } from './efa';
import { isNeuronDraPool } from './images';
import { acceleratorKind, acceleratorResource } from './labels';
import type { ResolvedPlan, ResolvedPool } from './index';

export const RESOURCE_CPU = 'cpu';
export const RESOURCE_MEMORY = 'memory';
export const RESOURCE_NEURONCORE = 'aws.amazon.com/neuroncore';
export const RESOURCE_EFA = 'vpc.amazonaws.com/efa';

/**
 * The DeviceClass of the Neuron DRA driver, which Trainium3 pools get their devices from (model/images.ts
 * isNeuronDraPool): aws-neuron/aws-neuron-sdk deploy/files/manifests/deviceclass.yaml @81ce03ae (`name:
 * neuron.aws.com`, selecting `device.driver == "neuron.aws.com"`); deploy/eks/dra.rst requests devices with
 * `exactly.deviceClassName: neuron.aws.com`.
 */
export const NEURON_DEVICE_CLASS = 'neuron.aws.com';
/** The Neuron DRA driver's name, which is also the domain of the device attributes it publishes (dra.rst). */
export const NEURON_DRA_DRIVER = 'neuron.aws.com';

/**
 * The logical resource Kueue charges for claims of NEURON_DEVICE_CLASS, through its Configuration
 * `resources.deviceClassMappings` (kubernetes-sigs/kueue v0.19.2 apis/config/v1beta2/configuration_types.go
 * DeviceClassMapping; site/content/en/docs/concepts/dynamic_resource_allocation.md, "ResourceClaimTemplate
 * path": each ExactCount request charges its `count`, default 1). It must be a qualified name (DNS-subdomain
 * prefix, '/', DNS label). It is deliberately not aws.amazon.com/neuron: nothing advertises that extended
 * resource on a Trainium3 node (no device plugin runs there), so a pod that still asks for it on a Trainium3
 * queue is refused by Kueue ("resource aws.amazon.com/neuron unavailable in ClusterQueue") instead of being
 * admitted and left unschedulable.
 */
export const RESOURCE_NEURON_DRA = 'neuron.aws.com/device';

/**
 * Neuron devices on one Kubernetes node of a DRA pool: the instance type's accelerators (a DRA pool is an EC2
 * pool, where a Kubernetes node is one instance). The driver publishes one device per chip: dra.rst's "xl"
 * template claims "All 16 devices" of a trn2.48xlarge, which has 16 Trainium2 chips.
 */
export const neuronDraDevicesPerNode = (pool: ResolvedPool): number => pool.acceleratorsPerNode;

/**
 * How the Neuron DRA driver is installed; gigawatt does not install it (GW-CAP-NEURON-DEVICES). The chart
 * enables its device plugin and node problem detector by default and refuses to render the DRA driver next to
 * the device plugin (aws-neuron/neuron-helm-charts charts/neuron-helm-chart/README.md, "Neuron Dynamic Resource
 * Allocation (DRA) Driver" and "Validation Rules": `draDriver.enabled=true cannot be used with
 * devicePlugin.enabled=true`; templates/_helpers.tpl validateConfig fails the install), so both are turned off
 * as that README's DRA command does. aws-neuron-sdk deploy/eks/dra.rst @81ce03ae shows only `--set
 * "draDriver.enabled=true"`; the explicit settings are harmless where the defaults are already off. gigawatt
 * writes its own node problem detector and Neuron device plugin (Trn1/Trn2 pools only).
 */
export const NEURON_DRA_INSTALL_COMMAND =
  'helm upgrade --install neuron-helm-chart oci://public.ecr.aws/neuron/neuron-helm-chart --set "devicePlugin.enabled=false" --set "npd.enabled=false" --set "draDriver.enabled=true"';

/** The ResourceClaimTemplate, in each team namespace that may use a DRA pool, that claims a whole node's devices. */
export const neuronNodeClaimTemplate = (pool: ResolvedPool): string => `${pool.name}-neuron-node`;

/**
 * Per-node ceiling for a resource that Kueue should not ration on a pool, times its Kubernetes nodes. These
 * are policy, not hardware figures: far above any host (so the accelerator quota binds), small enough that
 * Kueue's int64 sums over a cohort (cpu in millicores, memory in bytes) stay far from overflow.
 */
export const UNRATIONED_PER_NODE = {
  [RESOURCE_CPU]: 1024,
  /** GiB: 16 TiB. */
  [RESOURCE_MEMORY]: 16384,
  [RESOURCE_NEURONCORE]: 1024,
} as const;

/**
 * Resources Kueue leaves out of quota (its Configuration `resources.excludeResourcePrefixes`, matched as
 * name prefixes: kubernetes-sigs/kueue v0.19.2 pkg/workload/workload.go dropExcludedResources). Under the
 * default quotaCheckStrategy BlockUndeclared a pod that requests a resource no ClusterQueue covers is never
 * admitted, so the node-local resources a training pod commonly requests besides those above are excluded
 * rather than given invented quotas: `ephemeral-storage` (local scratch, checkpoints being staged) and
 * `hugepages-` (hugepages-2Mi / hugepages-1Gi, which EFA and Neuron runtimes allocate). kube-scheduler still
 * places such pods against each node's allocatable; only Kueue's quota ignores them.
 */
export const QUEUE_EXCLUDED_RESOURCE_PREFIXES = ['ephemeral-storage', 'hugepages-'] as const;

export interface QueueResource {
  readonly name: string;
  /** Kubernetes quantity: a number of units, or a string such as '2048Gi'. */
  readonly nominalQuota: number | string;
  /**
   * Where the number comes from: `catalog` (per-node figure × nodes), `model` (accelerators, EFA devices),
   * or `unrationed` (no sourced figure; Kueue admits on this resource and the accelerator quota binds).
   */
  readonly basis: 'catalog' | 'model' | 'unrationed';
}

/**
 * Resources of a pool's ClusterQueue, in coveredResources order, or [] for a pool without accelerators.
 * - cpu and memory: the instance type's vCPUs and memory × nodes (node capacity; kube-scheduler still
 *   places pods against each node's allocatable). On-prem systems have no host CPU or memory figure in the
 *   catalog, so there they are unrationed rather than guessed.
 * - the accelerator resource the device plugin advertises: the pool's accelerators.
 * - aws.amazon.com/neuroncore on Neuron pools: unrationed, because the NeuronCores a device advertises
 *   depend on the logical-NeuronCore setting, which the catalog does not hold; the device quota still binds
 *   pods that ask for whole devices.
 * - on Neuron DRA pools (Trainium3) instead of both: RESOURCE_NEURON_DRA, the pool's accelerators, which Kueue
 *   charges for the pods' claims of DeviceClass neuron.aws.com. No NeuronCore resource: under the DRA driver
 *   the logical-NeuronCore size is set per claim (its NeuronConfig `logicalNeuronCore`, dra.rst "Dynamic LNC
 *   config"), not requested as a resource.
 * - vpc.amazonaws.com/efa on EFA pools: EFA devices per node × nodes.
 */
export function poolQueueResources(pool: ResolvedPool): QueueResource[] {
  const kind = acceleratorKind(pool);
  if (!kind) return [];
  const out: QueueResource[] = [];
  if (pool.vcpus !== undefined && pool.memoryGiB !== undefined) {
    out.push({ name: RESOURCE_CPU, nominalQuota: pool.vcpus, basis: 'catalog' });
    out.push({ name: RESOURCE_MEMORY, nominalQuota: `${pool.memoryGiB}Gi`, basis: 'catalog' });
  } else {
    const n = pool.kubernetesNodes;
    out.push({
      name: RESOURCE_CPU,
      nominalQuota: UNRATIONED_PER_NODE[RESOURCE_CPU] * n,
      basis: 'unrationed',
    });
    out.push({
      name: RESOURCE_MEMORY,
      nominalQuota: `${UNRATIONED_PER_NODE[RESOURCE_MEMORY] * n}Gi`,
      basis: 'unrationed',
    });
  }
  if (isNeuronDraPool(pool))
    out.push({ name: RESOURCE_NEURON_DRA, nominalQuota: pool.accelerators, basis: 'model' });
  else out.push({ name: acceleratorResource(kind), nominalQuota: pool.accelerators, basis: 'model' });
  if (kind === 'neuron' && !isNeuronDraPool(pool))
    out.push({
      name: RESOURCE_NEURONCORE,
      nominalQuota: UNRATIONED_PER_NODE[RESOURCE_NEURONCORE] * pool.kubernetesNodes,
      basis: 'unrationed',
    });
  if (pool.efa && pool.instance) {
    const efa = efaDevicesPerNode(pool.instance) * pool.nodes;
    if (efa > 0) out.push({ name: RESOURCE_EFA, nominalQuota: efa, basis: 'model' });
  }
  return out;
}

/**
 * The LocalQueue Kueue gives a workload that names none: with LocalQueueDefaulting (stable and always on
 * since Kueue v0.17, kubernetes-sigs/kueue site/content/en/docs/tasks/manage/enforce_job_management/
 * setup_default_local_queue.md), a Job or pod created without `kueue.x-k8s.io/queue-name` in a namespace that
 * has a LocalQueue named `default` gets that label set to `default`.
 */
export const DEFAULT_LOCAL_QUEUE = 'default';

/**
 * The pool whose ClusterQueue a team namespace's `default` LocalQueue points at, among `pools` (a cluster's
 * pools that have queues), or undefined when no team of the namespace may use any of them:
 * - a pool named `default` that the namespace may use: its own LocalQueue is then the default one, so the
 *   name never stands for two queues;
 * - otherwise the primary pool of the namespace's first team in plan order (kubernetes.queues.teams) that
 *   may use one of `pools`: the first of its `pools` list that is among them, or, for a team without a
 *   list, the first of them in plan order (pools[]).
 */
export function defaultQueuePool(
  plan: ResolvedPlan,
  pools: readonly ResolvedPool[],
  namespace: string,
): ResolvedPool | undefined {
  const teams = (plan.spec.kubernetes?.queues?.teams ?? []).filter(
    (t) => (t.namespace ?? t.name) === namespace,
  );
  const mayUse = (t: (typeof teams)[number], p: ResolvedPool) => !t.pools || t.pools.includes(p.name);
  const named = pools.find((p) => p.name === DEFAULT_LOCAL_QUEUE);
  if (named && teams.some((t) => mayUse(t, named))) return named;
  const byPlanOrder = [...pools].sort((a, b) => a.index - b.index);
  for (const t of teams) {
    const first = t.pools
      ? t.pools.map((name) => pools.find((p) => p.name === name)).find((p) => p !== undefined)
      : byPlanOrder[0];
    if (first) return first;
  }
  return undefined;
}
