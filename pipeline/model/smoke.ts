/**
 * What the one-node smoke test of a pool asks for: one pod on one Kubernetes node, holding all of that node's
 * accelerators and EFA devices, with a modest cpu and memory request. The renderer
 * (pipeline/kubernetes/smoke.ts) writes these numbers, and they are within the pool's ClusterQueue quotas
 * (pipeline/model/queues.ts) so that Kueue can admit the Job.
 */
import { efaDevicesPerNode } from './efa';
import { acceleratorKind, acceleratorResource } from './labels';
import { RESOURCE_CPU, RESOURCE_EFA, RESOURCE_MEMORY } from './queues';
import type { ResolvedPool } from './index';

/**
 * Memory per accelerator of the smoke pod, in MiB: aws-samples/awsome-distributed-training
 * micro-benchmarks/nccl-tests/kubernetes/nccl-tests.yaml (@7217859f) gives each 8-GPU worker 32000Mi, i.e.
 * 4000Mi per rank. Neuron pools get the same per device (policy: no vendor figure for nccom-test).
 */
export const SMOKE_MEMORY_MIB_PER_ACCELERATOR = 4000;
/** CPU cores per accelerator of the smoke pod (policy: one core per rank; the ranks mostly wait on the devices). */
export const SMOKE_CPU_PER_ACCELERATOR = 1;

export interface SmokeTestRequests {
  /** Accelerators on one Kubernetes node: the ranks of the NVIDIA test, the devices of the Neuron test. */
  readonly accelerators: number;
  /** EFA devices of one node, 0 without EFA. */
  readonly efa: number;
  /** Resource name → Kubernetes quantity, in the order the ClusterQueue covers them. */
  readonly requests: Readonly<Record<string, number | string>>;
}

/** The smoke pod's requests, or undefined for a pool without accelerators. */
export function smokeTestRequests(pool: ResolvedPool): SmokeTestRequests | undefined {
  const kind = acceleratorKind(pool);
  if (!kind) return undefined;
  // A system (GB200 NVL72 rack) is several Kubernetes nodes.
  const hosts = pool.system?.kubernetesNodesPerSystem?.value ?? 1;
  const accelerators = Math.floor(pool.acceleratorsPerNode / hosts);
  if (accelerators < 1) return undefined;
  const efa = pool.efa && pool.instance ? efaDevicesPerNode(pool.instance) : 0;
  return {
    accelerators,
    efa,
    requests: {
      [RESOURCE_CPU]: SMOKE_CPU_PER_ACCELERATOR * accelerators,
      [RESOURCE_MEMORY]: `${SMOKE_MEMORY_MIB_PER_ACCELERATOR * accelerators}Mi`,
      [acceleratorResource(kind)]: accelerators,
      ...(efa > 0 ? { [RESOURCE_EFA]: efa } : {}),
    },
  };
}
