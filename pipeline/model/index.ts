/**
 * The resolved model: the parsed plan joined with the catalog, defaults applied and derived numbers
 * computed (accelerators, vCPUs, memory, UltraServers, power). Pure data and pure functions: no cdktf, no
 * constructs, no Pulumi, no AWS SDK. Everything downstream (rules, constructs, manifests, reports) reads
 * this model, never the raw plan. Aggregates only: nothing here grows with the number of nodes.
 */
import {
  catalog,
  findInstanceType,
  findSystem,
  type CpuArchitecture,
  type Ec2InstanceType,
  type OnPremSystem,
} from '../catalog';
import type {
  ClusterPlan,
  FabricSpec,
  HallSpec,
  KubernetesSpec,
  PoolSpec,
  ReservationSpec,
  SiteSpec,
  WaiverSpec,
} from '../schema/plan-schema';
import type { PlanSource } from '../schema/source';
import { fabricLinks, sizeRailFabric, type FabricLinks, type FabricSizing } from './fabric';
import { envelope, usableUtility, type Envelope, type Redundancy } from './power';
import { add, multiply, sum, toNumber, type Ratio } from '../util/exact';
import { placeSite, type SitePlacement } from './racks';

export * from './power';
export * from './timeline';

export type CapacityType = 'on-demand' | 'spot' | 'capacity-block' | 'odcr';

export interface ResolvedHall {
  readonly name: string;
  readonly path: string;
  readonly spec: HallSpec;
  readonly rackUnits: number;
}

export interface ResolvedSite {
  readonly name: string;
  readonly index: number;
  readonly path: string;
  readonly spec: SiteSpec;
  readonly provider: 'aws' | 'onprem';
  readonly halls: readonly ResolvedHall[];
  readonly pools: ResolvedPool[];
  readonly fabrics: ResolvedFabric[];
  /**
   * AWS fabrics with a VPC CIDR, in plan order. They share one VPC, the cluster's: the first fabric's CIDR is
   * the VPC's primary block and holds the control plane, NAT and endpoints; the others' CIDRs are secondary
   * blocks of it (EKS node groups take subnets of the cluster's VPC only).
   */
  vpcFabrics: ResolvedFabric[];
  /** Usable utility power after redundancy (on-prem sites with a power block). */
  readonly usableMW?: number;
  /** usableMW, exact (limits are compared exactly). */
  readonly usable?: Ratio;
  readonly pue?: number;
  readonly redundancy?: Redundancy;
  /** IT load of the site: nodes plus fabric switches (kW); undefined when a pool's power is unknown. */
  itKW?: number;
  /** itKW, exact: the sum of nodes × kW per node and switches × kW per switch as written. */
  itKWExact?: Ratio;
  /** Power of the site's on-prem fabric switches (kW) where known. */
  fabricKW?: number;
  /** Fabrics whose switch power is unknown (not in the catalog, no fabrics[].switchKW). */
  fabricPowerUnknown?: string[];
  envelope?: Envelope;
  placement?: SitePlacement;
}

export interface ResolvedFabric {
  readonly name: string;
  readonly index: number;
  readonly path: string;
  readonly spec: FabricSpec;
  readonly site?: ResolvedSite;
  readonly pools: ResolvedPool[];
  /** Fat-tree sizing of an on-prem fabric (topology set and pools with known NIC counts). */
  sizing?: FabricSizing;
  /** kW per switch (plan switchKW, or catalog) and the fabric's switch power. */
  switchKW?: number;
  /** Node NIC and switch port speeds against the plan's link speed (linkGbps set). */
  links?: FabricLinks;
}

