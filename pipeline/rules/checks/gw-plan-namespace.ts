import { reservedNamespace } from '../../model/kube-names';
import type { Finding, Rule } from '../rule';

/** No team is given a reserved namespace. */
export const planNamespace: Rule = {
  id: 'GW-PLAN-NAMESPACE',
  severity: 'error',
  category: 'plan',
  title: 'No team namespace is a Kubernetes system namespace or one gigawatt uses itself',
  explanation:
    'gigawatt writes a Namespace object (Pod Security "restricted" enforced) and LocalQueues for every team namespace. Given kube-system, kube-public, kube-node-lease or any other kube- name, default, gigawatt-device-plugins or kueue-system, it would relabel a system namespace, lock the device plugins out of their privileged exemption, or let a team\'s pods run where the cluster\'s controllers do.',
  check(plan) {
    const out: Finding[] = [];
    (plan.spec.kubernetes?.queues?.teams ?? []).forEach((team, i) => {
      const ns = team.namespace ?? team.name;
      const why = reservedNamespace(ns);
      if (!why) return;
      out.push({
        path: ['kubernetes', 'queues', 'teams', i, team.namespace !== undefined ? 'namespace' : 'name'],
        target: `kubernetes.queues.teams.${team.name}`,
        message: `Team '${team.name}' would use namespace '${ns}', which is reserved: ${why}.`,
        hint:
          team.namespace !== undefined
            ? `Give the team a namespace of its own, e.g. namespace: team-${team.name}.`
            : `Rename the team or set namespace: to one of its own, e.g. namespace: team-${team.name}.`,
      });
    });
    return out;
  },
};
