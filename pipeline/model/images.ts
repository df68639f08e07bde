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
/**
 * Pools whose Neuron devices come from the Neuron DRA driver instead of the device plugin: Trainium3
 * UltraServers. aws-neuron/aws-neuron-sdk deploy/eks/ultraserver-operator.rst (@81ce03ae): the UltraServer
 * operator works with the DRA driver, needs Kubernetes 1.34+, and "Do not install the Neuron device plugin on
 * the cluster!"; the Neuron Helm chart: the device plugin and the DRA driver "cannot run on the same node".
 * gigawatt writes neither the DRA driver nor the operator (GW-CAP-NEURON-DEVICES says so), and keeps its device
 * plugin and Neuron monitor off these nodes.
 */
export const isNeuronDraPool = (p: ResolvedPool): boolean =>
  acceleratorKind(p) === 'neuron' && p.kind === 'ec2' && p.acceleratorModel === 'Trainium3';
export const neuronDraPools = (pools: readonly ResolvedPool[]) => pools.filter(isNeuronDraPool);
export const neuronPools = (pools: readonly ResolvedPool[]) =>
  pools.filter((p) => acceleratorKind(p) === 'neuron' && p.kind === 'ec2' && !isNeuronDraPool(p));
/** Pools with accelerators, which get the node problem detector and a smoke test. */
export const acceleratorPools = (pools: readonly ResolvedPool[]) => pools.filter((p) => acceleratorKind(p));
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
  /**
   * The image of the vendor's static manifest, aws-neuron/aws-neuron-sdk src/k8/k8s-neuron-device-plugin.yml at
   * commit 81ce03ae (2026-08-21):
   * https://github.com/aws-neuron/aws-neuron-sdk/blob/81ce03ae261e12925e53437a0f690478e6366155/src/k8/k8s-neuron-device-plugin.yml
   * No primary source read here pins a newer tag (the Neuron Helm chart's stored values pin 2.28.27.0 and its
   * README 2.29.149.0), so Trn2 UltraServer pools, which need 2.30.0.0 or later, get a GW-CAP-NEURON-DEVICES warning.
   */
  neuronDevicePlugin: 'public.ecr.aws/neuron/neuron-device-plugin:2.22.4.0',
  /**
   * NVIDIA/dcgm-exporter release 4.5.3-4.8.2 (tag = commit 691c9276, 2026-05-06), the image of its static
   * manifest: https://github.com/NVIDIA/dcgm-exporter/blob/4.5.3-4.8.2/dcgm-exporter.yaml
   */
  dcgmExporter: 'nvcr.io/nvidia/k8s/dcgm-exporter:4.5.3-4.8.2-distroless',
  /**
   * The image of the vendor's Neuron monitor DaemonSet, aws-neuron/aws-neuron-sdk
   * src/k8/k8s-neuron-monitor-daemonset.yml at commit 81ce03ae (2026-08-21):
   * https://github.com/aws-neuron/aws-neuron-sdk/blob/81ce03ae261e12925e53437a0f690478e6366155/src/k8/k8s-neuron-monitor-daemonset.yml
   */
  neuronMonitor: 'public.ecr.aws/neuron/neuron-monitor:1.3.0',
  /**
   * The image kubernetes/node-problem-detector's own manifest deploys, deployment/node-problem-detector.yaml at
   * commit 6632ca67 (2026-08-22):
   * https://github.com/kubernetes/node-problem-detector/blob/6632ca67148f7a23df9cdbd98d9e89b388561a3a/deployment/node-problem-detector.yaml
   * The repository has later tags (v1.36.0), but its manifests still pin v0.8.19, so that is the tag gigawatt uses.
   */
  nodeProblemDetector: 'registry.k8s.io/node-problem-detector/node-problem-detector:v0.8.19',
  /**
   * nccl-tests built with CUDA 12.8.1, EFA installer 1.42.0, aws-ofi-nccl 1.16.0, NCCL 2.27.5 and nccl-tests
   * 2.16.4, the pinned image of aws-samples/awsome-distributed-training
   * 1.architectures/3.aws-batch/aws-batch-distributed-training-p6.yaml at commit 7217859f (2026-02-21):
   * https://github.com/aws-samples/awsome-distributed-training/blob/7217859f67bc693c52ff175ccc6082c41dbd7a1b/1.architectures/3.aws-batch/aws-batch-distributed-training-p6.yaml
   */
  ncclTests: 'public.ecr.aws/hpc-cloud/nccl-tests:cuda12.8.1-efa1.42.0-ofiv1.16.0-ncclv2.27.5-1-testsv2.16.4',
  /**
   * The Neuron PyTorch training container, which ships aws-neuronx-tools (neuron-ls, nccom-test): the tag of
   * aws-neuron/aws-neuron-sdk deploy/docker-examples/training/Dockerfile-training-dlc at commit 81ce03ae; the
   * package list per image is deploy/environments/neuron_dlc_images.csv.
   */
  neuronSmokeTest: 'public.ecr.aws/neuron/pytorch-training-neuronx:2.9.0-neuronx-py310-sdk2.27.0-ubuntu24.04',
} as const;

/**
 * The oldest Neuron device plugin the UltraServer guide accepts on Trn2 UltraServers: "Neuron Device Plugin
 * installed on the cluster with version >= 2.30.0.0", aws-neuron/aws-neuron-sdk deploy/eks/ultraserver.rst
 * (@81ce03ae) https://github.com/aws-neuron/aws-neuron-sdk/blob/81ce03ae261e12925e53437a0f690478e6366155/deploy/eks/ultraserver.rst
 */
export const NEURON_ULTRASERVER_MIN_DEVICE_PLUGIN = '2.30.0.0';

/** The Kubernetes version the Neuron DRA driver and UltraServer operator need ("K8s control plane 1.34+", ultraserver-operator.rst). */
export const NEURON_DRA_MIN_KUBERNETES = '1.34';

/** The tag of an image reference (`host/path:tag`). */
export const imageTag = (image: string): string => image.slice(image.lastIndexOf(':') + 1);

/** Compare dotted version numbers (`2.22.4.0`, `1.34`, an optional leading v): negative, 0 or positive. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.replace(/^v/, '').split('.').map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

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
 * The images the nodes of one cluster run, with the pools that pull them: the NVIDIA plugin and DCGM exporter
 * on NVIDIA pools, the Neuron plugin and monitor on Neuron pools, the node problem detector on every
 * accelerator pool, the EFA plugin on EFA pools (its image from the cluster's AWS region), and each pool's
 * smoke-test image.
 */
export function poolImages(pools: readonly ResolvedPool[]): PoolImage[] {
  const region = regionOf(pools);
  const out: PoolImage[] = [];
  const add = (image: string | undefined, selected: ResolvedPool[]) => {
    if (image && selected.length) out.push({ image, pools: selected });
  };
  add(IMAGES.nvidiaDevicePlugin, nvidiaPools(pools));
  add(IMAGES.dcgmExporter, nvidiaPools(pools));
  add(IMAGES.neuronDevicePlugin, neuronPools(pools));
  add(IMAGES.neuronMonitor, neuronPools(pools));
  add(IMAGES.nodeProblemDetector, acceleratorPools(pools));
  // Pulled when an operator runs the smoke tests (smoke-tests.yaml).
  add(IMAGES.ncclTests, nvidiaPools(pools));
  add(IMAGES.neuronSmokeTest, neuronPools(pools));
  add(region && efaDevicePluginImage(region), efaPools(pools));
  return out;
}

/** The registry host of an image reference (`host/path:tag`). */
export const registryOf = (image: string): string => image.split('/')[0];