export interface ResolvedPool {
  readonly name: string;
  readonly index: number;
  readonly path: string;
  readonly spec: PoolSpec;
  readonly site?: ResolvedSite;
  readonly fabric?: ResolvedFabric;
  /** ec2: an EC2 instance type; onprem: a catalog system; unknown: the type is missing or not in the catalog. */
  readonly kind: 'ec2' | 'onprem' | 'unknown';
  /** The instance type or system name as written in the plan. */
  readonly typeName?: string;
  readonly instance?: Ec2InstanceType;
  readonly system?: OnPremSystem;
  /** Nodes (instances or systems) in the pool. */
  readonly nodes: number;
  /**
   * Nodes the pool may grow to: `maxInstances` (default `nodes`) and its peak over the plan's timeline.
   * Subnets and node groups are sized for it, so growth within it changes sizes only.
   */
  readonly maxNodes: number;
  /** Kubernetes nodes (hosts) of the pool: a GB200 NVL72 rack is 18 hosts. */
  readonly kubernetesNodes: number;
  readonly acceleratorsPerNode: number;
  readonly accelerators: number;
  readonly acceleratorModel?: string;
  readonly acceleratorVendor?: 'nvidia' | 'aws';
  readonly acceleratorMemoryGiB?: number;
  readonly vcpus?: number;
  readonly memoryGiB?: number;
  /** CPU architecture of the pool's instance type (catalog), when it is an EC2 type. */
  readonly architecture?: CpuArchitecture;
  /** Allowed UltraServer sizes (instances per UltraServer) when the type is an UltraServer member. */
  readonly ultraServerSizes?: readonly number[];
  /** Whole UltraServers in the pool (nodes / smallest size), when the type is an UltraServer member. */
  readonly ultraServers?: number;
  readonly capacityType: CapacityType;
  readonly efa: boolean;
  readonly placementGroup: boolean;
  /** Power per node (kW) and where it came from. */
  readonly powerPerNodeKW?: number;
  readonly powerSource: 'plan' | 'catalog' | 'unknown';
  readonly powerEstimate: boolean;
  /** nodes x powerPerNodeKW. */
  readonly itKW?: number;
  /** On-demand list price per hour for the whole pool (us-east-1 list price), when known. */
  readonly onDemandUsdPerHour?: number;
  /** The reservation the pool draws from (Capacity Block and odcr pools). */
  reservation?: ResolvedReservation;
}

/**
 * A Capacity Block or On-Demand Capacity Reservation that pools draw from. Declared under reservations[],
 * or (older plans) described inline on the pools that name its id; a Capacity Block pool without an id
 * holds a block of its own. Sizes and the Capacity Block limits are counted per reservation.
 */
export interface ResolvedReservation {
  /** The reservation id, or `pools.<name>` for a pool's block that has no id. */
  readonly id: string;
  readonly reservationId?: string;
  /** Declared under reservations[] (index), or described inline on its pools. */
  readonly declared: boolean;
  readonly index?: number;
  readonly spec?: ReservationSpec;
  readonly site?: ResolvedSite;
  readonly type: 'capacity-block' | 'odcr';
  readonly instanceType?: string;
  /** Instances reserved, when known. */
  readonly instances?: number;
  readonly availabilityZone?: string;
  readonly start?: string;
  readonly end?: string;
  /** Pools drawing from it, in plan order. */
  readonly pools: ResolvedPool[];
  /** Instances the pools draw: the sum of their sizes. */
  drawn: number;
  /** Inline descriptions on pools that disagree with the first description: [pool, field, value seen]. */
  readonly conflicts: [
    ResolvedPool,
    'instances' | 'instanceType' | 'availabilityZone' | 'start' | 'end',
    string,
  ][];
}

export interface ResolvedWaiver {
  readonly index: number;
  readonly path: string;
  readonly spec: WaiverSpec;
}

export interface ResolvedPlan {
  readonly name: string;
  readonly spec: ClusterPlan;
  readonly source: PlanSource;
  readonly sites: readonly ResolvedSite[];
  readonly fabrics: readonly ResolvedFabric[];
  readonly pools: readonly ResolvedPool[];
  /** Every reservation pools draw from (declared first, then inline ones), by id. */
  readonly reservations: readonly ResolvedReservation[];
  readonly reservationById: ReadonlyMap<string, ResolvedReservation>;
  readonly siteByName: ReadonlyMap<string, ResolvedSite>;
  readonly fabricByName: ReadonlyMap<string, ResolvedFabric>;
  readonly poolByName: ReadonlyMap<string, ResolvedPool>;
  readonly schedule?: { readonly start: Date; readonly end: Date };
  /** With a timeline: the instant (epoch ms) this model stands for; the plan is the plan as of then. */
  readonly asOf?: number;
  readonly kubernetes: {
    readonly version: string;
    readonly endpoint: 'private' | 'public';
    readonly publicAccessCidrs: readonly string[];
    readonly serviceCidr: string;
    /** The untainted CPU node group of every EKS cluster (CoreDNS, Kueue, operators). */
    readonly systemNodes: { readonly instanceTypes: readonly string[]; readonly count: number };
    /** IAM principals given cluster admin through EKS access entries. */
    readonly admins: readonly string[];
  };
  readonly waivers: readonly ResolvedWaiver[];
  readonly totals: PlanTotals;
}

