/**
 * The Pulumi program that deploys gigawatt's Kubernetes objects with @pulumi/kubernetes: the very same
 * objects `gigawatt synth` writes as YAML. Run it with `pulumi up` from stacks/ (Pulumi.yaml), with
 * GIGAWATT_PLAN naming the plan and GIGAWATT_CLUSTER the cluster (default: the plan's first cluster) and
 * the kubeconfig of that cluster.
 */
import type * as pulumi from '@pulumi/pulumi';
import type { KubeObject } from '../pipeline/kubernetes/types';
import { requireOptional } from '../pipeline/util/optional';

// Optional peers: without them, importing gigawatt/pulumi says which package to install.
const k8s = requireOptional(
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  () => require('@pulumi/kubernetes') as typeof import('@pulumi/kubernetes'),
  ['@pulumi/pulumi', '@pulumi/kubernetes'],
  'gigawatt/pulumi',
);

/** Registers every object, in order, and returns the Pulumi resources keyed by `<kind>/<namespace>/<name>`. */
export function deployKubernetesObjects(
  objects: readonly KubeObject[],
  opts: pulumi.CustomResourceOptions = {},
): Map<string, pulumi.CustomResource> {
  const out = new Map<string, pulumi.CustomResource>();
  let previous: pulumi.CustomResource | undefined;
  for (const obj of objects) {
    const id = `${obj.kind}/${obj.metadata.namespace ?? '_'}/${obj.metadata.name}`;
    // Objects depend on the one before, so namespaces and CRD-backed kinds apply in file order.
    const o: pulumi.CustomResourceOptions = { ...opts, dependsOn: previous ? [previous] : [] };
    // The objects are plain data of exactly these kinds (checked against the Kubernetes schemas in the tests).
    const args = obj as never;
    let res: pulumi.CustomResource;
    switch (`${obj.apiVersion}/${obj.kind}`) {
      case 'v1/Namespace':
        res = new k8s.core.v1.Namespace(id, args, o);
        break;
      case 'v1/ConfigMap':
        res = new k8s.core.v1.ConfigMap(id, args, o);
        break;
      case 'v1/ServiceAccount':
        res = new k8s.core.v1.ServiceAccount(id, args, o);
        break;
      case 'apps/v1/DaemonSet':
        res = new k8s.apps.v1.DaemonSet(id, args, o);
        break;
      case 'rbac.authorization.k8s.io/v1/ClusterRole':
        res = new k8s.rbac.v1.ClusterRole(id, args, o);
        break;
      case 'rbac.authorization.k8s.io/v1/ClusterRoleBinding':
        res = new k8s.rbac.v1.ClusterRoleBinding(id, args, o);
        break;
      case 'scheduling.k8s.io/v1/PriorityClass':
        res = new k8s.scheduling.v1.PriorityClass(id, args, o);
        break;
      case 'resource.k8s.io/v1/ResourceClaimTemplate':
        res = new k8s.resource.v1.ResourceClaimTemplate(id, args, o);
        break;
      default:
        res = new k8s.apiextensions.CustomResource(id, args, o);
    }
    out.set(id, res);
    previous = res;
  }
  return out;
}
