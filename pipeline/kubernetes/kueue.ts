/**
 * Kueue (kueue.x-k8s.io/v1beta2) queues derived from the plan: a Topology per kind of site, one
 * ResourceFlavor and one ClusterQueue per pool (covering cpu, memory, accelerators, NeuronCores and EFA
 * devices with the quotas of pipeline/model/queues.ts), open only to the team namespaces that may use the pool,
 * all in the plan's cohort, and LocalQueues in each team namespace: one per pool the team may use, named
 * after it, and one named `default` for workloads that name no queue (model/queues.ts defaultQueuePool).
 * For each Trainium3 pool (Neuron DRA driver), each of those namespaces also gets the ResourceClaimTemplate
 * that claims a whole node's Neuron devices (neuronNodeClaimTemplates).
 */
import { HOSTNAME_LABEL, LABEL_POOL, ONPREM_TOPOLOGY_LEVELS, poolNodeTaints } from '../model/labels';
import { isNeuronDraPool } from '../model/images';
import {
  DEFAULT_LOCAL_QUEUE,
  defaultQueuePool,
  NEURON_DEVICE_CLASS,
  NEURON_DRA_DRIVER,
  neuronDraDevicesPerNode,
  neuronNodeClaimTemplate,
  poolQueueResources,
} from '../model/queues';
import type { ResolvedPlan, ResolvedPool } from '../model';
import type { KubeCluster } from './clusters';
import type { KubeObject } from './types';
import { MANAGED_BY } from './types';
import { KUEUE_API } from './versions';

export { HOSTNAME_LABEL };

const AWS_LAYER = (n: number) => `topology.k8s.aws/network-node-layer-${n}`;

/**
 * Topology levels, widest first, hostname last (Kueue requires it last when used).
 * AWS: the EKS network topology labels topology.k8s.aws/network-node-layer-1..3, and -4 on the instance types
 * whose EC2 topology has four layers (EKS user guide, "Place distributed AI/ML workloads with network topology
 * labels": layer 4 is "present only on instance types whose topology has four layers",
 * https://docs.aws.amazon.com/eks/latest/userguide/ml-workload-topology.html).
 * On-prem: hall, scalable unit and rack (pipeline/model/labels.ts ONPREM_TOPOLOGY_LEVELS), which every node
 * registers with (nodes/racks.yaml of the cluster, from pipeline/model/onprem-nodes.ts).
 */
export const TOPOLOGIES = {
  aws: {
    name: 'aws-network',
    levels: [AWS_LAYER(1), AWS_LAYER(2), AWS_LAYER(3), HOSTNAME_LABEL],
  },
  aws4: {
    name: 'aws-network-4',
    levels: [AWS_LAYER(1), AWS_LAYER(2), AWS_LAYER(3), AWS_LAYER(4), HOSTNAME_LABEL],
  },
  onprem: { name: 'onprem-racks', levels: ONPREM_TOPOLOGY_LEVELS },
} as const;

/**
 * Network layers DescribeInstanceTopology returns per instance type, for the accelerated types of the EC2 user
 * guide's list ("Prerequisites for Amazon EC2 topology", Instance types:
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-topology-prerequisites.html). A type not
 * listed (inf2, Trainium3) has no topology, so its nodes carry no layer labels.
 */
export const EC2_TOPOLOGY_LAYERS: Readonly<Record<string, 3 | 4>> = {
  'g6e.xlarge': 3,
  'g6e.2xlarge': 3,
  'g6e.4xlarge': 3,
  'g6e.8xlarge': 3,
  'g6e.12xlarge': 3,
  'g6e.16xlarge': 3,
  'g6e.24xlarge': 3,
  'g6e.48xlarge': 3,
  'p3dn.24xlarge': 3,
  'p4d.24xlarge': 3,
  'p4de.24xlarge': 3,
  'p5.48xlarge': 3,
  'p5e.48xlarge': 3,
  'p5en.48xlarge': 3,
  'p6e-gb200.36xlarge': 3,
  'trn1.2xlarge': 3,
  'trn1.32xlarge': 3,
  'trn1n.32xlarge': 3,
  'trn2.48xlarge': 3,
  'trn2u.48xlarge': 3,
  'p6-b200.48xlarge': 4,
  'p6-b300.48xlarge': 4,
};

/**
 * The pool's Topology, or undefined when its nodes carry no topology labels. Kueue's topology-aware scheduling
 * counts only nodes that carry every level label (pkg/util/tas/node.go, v0.19.2), so a 3-layer type under a
 * 4-level topology, or a type without EC2 topology under any, would offer no capacity; such a flavor gets no
 * topologyName and plain quota admission.
 */