export interface PlanTotals {
  readonly pools: number;
  readonly nodes: number;
  readonly accelerators: number;
  readonly acceleratorsByModel: Readonly<Record<string, number>>;
  readonly vcpus: number;
  readonly acceleratorMemoryGiB: number;
  /** Sum of known pool IT power (kW); `powerComplete` says whether every pool was known. */
  readonly itKW: number;
  readonly powerComplete: boolean;
}

/** Kubernetes version used when the plan names none. Pinned here, in one place. */
export const DEFAULT_KUBERNETES_VERSION = '1.33';
/** EKS default service CIDR when the plan names none. */
export const DEFAULT_SERVICE_CIDR = '172.20.0.0/16';
/**
 * System node group defaults, as aws-ia/terraform-aws-eks-blueprints does for the node group "for core
 * addons such as CoreDNS" next to accelerator node groups (its `default` group: m7a.xlarge and m7i.xlarge,
 * min and desired 2).
 */
export const DEFAULT_SYSTEM_NODE_TYPES = ['m7i.xlarge', 'm7a.xlarge'];
export const DEFAULT_SYSTEM_NODES = 2;

function resolvePool(
  spec: PoolSpec,
  index: number,
  site: ResolvedSite | undefined,
  fabric: ResolvedFabric | undefined,
  peak: number | undefined,
): ResolvedPool {
  const instance = spec.instanceType ? findInstanceType(spec.instanceType) : undefined;
  const system = !instance && spec.system ? findSystem(spec.system) : undefined;
  const kind = instance ? 'ec2' : system ? 'onprem' : 'unknown';
  const nodes = spec.instances ?? spec.nodes ?? 0;
  const accel = instance?.accelerator ?? system?.accelerator;
  const perNode = accel?.count.value ?? 0;
  const capacityType: CapacityType = spec.capacity?.type ?? 'on-demand';
  const efaCapable = (instance?.network.maxEfaInterfaces?.value ?? 0) > 0;
  const efa = kind === 'ec2' ? (spec.efa ?? efaCapable) : false;
  const placementGroup =
    kind === 'ec2' ? (spec.placementGroup ?? (efa && capacityType !== 'capacity-block')) : false;
  const sizes = instance?.ultraServer?.instancesPerUltraServer.value;
  const catalogKW = system?.maxSystemKW ?? instance?.maxSystemKW;
  const powerPerNodeKW = spec.maxSystemKW ?? catalogKW?.value;
  const powerSource = spec.maxSystemKW !== undefined ? 'plan' : catalogKW ? 'catalog' : 'unknown';
  const price = instance?.onDemandUsdPerHour?.value;
  return {
    name: spec.name,
    index,
    path: `pools[${index}]`,
    spec,
    site,
    fabric,
    kind,
    typeName: spec.instanceType ?? spec.system,
    instance,
    system,
    nodes,
    maxNodes: Math.max(nodes, spec.maxInstances ?? nodes, peak ?? 0),
    kubernetesNodes: nodes * (system?.kubernetesNodesPerSystem?.value ?? 1),
    acceleratorsPerNode: perNode,
    accelerators: perNode * nodes,
    acceleratorModel: accel?.model,
    acceleratorVendor: accel?.vendor,
    acceleratorMemoryGiB: accel?.memoryGiB ? accel.memoryGiB.value * nodes : undefined,
    vcpus: instance ? instance.vcpus.value * nodes : undefined,
    memoryGiB: instance ? instance.memoryGiB.value * nodes : undefined,
    architecture: instance?.architecture.value,
    ultraServerSizes: sizes,
    ultraServers: sizes ? Math.floor(nodes / Math.min(...sizes)) : undefined,
    capacityType,
    efa,
    placementGroup,
    powerPerNodeKW,
    powerSource,
    powerEstimate: powerSource === 'catalog' && catalogKW?.confidence === 'estimate',
    itKW: powerPerNodeKW !== undefined ? powerPerNodeKW * nodes : undefined,
    onDemandUsdPerHour: price !== undefined ? price * nodes : undefined,
  };
}

const INLINE_FIELDS = ['instances', 'instanceType', 'availabilityZone', 'start', 'end'] as const;

