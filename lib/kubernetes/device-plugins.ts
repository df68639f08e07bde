/**
 * Device-plugin DaemonSets, each pinned by node affinity on the pool label to exactly the pools that have
 * its hardware, with tolerations for those pools' taints. Security settings follow the vendors' own
 * manifests and ask for no more than they need; pss.ts lists every Pod Security exemption and why.
 */
import { efaDevicePluginImage, efaPools, IMAGES, neuronPools, nvidiaPools, regionOf } from '../model/images';
import { acceleratorKind, LABEL_POOL, poolNodeTaints } from '../model/labels';
import type { ResolvedPool } from '../model';
import { DEVICE_PLUGIN_NAMESPACE } from './namespaces';
import type { KubeObject } from './types';
import { MANAGED_BY } from './types';

export const DEVICE_PLUGIN_DIR = '/var/lib/kubelet/device-plugins';

export { efaPools, neuronPools, nvidiaPools };

function tolerations(pools: readonly ResolvedPool[]) {
  const keys = [
    ...new Set(pools.flatMap((p) => poolNodeTaints(p).map((t) => `${t.key}|${t.effect}`))),
  ].sort();
  return [
    { key: 'CriticalAddonsOnly', operator: 'Exists' },
    ...keys.map((k) => ({ key: k.split('|')[0], operator: 'Exists', effect: k.split('|')[1] })),
  ];
}

const affinity = (pools: readonly ResolvedPool[]) => ({
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [
        { matchExpressions: [{ key: LABEL_POOL, operator: 'In', values: pools.map((p) => p.name).sort() }] },
      ],
    },
  },
});

const hostPath = (name: string, path: string, type?: string) => ({
  name,
  hostPath: type ? { path, type } : { path },
});

interface DaemonSetOptions {
  readonly name: string;
  readonly pools: readonly ResolvedPool[];
  readonly image: string;
  readonly container: Record<string, unknown>;
  readonly volumes: unknown[];
  readonly serviceAccountName?: string;
  readonly hostNetwork?: boolean;
}

function daemonSet(o: DaemonSetOptions): KubeObject {
  const labels = { 'app.kubernetes.io/name': o.name, ...MANAGED_BY };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: o.name, namespace: DEVICE_PLUGIN_NAMESPACE, labels },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': o.name } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } },
      template: {
        metadata: { labels },
        spec: {
          ...(o.serviceAccountName
            ? { serviceAccountName: o.serviceAccountName }
            : { automountServiceAccountToken: false }),
          priorityClassName: 'system-node-critical',
          affinity: affinity(o.pools),
          tolerations: tolerations(o.pools),
          ...(o.hostNetwork ? { hostNetwork: true } : {}),
          securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: o.name,
              image: o.image,
              resources: { requests: { cpu: '10m', memory: '20Mi' }, limits: { memory: '200Mi' } },
              ...o.container,
            },
          ],
          volumes: o.volumes,
        },
      },
    },
  };
}

const unprivileged = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };

export function nvidiaDevicePlugin(pools: readonly ResolvedPool[]): KubeObject[] {
  const selected = nvidiaPools(pools);
  if (!selected.length) return [];
  return [
    daemonSet({
      name: 'nvidia-device-plugin',
      pools: selected,
      image: IMAGES.nvidiaDevicePlugin,
      container: {
        env: [{ name: 'FAIL_ON_INIT_ERROR', value: 'false' }],
        securityContext: unprivileged,
        volumeMounts: [{ name: 'device-plugin', mountPath: DEVICE_PLUGIN_DIR }],
      },
      volumes: [hostPath('device-plugin', DEVICE_PLUGIN_DIR, 'Directory')],
    }),
  ];
}

/** The Neuron plugin patches node and pod annotations, so it needs a service account and these rules (vendor RBAC manifest). */
export function neuronDevicePlugin(pools: readonly ResolvedPool[]): KubeObject[] {
  const selected = neuronPools(pools);
  if (!selected.length) return [];
  const name = 'neuron-device-plugin';
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace: DEVICE_PLUGIN_NAMESPACE, labels: { ...MANAGED_BY } },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'gigawatt-neuron-device-plugin', labels: { ...MANAGED_BY } },
      rules: [
        { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['update', 'patch', 'get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch', 'update'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'gigawatt-neuron-device-plugin', labels: { ...MANAGED_BY } },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'gigawatt-neuron-device-plugin',
      },
      subjects: [{ kind: 'ServiceAccount', name, namespace: DEVICE_PLUGIN_NAMESPACE }],
    },
    daemonSet({
      name,
      pools: selected,
      image: IMAGES.neuronDevicePlugin,
      serviceAccountName: name,
      container: {
        env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
        securityContext: unprivileged,
        volumeMounts: [
          { name: 'device-plugin', mountPath: DEVICE_PLUGIN_DIR },
          { name: 'infa-map', mountPath: '/run' },
        ],
      },
      // The vendor manifest mounts the host's /run, where the Neuron driver publishes its device map.
      volumes: [hostPath('device-plugin', DEVICE_PLUGIN_DIR), hostPath('infa-map', '/run')],
    }),
  ];
}

/**
 * The EFA plugin (aws/eks-charts) uses the host network and reads /dev/infiniband. On Trainium types the
 * chart runs it privileged (its `privilegedSupportedInstanceLabels`: trn1, trn1n, trn2, trn2u) and mounts
 * the Neuron tools, so Trainium pools get their own DaemonSet and NVIDIA pools keep the unprivileged one.
 */
export function efaDevicePlugin(pools: readonly ResolvedPool[]): KubeObject[] {
  const selected = efaPools(pools);
  // The image from the cluster region's EKS registry; a region the guide does not list has no image
  // (GW-NET-IMAGE-PULL fails such a plan).
  const image = efaDevicePluginImage(regionOf(selected) ?? '');
  if (!image) return [];
  const neuron = selected.filter((p) => acceleratorKind(p) === 'neuron');
  const other = selected.filter((p) => acceleratorKind(p) !== 'neuron');
  const mounts = [
    { name: 'device-plugin', mountPath: DEVICE_PLUGIN_DIR },
    { name: 'infiniband', mountPath: '/dev/infiniband/' },
  ];
  const volumes = [hostPath('device-plugin', DEVICE_PLUGIN_DIR), hostPath('infiniband', '/dev/infiniband/')];
  const out: KubeObject[] = [];
  if (other.length)
    out.push(
      daemonSet({
        name: 'efa-device-plugin',
        pools: other,
        image,
        hostNetwork: true,
        container: { securityContext: unprivileged, volumeMounts: mounts },
        volumes,
      }),
    );
  if (neuron.length)
    out.push(
      daemonSet({
        name: 'efa-device-plugin-neuron',
        pools: neuron,
        image,
        hostNetwork: true,
        container: {
          securityContext: { privileged: true, allowPrivilegeEscalation: true, runAsUser: 0 },
          volumeMounts: [...mounts, { name: 'neuron-tools', mountPath: '/opt/aws/neuron/' }],
        },
        volumes: [...volumes, hostPath('neuron-tools', '/opt/aws/neuron/', 'DirectoryOrCreate')],
      }),
    );
  return out;
}
