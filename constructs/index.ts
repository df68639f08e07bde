/**
 * cdktf constructs for a cdktf app of your own (`import { GpuCluster } from 'gigawatt/constructs'`):
 * `GpuCluster` (an EKS cluster with its system nodes, add-ons and access), `AcceleratorPool` (node groups
 * with the type's EFA layout and capacity), `NetworkFabric` (a VPC and subnets, or
 * `NetworkFabric.fromExisting`), `PowerEnvelope` (a site's power and racks as outputs). Every rule of
 * `gigawatt validate` runs on them at synth and fails with the same rule ids. `cdktf`, `constructs` and
 * `@cdktf/provider-aws` are peer dependencies: the app and gigawatt share one copy of each.
 *
 * @module gigawatt/constructs
 */
export * from './accelerator-pool';
export * from './gpu-cluster';
export * from './interfaces';
export * from './network-fabric';
export * from './power-envelope';
export * from './stacks';
export * from './synth';
