/** Namespaces and PriorityClasses. */
import { DEVICE_PLUGIN_NAMESPACE } from '../model/kube-names';
import type { KubeObject } from './types';
import { MANAGED_BY } from './types';

/** Device plugins run here. It is labelled `privileged` for Pod Security admission: see pss.ts for each exemption. */
export { DEVICE_PLUGIN_NAMESPACE };

const podSecurity = (level: 'privileged' | 'restricted') => ({
  'pod-security.kubernetes.io/enforce': level,
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/warn': 'restricted',
});

export function devicePluginNamespace(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: DEVICE_PLUGIN_NAMESPACE,
      labels: { ...MANAGED_BY, ...podSecurity('privileged') },
      annotations: {
        'gigawatt.dev/pod-security-exemption':
          'Device plugins mount the kubelet device-plugin socket directory (hostPath) and, for EFA, use the host network; every exemption is listed in pipeline/kubernetes/pss.ts. Audit and warn stay at restricted so anything else shows up.',
      },
    },
  };
}

/** A team namespace: Pod Security "restricted" enforced. */
export function teamNamespace(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { ...MANAGED_BY, ...podSecurity('restricted') } },
  };
}

/** PriorityClasses for training work: preemptible experiments below default jobs below critical runs. */
export function priorityClasses(): KubeObject[] {
  const pc = (
    name: string,
    value: number,
    description: string,
    preemptionPolicy = 'PreemptLowerPriority',
  ): KubeObject => ({
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name, labels: { ...MANAGED_BY } },
    value,
    globalDefault: false,
    preemptionPolicy,
    description,
  });
  return [
    pc(
      'gigawatt-critical',
      100000,
      'Production training and serving that may preempt other accelerator work.',
    ),
    pc('gigawatt-default', 10000, 'Ordinary accelerator jobs.'),
    pc('gigawatt-preemptible', 100, 'Experiments and backfill; never preempt others.', 'Never'),
  ];
}
