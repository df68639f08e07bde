/**
 * cdktf constructs for a cdktf app of your own (`import { GpuCluster } from 'gigawatt/constructs'`):
 * `GpuCluster` (an EKS cluster with its system nodes, add-ons and access), `AcceleratorPool` (node groups
 * with the type's EFA layout and capacity), `NetworkFabric` (a VPC and subnets, or
 * `NetworkFabric.fromExisting`), `PowerEnvelope` (a site's power and racks as outputs). Every rule of
 * `gigawatt validate` runs on them at synth and fails with the same rule ids. `cdktf`, `constructs` and
 * `@cdktf/provider-aws` are peer dependencies: the app and gigawatt share one copy of each.
 *
 * Only the constructs, their props and interfaces, and `buildStacks` (a plan's stacks in your own app) are
 * public; the rest (AMI types, add-on lists, node-group arithmetic) is internal and may change.
 *
 * @module gigawatt/constructs
 */
export { AcceleratorPool, type AcceleratorPoolProps } from './accelerator-pool';
export {
  GpuCluster,
  type GpuClusterAttributes,
  type GpuClusterOptions,
  type GpuClusterProps,
  type PoolOptions,
  type ReservationOptions,
} from './gpu-cluster';
export type { IGpuCluster, INetworkFabric } from './interfaces';
export { NetworkFabric, type ExistingNetworkAttributes, type NetworkFabricProps } from './network-fabric';
export { PowerEnvelope, type PowerEnvelopeProps } from './power-envelope';
export { buildStacks, type StackOptions } from './stacks';
