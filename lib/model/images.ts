/**
 * Every container image gigawatt's Kubernetes output runs, pinned in one place, and where each is pulled
 * from: the model owns the list so that GW-NET-IMAGE-PULL can check, before deployment, that every node
 * can reach every registry it pulls from.
 */
import { eksImageRegistry } from '../catalog';
import { efaDevicesPerNode } from './efa';
import type { ResolvedPool } from './index';
import { acceleratorKind } from './labels';

/** Pools that get each device plugin. */
export const nvidiaPools = (pools: readonly ResolvedPool[]) =>
  pools.filter((p) => acceleratorKind(p) === 'nvidia');
export const neuronPools = (pools: readonly ResolvedPool[]) =>
  pools.filter((p) => acceleratorKind(p) === 'neuron' && p.kind === 'ec2');
export const efaPools = (pools: readonly ResolvedPool[]) =>
  pools.filter((p) => p.efa && p.instance !== undefined && efaDevicesPerNode(p.instance) > 0);

/** The AWS region of a cluster's EC2 pools (all in the AWS site that hosts the cluster). */
export const regionOf = (pools: readonly ResolvedPool[]): string | undefined =>
  pools.find((p) => p.kind === 'ec2')?.site?.spec.region;

export const IMAGES = {
  /**
   * NVIDIA/k8s-device-plugin release v0.20.0 (tag = commit 1b826acc, 2026-08-19), the image its static manifest
   * runs: https://github.com/NVIDIA/k8s-device-plugin/blob/v0.20.0/deployments/static/nvidia-device-plugin.yml
   */
  nvidiaDevicePlugin: 'nvcr.io/nvidia/k8s-device-plugin:v0.20.0',
  /** aws-neuron/aws-neuron-sdk src/k8/k8s-neuron-device-plugin.yml (commit 28e8dce0). */
  neuronDevicePlugin: 'public.ecr.aws/neuron/neuron-device-plugin:2.12.5.0',
} as const;

/**
 * aws/eks-charts stable/aws-efa-k8s-device-plugin, from the EKS ECR registry of the cluster's own region
 * (the chart's `image.repository` is the us-west-2 host; EKS replicates the image to every region's
 * registry, listed in the catalog). v0.5.10 or later: earlier versions count the NVLink ibp* devices of
 * p6-b200 as EFA devices (aws/sagemaker-hyperpod-cli PR #282). Undefined for a region the guide does not list.
 */
export const EFA_DEVICE_PLUGIN_TAG = 'eks/aws-efa-k8s-device-plugin:v0.5.10';
export const efaDevicePluginImage = (region: string): string | undefined => {
  const registry = eksImageRegistry(region);
  return registry && `${registry}/${EFA_DEVICE_PLUGIN_TAG}`;
};

/** An image and the pools whose nodes run it. */
export interface PoolImage {
  readonly image: string;
  readonly pools: readonly ResolvedPool[];
}

/**
 * The images the device-plugin DaemonSets of one cluster run, with the pools that pull them: the NVIDIA
 * plugin on NVIDIA pools, the Neuron plugin on Neuron pools, the EFA plugin on EFA pools (its image from
 * the cluster's AWS region).
 */
export function poolImages(pools: readonly ResolvedPool[]): PoolImage[] {
  const region = regionOf(pools);
  const out: PoolImage[] = [];
  const add = (image: string | undefined, selected: ResolvedPool[]) => {
    if (image && selected.length) out.push({ image, pools: selected });
  };
  add(IMAGES.nvidiaDevicePlugin, nvidiaPools(pools));
  add(IMAGES.neuronDevicePlugin, neuronPools(pools));
  add(region && efaDevicePluginImage(region), efaPools(pools));
  return out;
}

/** The registry host of an image reference (`host/path:tag`). */
export const registryOf = (image: string): string => image.split('/')[0];
