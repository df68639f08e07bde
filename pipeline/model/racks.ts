/**
 * Rack placement (pure, aggregate): pack each on-prem pool's nodes into racks of a hall, respecting the
 * rack power limit, the rack units and the hall's cooling, keeping a scalable unit's nodes in racks of
 * their own, and giving a whole-rack system (GB200 NVL72) one rack per node. Placements are rack ranges,
 * never per-node objects.
 */
import type { ResolvedHall, ResolvedPool, ResolvedSite } from './index';
import { add, exceedsLimit, multiply, toNumber, wholeTimes, type Ratio } from '../util/exact';

export type PlacementProblem =
  'no-hall' | 'cooling' | 'density' | 'rack-units' | 'unknown-rack-units' | 'unknown-power';

export interface PoolPlacement {
  readonly pool: ResolvedPool;
  readonly hall?: ResolvedHall;
  readonly nodesPerRack: number;
  /**
   * Nodes of one scalable unit: the catalog's SU size (for a whole-rack system, counted in racks), else the
   * whole pool.
   */
  readonly scalableUnitNodes: number;
  /** Nodes kept together in racks of their own: a scalable unit (1 for whole-rack systems). */
  readonly groupNodes: number;
  readonly racks: number;
  /** 1-based rack numbers within the hall. */
  readonly firstRack: number;
  readonly lastRack: number;
  readonly problem?: PlacementProblem;
  /** Rack units per node used (catalog or plan). */
  readonly rackUnitsPerNode?: number;
}

export interface HallUsage {
  readonly hall: ResolvedHall;
  readonly racksUsed: number;
  readonly racksAvailable: number;
  readonly itKW: number;
  /** itKW, exact. */
  readonly itKWExact: Ratio;
}

export interface SitePlacement {
  readonly pools: readonly PoolPlacement[];
  readonly halls: readonly HallUsage[];
}

const needsLiquid = (pool: ResolvedPool): boolean => pool.system?.cooling.value === 'liquid';
const coolingFits = (pool: ResolvedPool, hall: ResolvedHall): boolean =>
  !needsLiquid(pool) || hall.spec.cooling !== 'air';

/** The hall a pool goes to: the one it names, else the first hall whose cooling fits. */
export const hallFor = (pool: ResolvedPool, site: ResolvedSite): ResolvedHall | undefined =>
  pool.spec.hall !== undefined
    ? site.halls.find((h) => h.name === pool.spec.hall)
    : (site.halls.find((h) => coolingFits(pool, h)) ?? site.halls[0]);

export function placeSite(site: ResolvedSite): SitePlacement {
  const next = new Map<string, number>(site.halls.map((h) => [h.name, 1]));
  const kw = new Map<string, Ratio>(site.halls.map((h) => [h.name, { n: 0n, d: 1n }]));
  const pools: PoolPlacement[] = [];
  for (const pool of site.pools.filter((p) => p.kind === 'onprem')) {
    const hall = hallFor(pool, site);
    const whole = pool.system?.wholeRack?.value === true;
    const scalableUnitNodes = Math.max(1, pool.system?.scalableUnitNodes?.value ?? pool.nodes);
    const groupNodes = whole ? 1 : scalableUnitNodes;
    const empty = {
      pool,
      hall,
      nodesPerRack: 0,
      scalableUnitNodes,
      groupNodes,
      racks: 0,
      firstRack: 0,
      lastRack: 0,
    };
    if (!hall) {
      pools.push({ ...empty, problem: 'no-hall' });
      continue;
    }
    const units = whole ? hall.rackUnits : (pool.spec.rackUnitsPerNode ?? pool.system?.rackUnits?.value);
    const power = pool.powerPerNodeKW;
    let problem: PlacementProblem | undefined;
    if (!coolingFits(pool, hall)) problem = 'cooling';
    else if (power === undefined) problem = 'unknown-power';
    else if (units === undefined) problem = 'unknown-rack-units';
    else if (exceedsLimit(power, hall.spec.rackKW)) problem = 'density';
    else if (exceedsLimit(units, hall.rackUnits)) problem = 'rack-units';
    const perRack = problem
      ? 0
      : whole
        ? 1
        : Math.min(wholeTimes(hall.spec.rackKW, power!), wholeTimes(hall.rackUnits, units!));
    let racks = 0;
    if (perRack > 0)
      racks =
        Math.floor(pool.nodes / groupNodes) * Math.ceil(groupNodes / perRack) +
        Math.ceil((pool.nodes % groupNodes) / perRack);
    const first = next.get(hall.name)!;
    next.set(hall.name, first + racks);
    if (power !== undefined) kw.set(hall.name, add(kw.get(hall.name)!, multiply(power, pool.nodes)));
    pools.push({
      pool,
      hall,
      nodesPerRack: perRack,
      scalableUnitNodes,
      groupNodes,
      racks,
      firstRack: racks ? first : 0,
      lastRack: racks ? first + racks - 1 : 0,
      problem,
      rackUnitsPerNode: units,
    });
  }
  return {
    pools,
    halls: site.halls.map((h) => ({
      hall: h,
      racksUsed: next.get(h.name)! - 1,
      racksAvailable: h.spec.racks,
      itKW: toNumber(kw.get(h.name)!),
      itKWExact: kw.get(h.name)!,
    })),
  };
}

