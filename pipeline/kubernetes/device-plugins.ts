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

export interface DaemonSetOptions {
  readonly name: string;
  readonly pools: readonly ResolvedPool[];
  readonly image: string;
  readonly container: Record<string, unknown>;
  readonly volumes: unknown[];
  readonly serviceAccountName?: string;
  readonly hostNetwork?: boolean;
  /** Annotations of the DaemonSet object (what the nodes must provide, where a version comes from). */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Container resources; default: a small request and a memory limit. */
  readonly resources?: Record<string, unknown>;
  readonly namespace?: string;
}

export function daemonSet(o: DaemonSetOptions): KubeObject {
  const labels = { 'app.kubernetes.io/name': o.name, ...MANAGED_BY };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: {
      name: o.name,
      namespace: o.namespace ?? DEVICE_PLUGIN_NAMESPACE,
      labels,
      ...(o.annotations ? { annotations: { ...o.annotations } } : {}),
    },
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
              resources: o.resources ?? {
                requests: { cpu: '10m', memory: '20Mi' },
                limits: { memory: '200Mi' },
              },
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

/**
 * How the NVIDIA plugin hands allocated GPUs to the container runtime (NVIDIA/k8s-device-plugin v0.20.0
 * README, DEVICE_LIST_STRATEGY). `volume-mounts` passes them as mounts under /var/run/nvidia-container-devices;
 * with the node's NVIDIA Container Toolkit set to `accept-nvidia-visible-devices-as-volume-mounts = true` and
 * `accept-nvidia-visible-devices-envvar-when-unprivileged = false`, a container that did not get GPUs this way
 * sees none, even if its image or spec sets NVIDIA_VISIBLE_DEVICES=all (the envvar strategy alone lets it see
 * every GPU). `envvar` is listed too (the README allows a comma-separated list) so that on a node whose toolkit
 * still has the defaults (volume mounts ignored) the allocated GPUs, and only those, are still passed; the
 * toolkit ignores the variable for unprivileged containers once it is configured as above.
 */
export const NVIDIA_DEVICE_LIST_STRATEGY = 'envvar,volume-mounts';

/** What the GPU nodes must carry for NVIDIA_DEVICE_LIST_STRATEGY to isolate GPUs (see its comment). */
export const NVIDIA_TOOLKIT_REQUIREMENT =
  'NVIDIA Container Toolkit on every GPU node, /etc/nvidia-container-runtime/config.toml: accept-nvidia-visible-devices-as-volume-mounts = true, accept-nvidia-visible-devices-envvar-when-unprivileged = false (NVIDIA/k8s-device-plugin issue #856); without them a pod that requests no GPU can still see every GPU.';

export function nvidiaDevicePlugin(pools: readonly ResolvedPool[]): KubeObject[] {
  const selected = nvidiaPools(pools);
  if (!selected.length) return [];
  return [
    daemonSet({
      name: 'nvidia-device-plugin',
      pools: selected,
      image: IMAGES.nvidiaDevicePlugin,
      annotations: { 'gigawatt.dev/node-requirement': NVIDIA_TOOLKIT_REQUIREMENT },
      container: {
        env: [
          // Fail (and restart, visibly) when the driver or NVML cannot be initialised, instead of blocking
          // forever and advertising no GPUs (README FAIL_ON_INIT_ERROR; the default since v0.17, set explicitly).
          { name: 'FAIL_ON_INIT_ERROR', value: 'true' },
          { name: 'DEVICE_LIST_STRATEGY', value: NVIDIA_DEVICE_LIST_STRATEGY },
        ],
        // With volume-mounts the toolkit gives the plugin itself the driver only if it holds CAP_SYS_ADMIN: the
        // vendor Helm chart adds it whenever the strategy includes volume-mounts
        // (deployments/helm/nvidia-device-plugin/templates/_helpers.tpl, requiresCapSysAdmin; CHANGELOG v0.16.2,
        // "Add CAP_SYS_ADMIN if volume-mounts list strategy is included (fixes #856)"). Everything else stays
        // dropped, as in the static manifest.
        securityContext: {
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] },
        },
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
