import { exceedsLimit } from '../../util/exact';
import type { QuotaFamily } from '../../catalog';
import type { Finding, Rule } from '../rule';
import { siteTarget } from '../rule';
import { awsSitePools, fmt, listed } from '../select';

/** vCPU quotas per family hold the whole plan, per site. */
export const capQuota: Rule = {
  id: 'GW-CAP-QUOTA',
  severity: 'error',
  category: 'capacity',
  title:
    'The vCPU quota of each instance family holds all pools of the site together (on-demand and spot separately)',
  explanation:
    'EC2 limits running instances by vCPUs per family and region (P, G and VT, Trn, Inf; on-demand and spot separately). Tools that dry-run one instance never see that the whole plan exceeds the quota. Capacity Block instances do not count against on-demand quotas. A family without a declared quota is reported as not checked.',
  relatedIds: ['ParallelCluster dry run (one instance only)'],
  check(plan) {
    const out: Finding[] = [];
    for (const site of plan.sites.filter((s) => s.provider === 'aws')) {
      const pools = awsSitePools(site);
      for (const market of ['on-demand', 'spot'] as const) {
        const need = new Map<QuotaFamily, { vcpus: number; pools: string[] }>();
        for (const p of pools) {
          const counts =
            market === 'spot'
              ? p.capacityType === 'spot'
              : p.capacityType === 'on-demand' || p.capacityType === 'odcr';
          if (!counts) continue;
          const fam = p.instance!.quotaFamily;
          const entry = need.get(fam) ?? { vcpus: 0, pools: [] };
          entry.vcpus += p.vcpus ?? 0;
          entry.pools.push(`${p.name} ${fmt(p.vcpus ?? 0)}`);
          need.set(fam, entry);
        }
        const key = market === 'spot' ? 'spotQuotas' : 'quotas';
        const quotas = site.spec[key] as Partial<Record<QuotaFamily, number>> | undefined;
        for (const [fam, { vcpus, pools }] of [...need.entries()].sort()) {
          const quota = quotas?.[fam];
          const path = ['sites', site.index, key];
          if (quota === undefined)
            out.push({
              path,
              target: siteTarget(site.name),
              severity: 'warning',
              message: `Site '${site.name}': no ${market} vCPU quota declared for family ${fam}; ${fmt(vcpus)} vCPUs (${listed(pools)}) not checked.`,
              hint: `Add ${key}: { ${fam}: <vCPUs> } from Service Quotas, or run with --live.`,
            });
          else if (exceedsLimit(vcpus, quota))
            out.push({
              path: [...path, fam],
              target: siteTarget(site.name),
              message: `Site '${site.name}': ${market} ${fam} instances need ${fmt(vcpus)} vCPUs (${listed(pools)}) but the quota is ${fmt(quota)}.`,
              hint: `Request a quota of at least ${fmt(vcpus)} vCPUs, shrink the pools, or move them to Capacity Blocks.`,
            });
        }
      }
    }
    return out;
  },
};
