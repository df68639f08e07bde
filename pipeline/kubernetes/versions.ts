/**
 * Every API version the manifests use, pinned in one place; the images are pinned in model/images.ts (the
 * image-pull rule reads them there).
 */
export { IMAGES, efaDevicePluginImage } from '../model/images';

/** Kueue API group/version (v1beta2 is the storage version since Kueue v0.16; CRDs vendored at v0.19.2 for tests). */
export const KUEUE_API = 'kueue.x-k8s.io/v1beta2';

/**
 * The Kueue release the manifests target: kubernetes-sigs/kueue tag v0.19.2 (commit 8eab6877, the tag the
 * vendored CRDs in test/fixtures/vendor/kueue come from). It is installed from the release's own
 * manifests.yaml, as the Kueue installation guide says (site/content/en/docs/getting-started/installation.md
 * at v0.19.2, "Install by kubectl"); gigawatt ships its configuration (kueue-manager-config) and queues.
 */
export const KUEUE_VERSION = 'v0.19.2';

/** The release manifests of KUEUE_VERSION. */
export const KUEUE_MANIFESTS_URL = `https://github.com/kubernetes-sigs/kueue/releases/download/${KUEUE_VERSION}/manifests.yaml`;

/** API group/version of Kueue's manager configuration (apis/config/v1beta2, Kind Configuration). */
export const KUEUE_CONFIG_API = 'config.kueue.x-k8s.io/v1beta2';