export function topologyOf(pool: ResolvedPool) {
  if (pool.kind !== 'ec2') return TOPOLOGIES.onprem;
  const layers = EC2_TOPOLOGY_LAYERS[pool.typeName ?? ''];
  return layers === 4 ? TOPOLOGIES.aws4 : layers === 3 ? TOPOLOGIES.aws : undefined;
}

/** Resources a pool's ClusterQueue covers, with nominal quotas (owned by pipeline/model/queues.ts). */
export function poolQuotas(pool: ResolvedPool): { name: string; nominalQuota: number | string }[] {
  return poolQueueResources(pool).map((r) => ({ name: r.name, nominalQuota: r.nominalQuota }));
}

/** Label the API server sets on every Namespace to its own name (Kubernetes ≥ 1.22). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Team namespaces that may use a pool: teams without a pools list may use every pool. */
export const poolNamespaces = (plan: ResolvedPlan, pool: ResolvedPool): string[] =>
  [
    ...new Set(
      teamsOf(plan)
        .filter((t) => !t.pools || t.pools.includes(pool.name))
        .map((t) => t.namespace),
    ),
  ].sort();

export function kueueObjects(plan: ResolvedPlan, cluster: KubeCluster): KubeObject[] {
  const pools = cluster.pools.filter((p) => poolQuotas(p).length > 0);
  if (!pools.length) return [];
  const cohort = plan.spec.kubernetes?.queues?.cohort;
  const out: KubeObject[] = [];
  const used = [...new Set(pools.map((p) => topologyOf(p)?.name))].filter(Boolean);
  for (const t of Object.values(TOPOLOGIES))
    if (used.includes(t.name))
      out.push({
        apiVersion: KUEUE_API,
        kind: 'Topology',
        metadata: { name: t.name, labels: { ...MANAGED_BY } },
        spec: { levels: t.levels.map((nodeLabel) => ({ nodeLabel })) },
      });
  for (const pool of pools)
    out.push({
      apiVersion: KUEUE_API,
      kind: 'ResourceFlavor',
      metadata: { name: pool.name, labels: { ...MANAGED_BY } },
      spec: {
        // Kueue adds nodeLabels to the admitted pods' node selector and tolerations to their tolerations;
        // nodeTaints are the taints of the pool's nodes, which a workload must tolerate (its own
        // tolerations plus the flavor's) to be given this flavor (flavorassigner.go checkFlavorForPodSets).
        // Topology-aware scheduling does not see tolerations injected by webhooks, so the flavor carries them.
        nodeLabels: { [LABEL_POOL]: pool.name },
        nodeTaints: poolNodeTaints(pool).map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
        ...(topologyOf(pool) ? { topologyName: topologyOf(pool)!.name } : {}),
        tolerations: poolNodeTaints(pool).map((t) => ({ key: t.key, operator: 'Exists', effect: t.effect })),
      },
    });
  for (const pool of pools) {
    const quotas = poolQuotas(pool);
    const namespaces = poolNamespaces(plan, pool);
    out.push({
      apiVersion: KUEUE_API,
      kind: 'ClusterQueue',
      metadata: { name: pool.name, labels: { ...MANAGED_BY } },
      spec: {
        ...(cohort ? { cohortName: cohort } : {}),
        // Only the plan's team namespaces may submit here. A missing selector admits no namespace, `{}`
        // would admit every one (apis/kueue/v1beta2/clusterqueue_types.go, NamespaceSelector), and any
        // namespace admin can create a LocalQueue pointing at this ClusterQueue.
        ...(namespaces.length
          ? {
              namespaceSelector: {
                matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: namespaces }],
              },
            }
          : {}),
        queueingStrategy: 'BestEffortFIFO',
        preemption: { reclaimWithinCohort: 'Any', withinClusterQueue: 'LowerPriority' },
        resourceGroups: [
          { coveredResources: quotas.map((q) => q.name), flavors: [{ name: pool.name, resources: quotas }] },
        ],
      },
    });
  }
  const localQueues = new Set<string>();
  for (const namespace of [...new Set(teamsOf(plan).map((t) => t.namespace))]) {
    const pool = defaultQueuePool(plan, pools, namespace);
    // A pool named `default` is its own default queue: its LocalQueue below is the one.
    if (!pool || pool.name === DEFAULT_LOCAL_QUEUE) continue;
    localQueues.add(`${namespace}/${DEFAULT_LOCAL_QUEUE}`);
    out.push({
      apiVersion: KUEUE_API,
      kind: 'LocalQueue',
      metadata: { name: DEFAULT_LOCAL_QUEUE, namespace, labels: { ...MANAGED_BY } },
      spec: { clusterQueue: pool.name },
    });
  }
  for (const team of teamsOf(plan)) {
    for (const pool of pools.filter((p) => !team.pools || team.pools.includes(p.name))) {
      const key = `${team.namespace}/${pool.name}`;
      if (localQueues.has(key)) continue;
      localQueues.add(key);
      out.push({
        apiVersion: KUEUE_API,
        kind: 'LocalQueue',
        metadata: { name: pool.name, namespace: team.namespace, labels: { ...MANAGED_BY } },
        spec: { clusterQueue: pool.name },
      });
    }
  }
  out.push(...neuronNodeClaimTemplates(plan, pools));
  return out;
}

