/**
 * Limits on what a plan expands into, checked on the model's aggregate numbers before any resource, row or
 * file is built. The schema bounds each count (10,000,000 nodes per pool, 5,000 pools) but not their product
 * with what each count becomes: a few hundred bytes with `instances: 10000000` would otherwise make synth
 * or diff build 22,223 node groups, and inventory write ten million rows.
 */
import { awsLimit } from '../catalog';
import { GigawattError } from '../util/errors';
import type { ResolvedPlan, ResolvedPool } from './index';

/**
 * Rows `gigawatt inventory` writes at most (racks.csv one per node, switches.csv one per switch): 250,000
 * rows is twice the nodes of a 1M-accelerator fleet of 8-GPU systems.
 */
export const MAX_INVENTORY_ROWS = 250_000;

/**
 * Racks whose node registration `synth` writes at most (kubernetes/<cluster>/nodes/racks.yaml, one entry per
 * placed on-prem rack): 50,000, nearly four times the 13,130 racks of examples/fleet-1m.yaml (1M
 * accelerators). Memory grows with the entries (measured: 49,844 racks of dgx-b200 take synth 0.87 GB and
 * 16 s; 133,334 racks took 2.2 GB), so the bound keeps synth under the 2 GB of the hostile benchmark.
 */
export const MAX_RACK_REGISTRATIONS = 50_000;

const where = (plan: ResolvedPlan, pool: ResolvedPool, field: string): string => {
  const at = plan.source.locate(['pools', pool.index, field]);
  return at ? `${plan.source.file}:${at.line}:${at.col}` : plan.source.file;
};

const largest = (pools: readonly ResolvedPool[]): ResolvedPool =>
  pools.reduce((a, b) => (b.maxNodes > a.maxNodes ? b : a));

/**
 * Terraform is synthesized (synth, diff) only for EKS clusters EKS can run: at most `eksMaxNodesPerCluster`
 * (100,000, the ultra-scale maximum) nodes at the pools' largest size, so node groups per cluster stay
 * within one per pool plus 100,000 / 450. Throws GigawattError (exit 2) at the largest pool's count.
 */
export function assertSynthesizable(plan: ResolvedPlan): void {
  const max = awsLimit('eksMaxNodesPerCluster');
  for (const site of plan.sites.filter((s) => s.provider === 'aws')) {
    const pools = site.pools.filter((p) => p.kind === 'ec2');
    const nodes = pools.reduce((n, p) => n + p.maxNodes, 0);
    if (nodes <= max) continue;
    const big = largest(pools);
    throw new GigawattError(
      'GW-E-TOO-LARGE',
      `${where(plan, big, big.spec.instances !== undefined ? 'instances' : 'maxInstances')}: site '${site.name}' would have ${nodes.toLocaleString('en-US')} nodes in its EKS cluster (${big.name} ${big.maxNodes.toLocaleString('en-US')}); EKS runs at most ${max.toLocaleString('en-US')} per cluster, so no Terraform is built for it (GW-CAP-EKS). Split the site into several sites.`,
    );
  }
}

/** Rows the inventory of `plan` has: one per placed on-prem node and one per switch. */
export function inventoryRows(plan: ResolvedPlan): number {
  let rows = 0;
  for (const site of plan.sites) {
    for (const pl of site.placement?.pools ?? []) if (pl.racks && pl.hall) rows += pl.pool.nodes;
    for (const f of site.fabrics) rows += f.sizing?.switches ?? 0;
  }
  return rows;
}

/** Throws GigawattError (exit 2) when the inventory would have more than MAX_INVENTORY_ROWS rows. */
export function assertInventoriable(plan: ResolvedPlan): void {
  const rows = inventoryRows(plan);
  if (rows <= MAX_INVENTORY_ROWS) return;
  const onprem = plan.pools.filter((p) => p.kind === 'onprem');
  const at = onprem.length ? where(plan, largest(onprem), 'nodes') : plan.source.file;
  throw new GigawattError(
    'GW-E-TOO-LARGE',
    `${at}: the inventory would have ${rows.toLocaleString('en-US')} rows (one per on-prem node and switch); at most ${MAX_INVENTORY_ROWS.toLocaleString('en-US')} are written. Split the plan by site or hall.`,
  );
}

/** Placed on-prem racks of `plan`: one node-registration entry each in the Kubernetes output. */
export function placedRacks(plan: ResolvedPlan): number {
  let racks = 0;
  for (const site of plan.sites) for (const pl of site.placement?.pools ?? []) if (pl.hall) racks += pl.racks;
  return racks;
}

/** Throws GigawattError (exit 2) when synth would write more than MAX_RACK_REGISTRATIONS rack entries. */
export function assertRegistrable(plan: ResolvedPlan): void {
  const racks = placedRacks(plan);
  if (racks <= MAX_RACK_REGISTRATIONS) return;
  const onprem = plan.pools.filter((p) => p.kind === 'onprem');
  const at = onprem.length ? where(plan, largest(onprem), 'nodes') : plan.source.file;
  throw new GigawattError(
    'GW-E-TOO-LARGE',
    `${at}: the plan places its on-prem nodes in ${racks.toLocaleString('en-US')} racks, and synth writes a node registration per rack; at most ${MAX_RACK_REGISTRATIONS.toLocaleString('en-US')} are written, so nothing is synthesized. Split the plan by site or hall.`,
  );
}
