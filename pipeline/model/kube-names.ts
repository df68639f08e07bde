/**
 * Kubernetes naming limits and reserved names, as the API server and kubelet enforce them, so that
 * `gigawatt validate` refuses what `kubectl apply` or a node's registration would refuse later.
 *
 * Label syntax follows k8s.io/apimachinery (kubernetes/kubernetes
 * staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go, IsQualifiedName = content.IsLabelKey,
 * IsValidLabelValue = content.IsLabelValue, IsDNS1123Subdomain): a key is an optional DNS-1123 subdomain
 * prefix of at most 253 characters and a `/`, then a name of 1-63 characters; a value is empty or 1-63
 * characters. https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
 */

/** DNS1123SubdomainMaxLength. */
export const LABEL_PREFIX_MAX = 253;
/** qualifiedNameMaxLength. */
export const LABEL_NAME_MAX = 63;
/** LabelValueMaxLength. */
export const LABEL_VALUE_MAX = 63;

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** What is wrong with a label key, in words; empty when Kubernetes accepts it. */
export function labelKeyProblems(key: string): string[] {
  const parts = key.split('/');
  if (parts.length > 2) return ['it has more than one "/"; a key is [prefix/]name'];
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  const out: string[] = [];
  if (prefix !== undefined) {
    if (prefix.length === 0) out.push('the prefix before "/" is empty');
    else {
      if (prefix.length > LABEL_PREFIX_MAX)
        out.push(`the prefix is ${prefix.length} characters; at most ${LABEL_PREFIX_MAX} are allowed`);
      if (!DNS1123_SUBDOMAIN.test(prefix))
        out.push(
          'the prefix must be a DNS subdomain: lower-case letters, digits, "-" and ".", each dot-separated part starting and ending with a letter or digit',
        );
    }
  }
  if (name.length === 0) out.push('the name part is empty');
  else {
    if (name.length > LABEL_NAME_MAX)
      out.push(`the name part is ${name.length} characters; at most ${LABEL_NAME_MAX} are allowed`);
    if (!QUALIFIED_NAME.test(name))
      out.push(
        'the name part may hold only letters, digits, "-", "_" and ".", and must start and end with a letter or digit',
      );
  }
  return out;
}

/** What is wrong with a label value, in words; empty when Kubernetes accepts it. */
export function labelValueProblems(value: string): string[] {
  if (value.length === 0) return [];
  const out: string[] = [];
  if (value.length > LABEL_VALUE_MAX)
    out.push(`it is ${value.length} characters; at most ${LABEL_VALUE_MAX} are allowed`);
  if (!QUALIFIED_NAME.test(value))
    out.push(
      'it may hold only letters, digits, "-", "_" and ".", and must start and end with a letter or digit',
    );
  return out;
}

/**
 * Label domains a plan may not set on its nodes, each with the reason. A domain covers its subdomains
 * (node-role.kubernetes.io is under kubernetes.io).
 */
export const RESERVED_LABEL_DOMAINS: Readonly<Record<string, string>> = {
  'kubernetes.io':
    'reserved for Kubernetes core components; the kubelet refuses to register a node with --node-labels under it outside a short allowed list (kubernetes/kubernetes pkg/kubelet/apis/well_known_labels.go), and the NodeRestriction admission plugin stops it from setting them later',
  'k8s.io': 'reserved for Kubernetes core components, like kubernetes.io',
  'gigawatt.dev':
    "gigawatt's own labels (pool, site, accelerator, hall, rack), which the device plugins and Kueue flavors select on; a plan value would be overwritten or, worse, would move nodes between pools",
};

/** The reserved domain a label key falls under, if any. */
export function reservedLabelDomain(key: string): string | undefined {
  const slash = key.indexOf('/');
  if (slash < 0) return undefined;
  const prefix = key.slice(0, slash);
  return Object.keys(RESERVED_LABEL_DOMAINS).find((d) => prefix === d || prefix.endsWith(`.${d}`));
}

/** Device plugins run here (pipeline/kubernetes/namespaces.ts). */
export const DEVICE_PLUGIN_NAMESPACE = 'gigawatt-device-plugins';
/** Kueue's controller namespace in its release manifests (kubernetes-sigs/kueue config/default). */
export const KUEUE_NAMESPACE = 'kueue-system';

/**
 * Namespaces a team may not be given, and why: gigawatt writes a Namespace object for every team
 * namespace, with Pod Security "restricted" enforced, and LocalQueues into it.
 */
export const RESERVED_NAMESPACES: Readonly<Record<string, string>> = {
  default:
    "every cluster's default namespace; gigawatt would relabel it for Pod Security and queue work in it",
  [DEVICE_PLUGIN_NAMESPACE]:
    'where gigawatt runs the device plugins, with a privileged Pod Security exemption that team pods must never get',
  [KUEUE_NAMESPACE]: "Kueue's own controller namespace",
};

/** Why a namespace is reserved, or undefined. Every `kube-` name is reserved for Kubernetes system namespaces. */
export function reservedNamespace(ns: string): string | undefined {
  if (ns.startsWith('kube-'))
    return 'the kube- prefix is reserved for Kubernetes system namespaces (kube-system, kube-public, kube-node-lease)';
  return RESERVED_NAMESPACES[ns];
}
