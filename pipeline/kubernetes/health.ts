/**
 * Health monitoring per pool kind, each DaemonSet pinned by node affinity to its pools and tolerating their
 * taints like the device plugins (labels and taints from pipeline/model/labels.ts):
 * - NVIDIA pools: the DCGM exporter, as NVIDIA/dcgm-exporter's static manifest (dcgm-exporter.yaml at tag
 *   4.5.3-4.8.2) runs it;
 * - Neuron pools (those with the Neuron device plugin): the Neuron monitor, as aws-neuron/aws-neuron-sdk
 *   src/k8/k8s-neuron-monitor-daemonset.yml runs it;
 * - every accelerator pool: the node problem detector, as kubernetes/node-problem-detector
 *   deployment/node-problem-detector.yaml and rbac.yaml run it.
 */
import { acceleratorPools, IMAGES, neuronPools, nvidiaPools } from '../model/images';
import type { ResolvedPool } from '../model';
import { daemonSet } from './device-plugins';
import { DEVICE_PLUGIN_NAMESPACE } from './namespaces';
import type { KubeObject } from './types';
import { MANAGED_BY } from './types';

/** Where the kubelet serves the pod-resources API, which maps GPUs to the pods using them. */
export const POD_RESOURCES_DIR = '/var/lib/kubelet/pod-resources';

export function dcgmExporter(pools: readonly ResolvedPool[]): KubeObject[] {
  const selected = nvidiaPools(pools);
  if (!selected.length) return [];
  return [
    daemonSet({
      name: 'dcgm-exporter',
      pools: selected,
      image: IMAGES.dcgmExporter,
      // The vendor manifest's requests and limits.
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
      container: {
        env: [
          { name: 'DCGM_EXPORTER_LISTEN', value: ':9400' },
          { name: 'DCGM_EXPORTER_KUBERNETES', value: 'true' },
          { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        ],
        ports: [{ name: 'metrics', containerPort: 9400 }],
        // As the vendor manifest: root with CAP_SYS_ADMIN for the profiling metrics (DCGM_FI_PROF_*).
        securityContext: {
          runAsNonRoot: false,
          runAsUser: 0,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] },
        },
        volumeMounts: [{ name: 'pod-gpu-resources', readOnly: true, mountPath: POD_RESOURCES_DIR }],
      },
      volumes: [{ name: 'pod-gpu-resources', hostPath: { path: POD_RESOURCES_DIR } }],
    }),
  ];
}

/** Port of the Neuron monitor's Prometheus endpoint (the vendor manifest's `--port 8000`). */
export const NEURON_MONITOR_PORT = 8000;

/**
 * aws-neuron/aws-neuron-sdk src/k8/k8s-neuron-monitor-daemonset.yml (@81ce03ae): image, entrypoint, port,
 * requests and limits, GOMEMLIMIT and `privileged: true` as there. The vendor manifest selects instance
 * types; here the pool label selects the pools that run the Neuron device plugin (not the Trainium3
 * UltraServers, whose devices come from the Neuron DRA driver).
 */
export function neuronMonitor(pools: readonly ResolvedPool[]): KubeObject[] {
  const selected = neuronPools(pools);
  if (!selected.length) return [];
  return [
    daemonSet({
      name: 'neuron-monitor',
      pools: selected,
      image: IMAGES.neuronMonitor,
      resources: { requests: { cpu: '256m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      container: {
        command: ['/opt/bin/entrypoint.sh'],
        args: [
          '--port',
          String(NEURON_MONITOR_PORT),
          '--neuron-monitor-config',
          '/opt/aws/neuron/bin/neuron-monitor.conf',
        ],
        env: [{ name: 'GOMEMLIMIT', value: '160MiB' }],
        ports: [{ name: 'metrics', containerPort: NEURON_MONITOR_PORT }],
        securityContext: { privileged: true },
      },
      volumes: [],
    }),
  ];
}

/** The Kubernetes bootstrap ClusterRole for the node problem detector (the upstream rbac.yaml binds it). */
export const NODE_PROBLEM_DETECTOR_ROLE = 'system:node-problem-detector';

/**
 * kubernetes/node-problem-detector deployment/node-problem-detector.yaml and rbac.yaml (@6632ca67): the
 * detector reports kernel problems (/dev/kmsg) as node conditions and events. It runs the kernel monitor
 * configuration built into the image (the v0.8.19 Dockerfile copies config/ to /config and starts
 * /config/kernel-monitor.json), so no ConfigMap is shipped; the upstream manifest's docker monitor reads the
 * dockerd journal, which containerd nodes do not have. Requests, limits, `privileged: true` and the read-only
 * mounts as upstream; the pool affinity and tolerations put it on every accelerator node.
 */
export function nodeProblemDetector(pools: readonly ResolvedPool[]): KubeObject[] {
  const selected = acceleratorPools(pools);
  if (!selected.length) return [];
  const name = 'node-problem-detector';
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace: DEVICE_PLUGIN_NAMESPACE, labels: { ...MANAGED_BY } },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'gigawatt-node-problem-detector', labels: { ...MANAGED_BY } },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: NODE_PROBLEM_DETECTOR_ROLE,
      },
      subjects: [{ kind: 'ServiceAccount', name, namespace: DEVICE_PLUGIN_NAMESPACE }],
    },
    daemonSet({
      name,
      pools: selected,
      image: IMAGES.nodeProblemDetector,
      serviceAccountName: name,
      resources: { requests: { cpu: '10m', memory: '80Mi' }, limits: { cpu: '10m', memory: '80Mi' } },
      container: {
        command: [
          '/node-problem-detector',
          '--logtostderr',
          '--config.system-log-monitor=/config/kernel-monitor.json',
        ],
        env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
        securityContext: { privileged: true },
        volumeMounts: [
          { name: 'kmsg', mountPath: '/dev/kmsg', readOnly: true },
          // In the host's timezone, as upstream.
          { name: 'localtime', mountPath: '/etc/localtime', readOnly: true },
        ],
      },
      volumes: [
        { name: 'kmsg', hostPath: { path: '/dev/kmsg' } },
        { name: 'localtime', hostPath: { path: '/etc/localtime' } },
      ],
    }),
  ];
}
