/**
 * Kubernetes output: per cluster, one YAML file per component plus a kustomization.yaml, ready for
 * `kubectl apply -k`, Argo CD or Flux. Deterministic: objects in a fixed order, plan maps sorted.
 */
import {
  stringify,
  type CreateNodeOptions,
  type DocumentOptions,
  type SchemaOptions,
  type ToStringOptions,
} from 'yaml';
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

/**
 * How every manifest is written, with the `yaml` library's own options rather than by hand:
 * - `aliasDuplicateObjects: false`: an object used twice (a DaemonSet's labels in its metadata and its pod
 *   template) is written out twice, never as an anchor and alias, which some tools reject or mishandle.
 * - `version: '1.2'` with `compat: 'yaml-1.1'`: a string is left plain only if both YAML 1.2 (core schema)
 *   and YAML 1.1 read it back as that string. kubectl reads manifests through sigs.k8s.io/yaml, whose
 *   goyaml.v2 (a fork of go-yaml v2.4.0, "most of YAML 1.1") resolves yes/no/on/off as booleans, so a namespace `on` or a pool `no` would otherwise arrive as a boolean,
 *   and `010` or `0x10` as a number; with `compat` they are quoted.
 * - `lineWidth: 0`: long strings (annotations) are never folded.
 */
export const YAML_OUTPUT_OPTIONS: DocumentOptions & SchemaOptions & CreateNodeOptions & ToStringOptions = {
  version: '1.2',
  compat: 'yaml-1.1',
  aliasDuplicateObjects: false,
  lineWidth: 0,
};

/** Write data as one YAML document with the manifest options. */
export const toYamlDocument = (data: unknown): string => stringify(data, YAML_OUTPUT_OPTIONS);

export const toYaml = (objects: readonly KubeObject[]): string => objects.map(toYamlDocument).join('---\n');

/** Files under kubernetes/: `<cluster>/<component>.yaml` and `<cluster>/kustomization.yaml`. */
export function synthesizeKubernetes(plan: ResolvedPlan): Map<string, string> {
  const files = new Map<string, string>();
  for (const m of allManifests(plan)) {
    for (const [file, objects] of m.components) files.set(`kubernetes/${m.cluster}/${file}`, toYaml(objects));
    files.set(
      `kubernetes/${m.cluster}/kustomization.yaml`,
      toYamlDocument({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: [...m.components.keys()],
      }),
    );
  }
  return files;
}