/** The reservations pools draw from: declared ones, then inline descriptions grouped by id. */
function resolveReservations(
  specs: readonly ReservationSpec[],
  pools: readonly ResolvedPool[],
  siteByName: ReadonlyMap<string, ResolvedSite>,
): { reservations: ResolvedReservation[]; reservationById: Map<string, ResolvedReservation> } {
  const reservations: ResolvedReservation[] = [];
  const reservationById = new Map<string, ResolvedReservation>();
  specs.forEach((r, index) => {
    const res: ResolvedReservation = {
      id: r.id,
      reservationId: r.id,
      declared: true,
      index,
      spec: r,
      site: siteByName.get(r.site),
      type: r.type,
      instanceType: r.instanceType,
      instances: r.instances,
      availabilityZone: r.availabilityZone,
      start: r.start,
      end: r.end,
      pools: [],
      drawn: 0,
      conflicts: [],
    };
    reservations.push(res);
    if (!reservationById.has(r.id)) reservationById.set(r.id, res);
  });
  for (const p of pools) {
    const cap = p.spec.capacity;
    if (!cap || (cap.type !== 'capacity-block' && cap.type !== 'odcr')) continue;
    const id = cap.reservationId ?? `pools.${p.name}`;
    let res = reservationById.get(id);
    if (!res) {
      res = {
        id,
        reservationId: cap.reservationId,
        declared: false,
        site: p.site,
        type: cap.type,
        instanceType: cap.instanceType,
        instances: cap.instances,
        availabilityZone: cap.availabilityZone,
        start: cap.start,
        end: cap.end,
        pools: [],
        drawn: 0,
        conflicts: [],
      };
      reservations.push(res);
      reservationById.set(id, res);
    } else if (!res.declared) {
      const r = res as { -readonly [K in (typeof INLINE_FIELDS)[number]]?: string | number };
      for (const field of INLINE_FIELDS) {
        const seen = cap[field];
        if (seen === undefined) continue;
        if (r[field] === undefined) r[field] = seen;
        else if (r[field] !== seen) res.conflicts.push([p, field, String(seen)]);
      }
    }
    res.pools.push(p);
    res.drawn += p.nodes;
    p.reservation = res;
  }
  return { reservations, reservationById };
}

/** Where a plan stands on its timeline: the instant, and each pool's peak over the whole timeline. */
export interface TimelinePosition {
  readonly asOf: number;
  readonly peakNodes: ReadonlyMap<string, number>;
}

