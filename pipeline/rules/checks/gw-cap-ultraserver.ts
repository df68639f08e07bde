import type { Finding, Rule } from '../rule';
import { poolTarget } from '../rule';
import { awsPools } from '../select';

/** UltraServer pools hold whole UltraServers. */
export const capUltraServer: Rule = {
  id: 'GW-CAP-ULTRASERVER',
  severity: 'error',
  category: 'capacity',
  title:
    'UltraServer pools hold whole UltraServers (trn2u in 4s, p6e-gb200 in 9s or 18s, Trn3 per generation)',
  explanation:
    'UltraServer instances share one NeuronLink or NVLink domain and are sold as whole UltraServers (one Capacity Block per UltraServer). A pool that is not a multiple of the UltraServer size cannot be launched as asked and strands accelerators outside the domain.',
  relatedIds: ['ParallelCluster PR #6928'],
  check(plan) {
    const out: Finding[] = [];
    for (const p of awsPools(plan)) {
      const us = p.instance!.ultraServer;
      if (!us) continue;
      const sizes = us.instancesPerUltraServer.value;
      if (!sizes.some((s) => p.nodes % s === 0))
        out.push({
          path: ['pools', p.index, 'instances'],
          target: poolTarget(p.name),
          message: `Pool '${p.name}': ${p.nodes} × ${p.typeName} is not a whole number of ${us.name}s (${sizes.join(' or ')} instances each).`,
          hint: `Use a multiple of ${sizes.join(' or ')}, e.g. ${Math.max(sizes[0], Math.round(p.nodes / sizes[0]) * sizes[0])}.`,
        });
    }
    return out;
  },
};
