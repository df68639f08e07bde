/**
 * Kubernetes output: per cluster, one YAML file per component plus a kustomization.yaml, ready for
 * `kubectl apply -k`, Argo CD or Flux. Deterministic: objects in a fixed order, plan maps sorted.
 */
import { stringify } from 'yaml';
import type { ResolvedPlan } from '../model';
import { kubeClusters, type KubeCluster } from './clusters';
import { efaDevicePlugin, neuronDevicePlugin, nvidiaDevicePlugin } from './device-plugins';
import { kueueObjects, teamsOf } from './kueue';
import { devicePluginNamespace, priorityClasses, teamNamespace } from './namespaces';
import type { KubeObject } from './types';

export interface ClusterManifests {
  readonly cluster: string;
  /** file name → objects, in apply order. */
  readonly components: ReadonlyMap<string, readonly KubeObject[]>;
}

export function clusterManifests(plan: ResolvedPlan, cluster: KubeCluster): ClusterManifests {
  const pools = cluster.pools;
  const namespaces = [
    devicePluginNamespace(),
    ...[...new Set(teamsOf(plan).map((t) => t.namespace))].map(teamNamespace),
  ];
  const components = new Map<string, KubeObject[]>([
    ['namespaces.yaml', namespaces],
    ['priority-classes.yaml', priorityClasses()],
    ['nvidia-device-plugin.yaml', nvidiaDevicePlugin(pools)],
    ['neuron-device-plugin.yaml', neuronDevicePlugin(pools)],
    ['efa-device-plugin.yaml', efaDevicePlugin(pools)],
    ['kueue.yaml', kueueObjects(plan, cluster)],
  ]);
  for (const [file, objects] of components) if (!objects.length) components.delete(file);
  return { cluster: cluster.name, components };
}

export const allManifests = (plan: ResolvedPlan): ClusterManifests[] =>
  kubeClusters(plan).map((c) => clusterManifests(plan, c));

export const toYaml = (objects: readonly KubeObject[]): string =>
  objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');

/** Files under kubernetes/: `<cluster>/<component>.yaml` and `<cluster>/kustomization.yaml`. */
export function synthesizeKubernetes(plan: ResolvedPlan): Map<string, string> {
  const files = new Map<string, string>();
  for (const m of allManifests(plan)) {
    for (const [file, objects] of m.components) files.set(`kubernetes/${m.cluster}/${file}`, toYaml(objects));
    files.set(
      `kubernetes/${m.cluster}/kustomization.yaml`,
      stringify({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: [...m.components.keys()],
      }),
    );
  }
  return files;
}
