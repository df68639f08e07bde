/**
 * Kueue's manager configuration, shipped as the ConfigMap the Kueue release reads it from:
 * `kueue-manager-config` in `kueue-system`, key `controller_manager_config.yaml` (kubernetes-sigs/kueue
 * v0.19.2 config/components/manager/kustomization.yaml configMapGenerator `manager-config`, given the
 * `kueue-` prefix and namespace by config/default/kustomization.yaml).
 *
 * The file replaces the release's default as a whole, so it starts from the release's own file
 * (config/components/manager/controller_manager_config.yaml at v0.19.2) and changes only what the plan
 * decides; the field names are those of apis/config/v1beta2/configuration_types.go at the same tag.
 */
import { isNeuronDraPool } from '../model/images';
import { NEURON_DEVICE_CLASS, QUEUE_EXCLUDED_RESOURCE_PREFIXES, RESOURCE_NEURON_DRA } from '../model/queues';
import type { ResolvedPlan, ResolvedPool } from '../model';
import type { KubeCluster } from './clusters';
import { poolQuotas, teamsOf } from './kueue';
import { NAMESPACE_NAME_LABEL } from './kueue';
import type { KubeObject } from './types';
import { MANAGED_BY } from './types';
import { KUEUE_CONFIG_API, KUEUE_VERSION } from './versions';
import { toYamlDocument } from './yaml';

export const KUEUE_NAMESPACE = 'kueue-system';
export const KUEUE_CONFIG_MAP = 'kueue-manager-config';
export const KUEUE_CONFIG_KEY = 'controller_manager_config.yaml';

/**
 * The frameworks the release enables by default (the uncommented `integrations.frameworks` of the release's
 * controller_manager_config.yaml). A framework whose CRDs are not installed is set up once they appear.
 */
export const KUEUE_FRAMEWORKS = [
  'batch/job',
  'kubeflow.org/mpijob',
  'ray.io/rayjob',
  'ray.io/raycluster',
  'ray.io/rayservice',
  'jobset.x-k8s.io/jobset',
  'workload.codeflare.dev/appwrapper',
  'trainer.kubeflow.org/trainjob',
  'pod',
  'deployment',
  'statefulset',
  'leaderworkerset.x-k8s.io/leaderworkerset',
] as const;

/**
 * How long an admitted workload may take until all its pods are ready before Kueue evicts and requeues it:
 * the value of the Kueue installation guide's example configuration (installation.md at v0.19.2,
 * `waitForPodsReady: timeout: 10m`); recoveryTimeout and the requeuing backoff keep Kueue's defaults
 * (apis/config/v1beta2/defaults.go).
 */
export const KUEUE_PODS_READY_TIMEOUT = '10m';

/**
 * The Configuration document (config.kueue.x-k8s.io/v1beta2, Kind Configuration) for a cluster whose pools
 * are `pools`.
 */
export function kueueConfiguration(
  plan: ResolvedPlan,
  pools: readonly ResolvedPool[],
): Record<string, unknown> {
  const namespaces = [...new Set(teamsOf(plan).map((t) => t.namespace))].sort();
  const dra = pools.some((p) => isNeuronDraPool(p) && poolQuotas(p).length > 0);
  return {
    apiVersion: KUEUE_CONFIG_API,
    kind: 'Configuration',
    // Unchanged from the release's file.
    health: { healthProbeBindAddress: ':8081' },
    metrics: { bindAddress: ':8443' },
    webhook: { port: 9443 },
    leaderElection: { leaderElect: true, resourceName: 'c1f6bfd2.kueue.x-k8s.io' },
    controller: {
      groupKindConcurrency: {
        'Job.batch': 5,
        Pod: 5,
        'Workload.kueue.x-k8s.io': 10,
        'LocalQueue.kueue.x-k8s.io': 5,
        'Cohort.kueue.x-k8s.io': 1,
        'ClusterQueue.kueue.x-k8s.io': 5,
        'ResourceFlavor.kueue.x-k8s.io': 1,
      },
    },
    clientConnection: { qps: 300, burst: 500 },
    // In the plan's team namespaces a Job (or pod, Deployment, ...) without kueue.x-k8s.io/queue-name is
    // held suspended instead of bypassing the queues; every other namespace (kube-system, kueue-system, the
    // device plugins, add-ons) is left alone. The release default selector is every namespace but
    // kube-system and kueue-system (defaults.go), which would also hold add-on Jobs. Without teams there
    // is no LocalQueue to name, so nothing is held.
    manageJobsWithoutQueueName: namespaces.length > 0,
    ...(namespaces.length
      ? {
          managedJobsNamespaceSelector: {
            matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: namespaces }],
          },
        }
      : {}),
    // All-or-nothing: a gang whose pods are not all ready in time is evicted and requeued rather than
    // holding part of a pool. blockAdmission stays false (its default): true would admit one workload at a
    // time across the whole cluster until its pods are ready.
    waitForPodsReady: { timeout: KUEUE_PODS_READY_TIMEOUT, blockAdmission: false },
    integrations: { frameworks: [...KUEUE_FRAMEWORKS] },
    resources: {
      excludeResourcePrefixes: [...QUEUE_EXCLUDED_RESOURCE_PREFIXES],
      // Trainium3 pods get their Neuron devices through ResourceClaims of DeviceClass neuron.aws.com, not an
      // extended resource. Kueue counts them only through this mapping (the "ResourceClaimTemplate path" of
      // site/content/en/docs/concepts/dynamic_resource_allocation.md; feature gate KueueDRAIntegration, beta and
      // on by default since v0.18, pkg/features/kube_features.go): each ExactCount request of a template the
      // pod references charges its `count` of RESOURCE_NEURON_DRA, which the pool's ClusterQueue covers. A
      // claim of an unmapped DeviceClass makes the workload inadmissible (pkg/dra/claims.go
      // GetResourceRequestsForResourceClaimTemplates). Clusters without such a pool keep the configuration
      // they had.
      ...(dra
        ? { deviceClassMappings: [{ name: RESOURCE_NEURON_DRA, deviceClassNames: [NEURON_DEVICE_CLASS] }] }
        : {}),
    },
  };
}

/** The ConfigMap, for a cluster that has Kueue queues (pools with accelerators); otherwise none. */
export function kueueManagerConfig(plan: ResolvedPlan, cluster: KubeCluster): KubeObject[] {
  if (!cluster.pools.some((p) => poolQuotas(p).length > 0)) return [];
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: KUEUE_CONFIG_MAP,
        namespace: KUEUE_NAMESPACE,
        labels: { 'app.kubernetes.io/name': 'kueue', ...MANAGED_BY },
        annotations: { 'gigawatt.dev/kueue-version': KUEUE_VERSION },
      },
      data: { [KUEUE_CONFIG_KEY]: toYamlDocument(kueueConfiguration(plan, cluster.pools)) },
    },
  ];
}