/** Join a schema-valid plan with the catalog. Never throws on plan content: problems are left to the rules. */
export function resolvePlan(spec: ClusterPlan, source: PlanSource, at?: TimelinePosition): ResolvedPlan {
  const sites: ResolvedSite[] = spec.sites.map((s, index) => {
    const power = s.power;
    const usable = power
      ? usableUtility(power.utilityMW, power.redundancy ?? 'N', power.feeds ?? 2)
      : undefined;
    const usableMW = usable ? toNumber(usable) : undefined;
    return {
      name: s.name,
      index,
      path: `sites[${index}]`,
      spec: s,
      provider: s.provider,
      halls: (s.halls ?? []).map((h, i) => ({
        name: h.name,
        path: `sites[${index}].halls[${i}]`,
        spec: h,
        rackUnits: h.rackUnits ?? 42,
      })),
      pools: [],
      fabrics: [],
      vpcFabrics: [],
      usableMW,
      usable,
      pue: power?.pue,
      redundancy: power ? (power.redundancy ?? 'N') : undefined,
    };
  });
  const siteByName = new Map<string, ResolvedSite>();
  for (const s of sites) if (!siteByName.has(s.name)) siteByName.set(s.name, s);

  const fabrics: ResolvedFabric[] = (spec.fabrics ?? []).map((f, index) => {
    const site = siteByName.get(f.site);
    const fabric: ResolvedFabric = {
      name: f.name,
      index,
      path: `fabrics[${index}]`,
      spec: f,
      site,
      pools: [],
    };
    site?.fabrics.push(fabric);
    if (site?.provider === 'aws' && f.vpcCidr) site.vpcFabrics.push(fabric);
    return fabric;
  });
  const fabricByName = new Map<string, ResolvedFabric>();
  for (const f of fabrics) if (!fabricByName.has(f.name)) fabricByName.set(f.name, f);

  const pools = spec.pools.map((p, index) => {
    const site = siteByName.get(p.site);
    const fabric = p.fabric !== undefined ? fabricByName.get(p.fabric) : undefined;
    const pool = resolvePool(p, index, site, fabric, at?.peakNodes.get(p.name));
    site?.pools.push(pool);
    fabric?.pools.push(pool);
    return pool;
  });
  const poolByName = new Map<string, ResolvedPool>();
  for (const p of pools) if (!poolByName.has(p.name)) poolByName.set(p.name, p);
  const { reservations, reservationById } = resolveReservations(spec.reservations ?? [], pools, siteByName);

  for (const f of fabrics) {
    const device = f.spec.switchModel ? catalog.networkDevices[f.spec.switchModel] : undefined;
    if (f.spec.linkGbps !== undefined)
      f.links = fabricLinks(
        f.spec.linkGbps,
        f.pools
          .filter((p) => p.kind === 'onprem')
          .map((p) => ({ pool: p.name, nicGbps: p.system?.computeNicGbps?.value })),
        device?.kind === 'switch'
          ? { ports: device.ports?.value, portGbps: device.portGbps.value }
          : undefined,
      );
    const radix = f.spec.switchRadix;
    if (!f.spec.topology || !radix) continue;
    const onprem = f.pools.filter((p) => p.kind === 'onprem');
    const rails = onprem.map((p) => p.system?.computeNics?.value);
    if (!onprem.length || rails.some((r) => r === undefined)) continue;
    f.sizing = sizeRailFabric(
      onprem.map((p) => ({ nodes: p.nodes, rails: p.system!.computeNics!.value })),
      radix,
      f.spec.oversubscription ?? 1,
    );
    f.switchKW = f.spec.switchKW ?? (device?.powerW ? device.powerW.value / 1000 : undefined);
  }
  for (const site of sites) {
    const known = site.pools.every((p) => p.itKW !== undefined);
    const sized = site.fabrics.filter((f) => f.sizing);
    site.fabricKW = sized.reduce(
      (sum, f) => sum + (f.switchKW !== undefined ? f.switchKW * f.sizing!.switches : 0),
      0,
    );
    site.fabricPowerUnknown = sized.filter((f) => f.switchKW === undefined).map((f) => f.name);
    site.itKW = known ? site.pools.reduce((sum, p) => sum + (p.itKW ?? 0), 0) + site.fabricKW : undefined;
    site.itKWExact = known
      ? add(
          sum(site.pools.map((p) => multiply(p.powerPerNodeKW!, p.nodes))),
          sum(sized.map((f) => (f.switchKW !== undefined ? multiply(f.switchKW, f.sizing!.switches) : 0))),
        )
      : undefined;
    if (site.provider === 'onprem' && site.halls.length) site.placement = placeSite(site);
    if (site.itKWExact !== undefined && site.usable !== undefined && site.pue !== undefined)
      site.envelope = envelope(site.itKWExact, site.pue, site.usable);
  }

  const acceleratorsByModel: Record<string, number> = {};
  for (const p of pools)
    if (p.acceleratorModel && p.accelerators > 0)
      acceleratorsByModel[p.acceleratorModel] =
        (acceleratorsByModel[p.acceleratorModel] ?? 0) + p.accelerators;

  const k8s: KubernetesSpec = spec.kubernetes ?? {};
  return {
    name: spec.metadata.name,
    spec,
    source,
    sites,
    fabrics,
    pools,
    reservations,
    reservationById,
    siteByName,
    fabricByName,
    poolByName,
    schedule: spec.schedule
      ? { start: new Date(spec.schedule.start), end: new Date(spec.schedule.end) }
      : undefined,
    asOf: at?.asOf,
    kubernetes: {
      version: k8s.version ?? DEFAULT_KUBERNETES_VERSION,
      endpoint: k8s.endpoint ?? 'private',
      publicAccessCidrs: k8s.publicAccessCidrs ?? [],
      serviceCidr: k8s.serviceCidr ?? DEFAULT_SERVICE_CIDR,
      systemNodes: {
        instanceTypes: k8s.systemNodes?.instanceTypes ?? DEFAULT_SYSTEM_NODE_TYPES,
        count: k8s.systemNodes?.count ?? DEFAULT_SYSTEM_NODES,
      },
      admins: k8s.admins ?? [],
    },
    waivers: (spec.waivers ?? []).map((w, index) => ({ index, path: `waivers[${index}]`, spec: w })),
    totals: {
      pools: pools.length,
      nodes: pools.reduce((s, p) => s + p.nodes, 0),
      accelerators: pools.reduce((s, p) => s + p.accelerators, 0),
      acceleratorsByModel,
      vcpus: pools.reduce((s, p) => s + (p.vcpus ?? 0), 0),
      acceleratorMemoryGiB: pools.reduce((s, p) => s + (p.acceleratorMemoryGiB ?? 0), 0),
      itKW: pools.reduce((s, p) => s + (p.itKW ?? 0), 0),
      powerComplete: pools.every((p) => p.itKW !== undefined),
    },
  };
}

/** The catalog version the model was resolved against (stamped into outputs). */
export const catalogVersion = (): string => catalog.catalogVersion;
