/**
 * Every API version the manifests use, pinned in one place; the images are pinned in model/images.ts (the
 * image-pull rule reads them there).
 */
export { IMAGES, efaDevicePluginImage } from '../model/images';

/** Kueue API group/version (v1beta2 is the storage version since Kueue v0.16; CRDs vendored at v0.19.2 for tests). */
export const KUEUE_API = 'kueue.x-k8s.io/v1beta2';
