import {
  labelKeyProblems,
  labelValueProblems,
  RESERVED_LABEL_DOMAINS,
  reservedLabelDomain,
} from '../../model/kube-names';
import type { Finding, Rule } from '../rule';
import { poolTarget } from '../rule';

/** Show a long plan string by its start and length, never whole. */
const shown = (s: string): string =>
  s.length > 72 ? `'${s.slice(0, 60)}…' (${s.length} characters)` : `'${s}'`;

/** Pool labels are valid Kubernetes labels outside the reserved domains. */
export const planLabels: Rule = {
  id: 'GW-PLAN-LABELS',
  severity: 'error',
  category: 'plan',
  title: 'Pool node labels are valid Kubernetes labels and outside the reserved domains',
  explanation:
    'Pool labels are set on every node (node groups, kubelet). Kubernetes allows a key of an optional DNS-subdomain prefix of at most 253 characters, "/", and a name of 1-63 letters, digits, "-", "_" or "."; a value of at most 63 such characters (k8s.io/apimachinery IsQualifiedName, IsValidLabelValue). A label outside those limits fails node registration or the node-group API call at deploy time. The kubernetes.io and k8s.io domains belong to Kubernetes (the kubelet refuses most of them) and gigawatt.dev to gigawatt, whose pool labels the device plugins and Kueue select on.',
  check(plan) {
    const out: Finding[] = [];
    for (const pool of plan.pools) {
      for (const [key, value] of Object.entries(pool.spec.labels ?? {})) {
        const path = ['pools', pool.index, 'labels', key];
        const target = poolTarget(pool.name);
        const keyProblems = labelKeyProblems(key);
        if (keyProblems.length)
          out.push({
            path,
            atKey: true,
            target,
            message: `Pool '${pool.name}' label key ${shown(key)} is not a valid Kubernetes label key: ${keyProblems.join('; ')}.`,
            hint: 'Use [prefix/]name, e.g. example.com/team: a DNS-subdomain prefix of at most 253 characters and a name of 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit.',
          });
        const domain = reservedLabelDomain(key);
        if (domain)
          out.push({
            path,
            atKey: true,
            target,
            message: `Pool '${pool.name}' label ${shown(key)} is in the reserved domain ${domain}: ${RESERVED_LABEL_DOMAINS[domain]}.`,
            hint: 'Put the label under a domain you own, e.g. example.com/role.',
          });
        const valueProblems = labelValueProblems(value);
        if (valueProblems.length)
          out.push({
            path,
            target,
            message: `Pool '${pool.name}' label ${shown(key)} has value ${shown(value)}, which is not a valid Kubernetes label value: ${valueProblems.join('; ')}.`,
            hint: 'Use at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit (or an empty value).',
          });
      }
    }
    return out;
  },
};
