/**
 * What every on-prem node must carry when it registers: the labels the Kueue flavors, the Topology levels
 * and the device-plugin affinities select on, and the taint the flavors tolerate. Derived from the rack
 * plan (racks.ts), one entry per rack: nodes of a rack differ only by host name, which the kubelet sets
 * itself (kubernetes.io/hostname), so the output grows with racks, never with nodes.
 *
 * Only gigawatt.dev/* keys and the plan's own labels are set, so the kubelet may set every one of them with
 * --node-labels: it refuses kubernetes.io and k8s.io keys outside a short allowed list (kubernetes/kubernetes
 * pkg/kubelet/apis/well_known_labels.go, KubeletLabels; the NodeRestriction admission plugin enforces the
 * same), and GW-PLAN-LABELS keeps plan labels out of those domains.
 */
import type { ResolvedPlan, ResolvedPool, ResolvedSite } from './index';
import {
  LABEL_HALL,
  LABEL_RACK,
  LABEL_SCALABLE_UNIT,
  poolNodeLabels,
  poolNodeTaints,
  type Taint,
} from './labels';
import { poolRacks, rackName, scalableUnitName, systemName } from './racks';

export interface RackRegistration {
  readonly site: string;
  readonly hall: string;
  /** The rack's name (racks.csv, gigawatt.dev/rack). */
  readonly rack: string;
  readonly pool: string;
  /** The scalable unit's name (gigawatt.dev/scalable-unit). */
  readonly scalableUnit: string;
  /** Systems of the pool in the rack, as racks.csv names them: first and last. */
  readonly firstSystem: string;
  readonly lastSystem: string;
  /** Kubernetes nodes (hosts) in the rack: systems × hosts per system (18 per GB200 NVL72 rack). */
  readonly kubernetesNodes: number;
  /** Every label the rack's nodes register with, keys sorted. */
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
}

/** The labels a node of the pool in this rack must carry: the pool's, plus hall, scalable unit and rack. */
export function rackNodeLabels(
  pool: ResolvedPool,
  hall: string,
  scalableUnit: string,
  rack: string,
): Record<string, string> {
  const labels: Record<string, string> = {
    ...poolNodeLabels(pool),
    [LABEL_HALL]: hall,
    [LABEL_SCALABLE_UNIT]: scalableUnit,
    [LABEL_RACK]: rack,
  };
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

/** Per rack of the site's placed on-prem pools (pools without a placement, e.g. no hall, have none). */
export function siteRackRegistrations(site: ResolvedSite): RackRegistration[] {
  const out: RackRegistration[] = [];
  for (const pl of site.placement?.pools ?? []) {
    if (!pl.hall || !pl.racks) continue;
    const pool = pl.pool;
    const hostsPerSystem = pool.nodes ? pool.kubernetesNodes / pool.nodes : 1;
    const taints = poolNodeTaints(pool);
    for (const r of poolRacks(pl)) {
      const rack = rackName(pl.hall.name, r.rack);
      const su = scalableUnitName(pool.name, r.scalableUnit);
      out.push({
        site: site.name,
        hall: pl.hall.name,
        rack,
        pool: pool.name,
        scalableUnit: su,
        firstSystem: systemName(pool.name, r.firstSystem),
        lastSystem: systemName(pool.name, r.firstSystem + r.systems - 1),
        kubernetesNodes: r.systems * hostsPerSystem,
        labels: rackNodeLabels(pool, pl.hall.name, su, rack),
        taints,
      });
    }
  }
  return out;
}

/** `--node-labels` and `--register-with-taints` of the kubelet for a rack's nodes (kubelet command-line reference). */
export function kubeletRegistrationFlags(r: RackRegistration): string[] {
  const flags = [
    `--node-labels=${Object.entries(r.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',')}`,
  ];
  if (r.taints.length)
    flags.push(`--register-with-taints=${r.taints.map((t) => `${t.key}=${t.value}:${t.effect}`).join(',')}`);
  return flags;
}

/** Name of the EKS cluster of an AWS site (the GpuCluster construct names it so). */
export const eksClusterName = (plan: ResolvedPlan, site: string): string => `${plan.name}-${site}`;

/** The IAM roles the GpuCluster construct creates for a cluster: `<cluster>-<role>`. */
export type ClusterRole = 'cluster' | 'node' | 'hybrid';
export const iamRoleName = (plan: ResolvedPlan, site: string, role: ClusterRole): string =>
  `${eksClusterName(plan, site)}-${role}`;
/**
 * IAM role names are at most 64 characters (IAM User Guide, IAM object quotas; hashicorp/aws 5.100.0
 * aws_iam_role refuses a longer name at terraform validate: "expected length of name to be in the range
 * (1 - 64)").
 */
export const IAM_ROLE_NAME_MAX = 64;
