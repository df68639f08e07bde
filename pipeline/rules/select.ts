/** Selections the rules share. */
import type { ResolvedPlan, ResolvedPool, ResolvedSite } from '../model';

/** Pools of a known EC2 type in an AWS site. */
export const awsPools = (plan: ResolvedPlan): ResolvedPool[] =>
  plan.pools.filter((p) => p.kind === 'ec2' && p.site?.provider === 'aws');
/** Pools of a known EC2 type in one AWS site (the site's own list: no scan of every pool per site). */
export const awsSitePools = (site: ResolvedSite): ResolvedPool[] =>
  site.provider === 'aws' ? site.pools.filter((p) => p.kind === 'ec2') : [];
/** Pools of a known on-prem system in an on-prem site. */
export const onpremPools = (plan: ResolvedPlan): ResolvedPool[] =>
  plan.pools.filter((p) => p.kind === 'onprem' && p.site?.provider === 'onprem');
export { formatCount as fmt, listed } from '../util/format';
