/**
 * Health monitoring per pool kind. NVIDIA pools: the DCGM exporter, as NVIDIA/dcgm-exporter's static
 * manifest (dcgm-exporter.yaml at tag 4.5.3-4.8.2) runs it, pinned by node affinity to the NVIDIA pools
 * and tolerating their taints like the device plugins (labels and taints from pipeline/model/labels.ts).
 */
import { IMAGES, nvidiaPools } from '../model/images';
import type { ResolvedPool } from '../model';
import { daemonSet } from './device-plugins';
import type { KubeObject } from './types';

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