/** A rack's name: the hall and its 1-based number (racks.csv, the gigawatt.dev/rack label). */
export const rackName = (hall: string, rack: number): string => `${hall}-r${String(rack).padStart(4, '0')}`;

/** A system's name: the pool and its 0-based index, counted from 1 (racks.csv). */
export const systemName = (pool: string, i: number): string => `${pool}-${String(i + 1).padStart(5, '0')}`;

/** A scalable unit's name: the pool and its 0-based index, counted from 1 (the gigawatt.dev/scalable-unit label). */
export const scalableUnitName = (pool: string, su: number): string =>
  `${pool}-su${String(su + 1).padStart(3, '0')}`;

/** One rack of a pool: its number in the hall, and the pool's systems in it (0-based, contiguous). */
export interface RackSpan {
  readonly rack: number;
  readonly firstSystem: number;
  readonly systems: number;
  /** 0-based scalable unit of the pool the rack belongs to. */
  readonly scalableUnit: number;
}

/**
 * The racks of a placed pool, in rack order, as nodeSlot places the systems: a group's systems fill its
 * racks in turn. Per rack, never per node.
 */
export function poolRacks(pl: PoolPlacement): RackSpan[] {
  if (!pl.racks) return [];
  const out: RackSpan[] = [];
  const pool = pl.pool;
  const racksPerGroup = Math.ceil(pl.groupNodes / pl.nodesPerRack);
  for (let g = 0, start = 0; start < pool.nodes; g++, start += pl.groupNodes) {
    const inGroup = Math.min(pl.groupNodes, pool.nodes - start);
    for (let k = 0; k * pl.nodesPerRack < inGroup; k++) {
      const firstSystem = start + k * pl.nodesPerRack;
      out.push({
        rack: pl.firstRack + g * racksPerGroup + k,
        firstSystem,
        systems: Math.min(pl.nodesPerRack, inGroup - k * pl.nodesPerRack),
        scalableUnit: Math.floor(firstSystem / pl.scalableUnitNodes),
      });
    }
  }
  return out;
}

/** Rack number (1-based, in the hall) and slot within the rack of the pool's i-th node (0-based). */
export function nodeSlot(pl: PoolPlacement, i: number): { rack: number; slot: number } {
  const inGroup = i % pl.groupNodes;
  return {
    rack:
      pl.firstRack +
      Math.floor(i / pl.groupNodes) * Math.ceil(pl.groupNodes / pl.nodesPerRack) +
      Math.floor(inGroup / pl.nodesPerRack),
    slot: inGroup % pl.nodesPerRack,
  };
}
