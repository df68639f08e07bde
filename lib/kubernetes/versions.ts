/**
 * Every container image and API version the manifests use, pinned in one place. Update them here only.
 */
export const IMAGES = {
  /** NVIDIA/k8s-device-plugin deployments/static/nvidia-device-plugin.yml (commit 1c3a10be). */
  nvidiaDevicePlugin: 'nvcr.io/nvidia/k8s-device-plugin:v0.17.1',
  /** aws-neuron/aws-neuron-sdk src/k8/k8s-neuron-device-plugin.yml (commit 28e8dce0). */
  neuronDevicePlugin: 'public.ecr.aws/neuron/neuron-device-plugin:2.12.5.0',
  /**
   * aws/eks-charts stable/aws-efa-k8s-device-plugin image (us-west-2 ECR). v0.5.10 or later: earlier versions
   * count the NVLink ibp* devices of p6-b200 as EFA devices (aws/sagemaker-hyperpod-cli PR #282).
   */
  efaDevicePlugin: '602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/aws-efa-k8s-device-plugin:v0.5.10',
} as const;

/** Kueue API group/version (v1beta2 is the storage version since Kueue v0.16; CRDs vendored at v0.19.2 for tests). */
export const KUEUE_API = 'kueue.x-k8s.io/v1beta2';
