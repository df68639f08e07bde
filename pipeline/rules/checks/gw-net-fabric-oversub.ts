import type { Finding, Rule } from '../rule';
import { fabricTarget } from '../rule';

/** The fat tree delivers the oversubscription asked within three tiers. */
export const netFabricOversub: Rule = {
  id: 'GW-NET-FABRIC-OVERSUB',
  severity: 'error',
  category: 'network',
  title:
    'Each on-prem fabric can be built as asked: the oversubscription asked within three tiers at the switch radix',
  explanation:
    'A rail-optimized fat tree of radix R holds at most R·(R/2)·(R/2) leaf uplinks in three tiers. Beyond that the fabric can only be built by oversubscribing more than the plan asked (or with a higher-radix switch).',
  check(plan) {
    const out: Finding[] = [];
    for (const f of plan.fabrics) {
      const s = f.sizing;
      if (!s || s.feasible) continue;
      out.push({
        path: ['fabrics', f.index, 'switchRadix'],
        target: fabricTarget(f.name),
        message: `Fabric '${f.name}': ${s.endpoints.toLocaleString('en-US')} endpoints need ${s.leaves.toLocaleString('en-US')} leaves; at radix ${f.spec.switchRadix} three tiers cannot connect them at ${f.spec.oversubscription ?? 1}:1.`,
        hint: 'Use a higher-radix switch (e.g. 144-port Quantum-X800), split the fabric, or accept more oversubscription.',
      });
    }
    return out;
  },
};
