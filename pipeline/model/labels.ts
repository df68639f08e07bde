/**
 * Node labels and taints of a pool, defined once: the Terraform node groups set them and the Kubernetes
 * manifests (device-plugin affinity, Kueue flavors) select on them.
 */
import type { ResolvedPool } from './index';

export const LABEL_POOL = 'gigawatt.dev/pool';
export const LABEL_SITE = 'gigawatt.dev/site';
export const LABEL_ACCELERATOR = 'gigawatt.dev/accelerator';
export const LABEL_HALL = 'gigawatt.dev/hall';
export const LABEL_RACK = 'gigawatt.dev/rack';
/**
 * The scalable unit of an on-prem node: the nodes the rack plan keeps in racks of their own and that share
 * their rail leaves (a DGX SuperPOD SU), i.e. the network domain between the hall and the rack.
 */
export const LABEL_SCALABLE_UNIT = 'gigawatt.dev/scalable-unit';
/** Set by the kubelet itself on every node (its host name); the last level of every Topology. */
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/**
 * Topology levels of an on-prem pool, widest first: hall, scalable unit (the leaf group), rack, host. Each
 * level nests in the one above (a pool sits in one hall, a scalable unit's racks hold no other nodes), so
 * Kueue's topology-aware scheduling can place a job inside one network domain. Every on-prem node carries
 * the first three from its registration (pipeline/model/onprem-nodes.ts), the kubelet sets the last.
 */
export const ONPREM_TOPOLOGY_LEVELS = [LABEL_HALL, LABEL_SCALABLE_UNIT, LABEL_RACK, HOSTNAME_LABEL] as const;
/** `system` on the untainted CPU nodes of an EKS cluster (CoreDNS, Kueue, operators). */
export const LABEL_ROLE = 'gigawatt.dev/role';

export type AcceleratorKind = 'nvidia' | 'neuron';

export interface Taint {
  readonly key: string;
  readonly value: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** nvidia for NVIDIA GPUs, neuron for AWS Trainium/Inferentia; undefined when the type is unknown. */
export const acceleratorKind = (pool: ResolvedPool): AcceleratorKind | undefined =>
  pool.acceleratorVendor === 'nvidia' ? 'nvidia' : pool.acceleratorVendor === 'aws' ? 'neuron' : undefined;

/** Extended resource the device plugin advertises for the pool's accelerators. */
export const acceleratorResource = (kind: AcceleratorKind): string =>
  kind === 'nvidia' ? 'nvidia.com/gpu' : 'aws.amazon.com/neuron';

/** Labels every node of the pool carries: the plan's own labels plus gigawatt's, keys sorted. */
export function poolNodeLabels(pool: ResolvedPool): Record<string, string> {
  const labels: Record<string, string> = { ...(pool.spec.labels ?? {}) };
  labels[LABEL_POOL] = pool.name;
  labels[LABEL_SITE] = pool.spec.site;
  const kind = acceleratorKind(pool);
  if (kind) labels[LABEL_ACCELERATOR] = kind;
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

/** Taints that keep non-accelerator pods off the pool's nodes. */
export function poolNodeTaints(pool: ResolvedPool): Taint[] {
  const kind = acceleratorKind(pool);
  return kind ? [{ key: acceleratorResource(kind), value: 'present', effect: 'NoSchedule' }] : [];
}
