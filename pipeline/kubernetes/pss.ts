/**
 * Pod Security Standards "restricted" checks for generated workloads, and the explicit list of
 * exemptions the device plugins need. A finding that is neither compliant nor listed here fails the tests.
 */
import type { KubeObject } from './types';

export interface PssFinding {
  readonly workload: string;
  readonly check: string;
}

const RESTRICTED_VOLUMES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

type Ctx = {
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  runAsNonRoot?: boolean;
  runAsUser?: number;
  capabilities?: { drop?: string[]; add?: string[] };
  seccompProfile?: { type?: string };
};

/** What keeps a pod template from the "restricted" level (https://kubernetes.io/docs/concepts/security/pod-security-standards). */
export function restrictedFindings(obj: KubeObject): PssFinding[] {
  const spec = (obj.spec as { template?: { spec?: Record<string, unknown> } } | undefined)?.template?.spec;
  if (!spec) return [];
  const name = `${obj.kind}/${obj.metadata.name}`;
  const out: PssFinding[] = [];
  const podCtx = (spec.securityContext ?? {}) as Ctx;
  if (spec.hostNetwork || spec.hostPID || spec.hostIPC)
    out.push({ workload: name, check: 'host-namespaces' });
  for (const v of (spec.volumes ?? []) as Record<string, unknown>[]) {
    const type = Object.keys(v).find((k) => k !== 'name')!;
    if (!RESTRICTED_VOLUMES.has(type))
      out.push({ workload: name, check: `volume-type:${type}:${(v[type] as { path?: string }).path ?? ''}` });
  }
  for (const c of (spec.containers ?? []) as { name: string; securityContext?: Ctx }[]) {
    const ctx = c.securityContext ?? {};
    if (ctx.privileged) out.push({ workload: name, check: 'privileged' });
    if (ctx.allowPrivilegeEscalation !== false)
      out.push({ workload: name, check: 'allowPrivilegeEscalation' });
    if (!(ctx.runAsNonRoot ?? podCtx.runAsNonRoot) || (ctx.runAsUser ?? podCtx.runAsUser) === 0)
      out.push({ workload: name, check: 'runAsNonRoot' });
    if (!ctx.capabilities?.drop?.includes('ALL'))
      out.push({ workload: name, check: 'capabilities-drop-all' });
    if ((ctx.capabilities?.add ?? []).some((a) => a !== 'NET_BIND_SERVICE'))
      out.push({ workload: name, check: 'capabilities-add' });
    const seccomp = ctx.seccompProfile?.type ?? podCtx.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
      out.push({ workload: name, check: 'seccompProfile' });
  }
  return out;
}

/**
 * Every exemption from "restricted", waived explicitly with the vendor's reason. The device plugins run in
 * the namespace labelled privileged (namespaces.ts) and nowhere else.
 */
export const DEVICE_PLUGIN_EXEMPTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'DaemonSet/nvidia-device-plugin': {
    'volume-type:hostPath:/var/lib/kubelet/device-plugins':
      'Registers with the kubelet through its device-plugin socket directory.',
    runAsNonRoot: 'Creates the socket in the root-owned kubelet directory; NVIDIA ships it running as root.',
    'capabilities-add':
      'CAP_SYS_ADMIN, so that the NVIDIA Container Toolkit still injects the driver into the plugin once it accepts GPU lists only as volume mounts (vendor Helm chart, requiresCapSysAdmin; NVIDIA/k8s-device-plugin #856).',
  },
  'DaemonSet/dcgm-exporter': {
    'volume-type:hostPath:/var/lib/kubelet/pod-resources':
      'Reads the kubelet pod-resources API to label GPU metrics with the pods using them (vendor manifest, read-only).',
    runAsNonRoot: 'NVIDIA/dcgm-exporter dcgm-exporter.yaml runs it as root (runAsUser 0).',
    'capabilities-add':
      'CAP_SYS_ADMIN for the DCGM profiling metrics (DCGM_FI_PROF_*), as the vendor manifest.',
  },
  'DaemonSet/neuron-monitor': {
    privileged:
      'Reads the Neuron driver and devices of the host; aws-neuron-sdk k8s-neuron-monitor-daemonset.yml runs it privileged.',
    allowPrivilegeEscalation: 'Implied by privileged (vendor manifest).',
    runAsNonRoot: 'The vendor manifest runs it as root.',
    'capabilities-drop-all': 'A privileged container keeps its capabilities.',
  },
  'DaemonSet/node-problem-detector': {
    'volume-type:hostPath:/dev/kmsg':
      'Reads the kernel log for kernel problems (upstream manifest, read-only).',
    'volume-type:hostPath:/etc/localtime': 'Logs in the host timezone (upstream manifest, read-only).',
    privileged:
      'kubernetes/node-problem-detector deployment/node-problem-detector.yaml runs it privileged to read /dev/kmsg.',
    allowPrivilegeEscalation: 'Implied by privileged (upstream manifest).',
    runAsNonRoot: 'The upstream image and manifest run it as root.',
    'capabilities-drop-all': 'A privileged container keeps its capabilities.',
  },
  'DaemonSet/neuron-device-plugin': {
    'volume-type:hostPath:/var/lib/kubelet/device-plugins':
      'Registers with the kubelet through its device-plugin socket directory.',
    'volume-type:hostPath:/run':
      'Reads the device map the Neuron driver publishes under /run (vendor manifest).',
    runAsNonRoot:
      'Creates the socket in the root-owned kubelet directory; the vendor manifest runs it as root.',
  },
  'DaemonSet/efa-device-plugin': {
    'host-namespaces':
      'Enumerates EFA devices in the host network namespace (aws/eks-charts sets hostNetwork).',
    'volume-type:hostPath:/var/lib/kubelet/device-plugins':
      'Registers with the kubelet through its device-plugin socket directory.',
    'volume-type:hostPath:/dev/infiniband/': 'Reads the EFA (verbs) devices.',
    runAsNonRoot: 'aws/eks-charts runs it as root (runAsNonRoot: false).',
  },
  'DaemonSet/efa-device-plugin-neuron': {
    'host-namespaces':
      'Enumerates EFA devices in the host network namespace (aws/eks-charts sets hostNetwork).',
    'volume-type:hostPath:/var/lib/kubelet/device-plugins':
      'Registers with the kubelet through its device-plugin socket directory.',
    'volume-type:hostPath:/dev/infiniband/': 'Reads the EFA (verbs) devices.',
    'volume-type:hostPath:/opt/aws/neuron/': 'Uses the Neuron tools to pair EFA devices with Trainium chips.',
    privileged:
      'aws/eks-charts runs the plugin privileged on trn1, trn1n, trn2 and trn2u (privilegedSupportedInstanceLabels).',
    allowPrivilegeEscalation: 'Implied by privileged on Trainium (aws/eks-charts privilegedSecurityContext).',
    runAsNonRoot: 'aws/eks-charts privilegedSecurityContext sets runAsUser 0.',
    'capabilities-drop-all': 'A privileged container keeps its capabilities.',
  },
};

/** Findings not covered by an exemption. */
export const unwaivedFindings = (objects: readonly KubeObject[]): PssFinding[] =>
  objects.flatMap(restrictedFindings).filter((f) => !DEVICE_PLUGIN_EXEMPTIONS[f.workload]?.[f.check]);