/** API version of ResourceClaimTemplate: resource.k8s.io/v1, GA in Kubernetes 1.34 (GW-CAP-NEURON-DEVICES). */
export const RESOURCE_API = 'resource.k8s.io/v1';

/**
 * For each Trainium3 pool among `pools` and each team namespace that may use it, the ResourceClaimTemplate
 * `<pool>-neuron-node` that claims all Neuron devices of one node, after aws-neuron/aws-neuron-sdk
 * deploy/eks/dra.rst @81ce03ae ("Example RCT1 - "xl" - Allocate All 16 devices": `exactly: {allocationMode:
 * ExactCount, count: 16, deviceClassName: neuron.aws.com, selectors: [cel on instanceType]}`). A pod takes it
 * with `spec.resourceClaims: [{name, resourceClaimTemplateName: <pool>-neuron-node}]` and
 * `resources.claims: [{name}]` in its container; the template must be in the pod's namespace.
 * - ExactCount with the node's device count, not `All`: Kueue counts only ExactCount requests and refuses a
 *   workload whose template uses `All` ("AllocationMode 'All' is not supported", kubernetes-sigs/kueue v0.19.2
 *   pkg/dra/claims.go countDevicesPerClass), and charges `count` per pod.
 * - Selectors (dra.rst, "Neuron DRA Driver Attributes Reference", common attributes): `instanceType`, the
 *   pool's instance type, as in every dra.rst example (the pool's nodes are launched with that type, so it
 *   is the value the driver publishes); and `resourceType == 'neuron_device'`, because on UltraServers the
 *   driver also publishes UltraServer nodes as devices of the same driver (`neuron_node`), which a plain
 *   count could otherwise be given. One expression, the device type first: reading an attribute a device
 *   lacks is a CEL error, which fails the claim rather than skipping the device, and `false && error` is
 *   false, so a `neuron_node` device without `instanceType` is skipped.
 */
export function neuronNodeClaimTemplates(plan: ResolvedPlan, pools: readonly ResolvedPool[]): KubeObject[] {
  return pools.filter(isNeuronDraPool).flatMap((pool) =>
    poolNamespaces(plan, pool).map((namespace) => ({
      apiVersion: RESOURCE_API,
      kind: 'ResourceClaimTemplate',
      metadata: {
        name: neuronNodeClaimTemplate(pool),
        namespace,
        // The pool, as on the smoke-test Jobs: the README names its LocalQueue from it.
        labels: { [LABEL_POOL]: pool.name, ...MANAGED_BY },
      },
      spec: {
        spec: {
          devices: {
            requests: [
              {
                name: 'neurons',
                exactly: {
                  deviceClassName: NEURON_DEVICE_CLASS,
                  allocationMode: 'ExactCount',
                  count: neuronDraDevicesPerNode(pool),
                  selectors: [
                    {
                      cel: {
                        expression: `device.attributes['${NEURON_DRA_DRIVER}'].resourceType == 'neuron_device' && device.attributes['${NEURON_DRA_DRIVER}'].instanceType == '${pool.typeName}'`,
                      },
                    },
                  ],
                },
              },
            ],
          },
        },
      },
    })),
  );
}

export interface Team {
  readonly name: string;
  readonly namespace: string;
  readonly pools?: readonly string[];
}

/** Teams from plan.kubernetes.queues.teams; each gets a namespace (default: the team name). */
export function teamsOf(plan: ResolvedPlan): Team[] {
  return (plan.spec.kubernetes?.queues?.teams ?? [])
    .map((t) => ({ name: t.name, namespace: t.namespace ?? t.name, pools: t.pools }))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}
