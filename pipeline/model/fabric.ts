/**
 * Rail-optimized fat-tree sizing for on-prem compute fabrics (pure). Every compute NIC of a node is a rail;
 * rail r of every node in a group lands on the same leaf, so each rail has its own leaves.
 *
 *   leaf ports     R (switch radix at the link speed); oversubscription o = down:up
 *   leaf down      d = floor(R · o / (o + 1)),  up u = R − d
 *   leaves         L = rails · ceil(nodes / d)            (one leaf per rail per group of d nodes)
 *   two tiers      when L ≤ R (every spine reaches every leaf): spines S = ceil(L · u / R), rounded up to a
 *                  divisor of u so that every leaf spreads its uplinks evenly over all spines
 *   three tiers    otherwise, with non-blocking spines (R/2 down, R/2 up):
 *                  S = ceil(L · u / (R/2)),  cores C = ceil(S · (R/2) / R)
 *   limit          three tiers hold at most R · (R/2) · (R/2) leaf uplinks
 *
 * This reproduces the DGX SuperPOD compute fabrics (radix 64, 8 rails, 32 nodes per SU): 1 SU 8 leaf / 4
 * spine, 2 SU 16 / 8, 3 SU 24 / 16, 4 SU 32 / 16; 16 SU 128 / 128 / 64 core; 64 SU 512 / 512 / 256 core.
 */
import { add, multiply, wholeTimes, withinLimit } from '../util/exact';

export interface FabricSizing {
  readonly endpoints: number;
  readonly rails: number;
  readonly tiers: 2 | 3;
  readonly leaves: number;
  readonly spines: number;
  readonly cores: number;
  readonly switches: number;
  readonly nodeLinks: number;
  readonly leafSpineLinks: number;
  readonly spineCoreLinks: number;
  /** Transceiver ports: both ends of every switch-to-switch link, and the switch end of every node link. */
  readonly transceiverPorts: number;
  /** Oversubscription the leaves deliver (down:up). */
  readonly oversubscription: number;
  /** False when even three tiers cannot connect every leaf at this radix. */
  readonly feasible: boolean;
}

/** A group of nodes with the same number of rails (one pool). */
export interface RailGroup {
  readonly nodes: number;
  readonly rails: number;
}

export const sizeFatTree = (
  nodes: number,
  rails: number,
  radix: number,
  oversubscription = 1,
): FabricSizing => sizeRailFabric([{ nodes, rails }], radix, oversubscription);

/** Size one fabric for several groups (pools); each group gets its own rail leaves. */
export function sizeRailFabric(
  groups: readonly RailGroup[],
  radix: number,
  oversubscription = 1,
): FabricSizing {
  const down = Math.max(1, wholeTimes(multiply(radix, oversubscription), add(oversubscription, 1)));
  const up = radix - down;
  const leaves = groups.reduce((n, g) => n + g.rails * Math.ceil(g.nodes / down), 0);
  const rails = Math.max(0, ...groups.map((g) => g.rails));
  const uplinks = leaves * up;
  const twoTier = withinLimit(leaves, radix);
  const half = Math.floor(radix / 2);
  const minSpines = Math.ceil(uplinks / radix);
  const spines = twoTier
    ? (Array.from({ length: up }, (_, i) => i + 1).find((s) => up % s === 0 && s >= minSpines) ?? minSpines)
    : Math.ceil(uplinks / half);
  const cores = twoTier ? 0 : Math.ceil((spines * half) / radix);
  const spineCoreLinks = twoTier ? 0 : spines * half;
  const nodeLinks = groups.reduce((n, g) => n + g.nodes * g.rails, 0);
  return {
    endpoints: nodeLinks,
    rails,
    tiers: twoTier ? 2 : 3,
    leaves,
    spines,
    cores,
    switches: leaves + spines + cores,
    nodeLinks,
    leafSpineLinks: uplinks,
    spineCoreLinks,
    transceiverPorts: nodeLinks + 2 * (uplinks + spineCoreLinks),
    oversubscription: down / up,
    feasible: twoTier || withinLimit(uplinks, radix * half * half),
  };
}

/**
 * Link speeds of one fabric: the plan's node-to-leaf speed against the nodes' NICs and the switch's ports.
 * A switch port of P Gbps runs as P/L links of L Gbps when L divides P (an 800G OSFP port as 2 × 400G,
 * the split NVIDIA lists for SN5600: 64 × 800GbE or 128 × 400GbE), so a switch of N ports offers
 * N · P/L ports at L.
 */
export interface FabricLinks {
  /** Node-to-leaf speed the plan sizes the fabric at (fabrics[].linkGbps). */
  readonly linkGbps: number;
  /** Pools whose catalog NIC speed differs from linkGbps. */
  readonly mismatched: readonly { readonly pool: string; readonly nicGbps: number }[];
  /** The catalog switch's native ports, when the plan names one (fabrics[].switchModel). */
  readonly switchPorts?: number;
  readonly switchPortGbps?: number;
  /** Links per switch port at linkGbps (1 = no split); undefined when linkGbps does not divide the port. */
  readonly split?: number;
  /** Ports per switch at linkGbps that the switch offers (switchPorts · split). */
  readonly portsAtLink?: number;
}

export function fabricLinks(
  linkGbps: number,
  nics: readonly { readonly pool: string; readonly nicGbps?: number }[],
  device?: { readonly ports?: number; readonly portGbps: number },
): FabricLinks {
  const mismatched = nics
    .filter((n) => n.nicGbps !== undefined && n.nicGbps !== linkGbps)
    .map((n) => ({ pool: n.pool, nicGbps: n.nicGbps! }));
  const portGbps = device?.portGbps;
  const split = portGbps !== undefined && portGbps % linkGbps === 0 ? portGbps / linkGbps : undefined;
  return {
    linkGbps,
    mismatched,
    switchPorts: device?.ports,
    switchPortGbps: portGbps,
    split,
    portsAtLink: split !== undefined && device?.ports !== undefined ? device.ports * split : undefined,
  };
}
