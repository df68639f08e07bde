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
