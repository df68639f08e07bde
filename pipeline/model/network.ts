/**
 * IPv4 arithmetic for fabrics (pure, ipaddr.js): how many VPC addresses a pool consumes, the smallest subnet
 * that holds them, and CIDR containment and overlap.
 */
import ipaddr from 'ipaddr.js';
import { awsLimit } from '../catalog';
import { efaInterfaceLayout } from './efa';
import { withinLimit } from '../util/exact';
import type { ResolvedFabric, ResolvedPool } from './index';

/** [first, last] addresses of a CIDR as unsigned 32-bit integers. */
export function cidrRange(cidr: string): [number, number] {
  const [addr, bits] = ipaddr.IPv4.parseCIDR(cidr);
  const base = addr.toByteArray().reduce((n, b) => n * 256 + b, 0);
  const size = 2 ** (32 - bits);
  const first = base - (base % size);
  return [first, first + size - 1];
}

export const cidrSize = (cidr: string): number => 2 ** (32 - ipaddr.IPv4.parseCIDR(cidr)[1]);
export const overlaps = (a: string, b: string): boolean => {
  const [a1, a2] = cidrRange(a);
  const [b1, b2] = cidrRange(b);
  return a1 <= b2 && b1 <= a2;
};
export const contains = (outer: string, inner: string): boolean => {
  const [o1, o2] = cidrRange(outer);
  const [i1, i2] = cidrRange(inner);
  return o1 <= i1 && i2 <= o2;
};
/**
 * The CIDR written with its network address (host bits cleared): `10.0.0.1/16` → `10.0.0.0/16`. The AWS
 * provider refuses any other form at `terraform validate` (hashicorp/aws 5.100.0: "expected cidr_block to
 * contain a valid network Value, expected 10.0.0.0/16, got 10.0.0.1/16" on aws_vpc and
 * aws_eks_cluster.kubernetes_network_config.service_ipv4_cidr; "is not a valid IPv4 CIDR block; did you
 * mean …" on security group rules).
 */
export function networkCidr(cidr: string): string {
  const [, bits] = ipaddr.IPv4.parseCIDR(cidr);
  return `${ipaddr.IPv4.networkAddressFromCIDR(cidr).toString()}/${bits}`;
}
/** RFC 1918 private ranges. */
export const RFC1918 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] as const;
export const isRfc1918 = (cidr: string): boolean => RFC1918.some((r) => contains(r, cidr));
export const prefixOf = (cidr: string): number => Number(cidr.split('/')[1]);

/** Addresses /28 prefix delegation hands out per prefix. */
export const PREFIX_DELEGATION_BLOCK = 16;

export interface IpDemand {
  /** Interfaces with an IP (the primary ENA; EFA-only interfaces have none). */
  readonly interfaceIps: number;
  /** Pod IPs per node: VPC CNI max pods, or /28 prefixes with prefix delegation. */
  readonly podIps: number;
  readonly perNode: number;
  readonly total: number;
  /** True when the catalog lacks the VPC CNI max-pods figure for the type. */
  readonly podsUnknown: boolean;
}

/**
 * VPC addresses one pool consumes in its node subnet at its largest size (`maxNodes`, so growth up to the
 * pool's maxInstances never resizes the subnet): per node, one address for each IP-consuming
 * interface plus its pod addresses (secondary-IP mode: max pods; prefix delegation: the max pods rounded
 * up to whole /28 prefixes). Sized for the pool's peak over the plan's timeline, so the subnet holds every
 * date and never has to be replaced as the pool grows.
 */
export function ipDemand(pool: ResolvedPool, prefixDelegation = false, maxPodsPerNode?: number): IpDemand {
  const instance = pool.instance;
  const interfaceIps = instance
    ? pool.efa
      ? efaInterfaceLayout(instance).filter((s) => s.interfaceType === 'interface').length
      : 1
    : 1;
  const cniMax = instance?.network.vpcCniMaxPods?.value;
  const maxPods = maxPodsPerNode !== undefined ? Math.min(maxPodsPerNode, cniMax ?? maxPodsPerNode) : cniMax;
  const podIps =
    maxPods === undefined
      ? 0
      : prefixDelegation
        ? Math.ceil(maxPods / PREFIX_DELEGATION_BLOCK) * PREFIX_DELEGATION_BLOCK
        : maxPods;
  const perNode = interfaceIps + podIps;
  return {
    interfaceIps,
    podIps,
    perNode,
    total: perNode * pool.maxNodes,
    podsUnknown: maxPods === undefined,
  };
}

/** Addresses a fabric's node subnet must hold (all EC2 pools of the fabric). */
export const fabricIpDemand = (fabric: ResolvedFabric): number =>
  fabric.pools
    .filter((p) => p.kind === 'ec2')
    .reduce(
      (sum, p) => sum + ipDemand(p, fabric.spec.prefixDelegation ?? false, fabric.spec.maxPodsPerNode).total,
      0,
    );

/** Usable addresses of a subnet of this prefix length (AWS reserves five in every subnet). */
export const usableAddresses = (prefix: number): number =>
  Math.max(0, 2 ** (32 - prefix) - awsLimit('subnetReservedAddresses'));

/** The longest prefix (smallest subnet) whose usable addresses hold `addresses`; AWS subnets are /16 to /28. */
export function smallestPrefixFor(addresses: number): number | undefined {
  for (let prefix = 28; prefix >= 16; prefix--)
    if (withinLimit(addresses, usableAddresses(prefix))) return prefix;
  return undefined;
}

/**
 * The node subnet of a fabric: the plan's prefix length, or the smallest that fits; the first block of the
 * VPC, at most half of it (the other half keeps room for the control-plane subnets at its end).
 */
export function nodeSubnet(
  fabric: ResolvedFabric,
): { cidr: string; prefix: number; usable: number; demand: number } | undefined {
  const vpc = fabric.spec.vpcCidr;
  if (!vpc) return undefined;
  const demand = fabricIpDemand(fabric);
  const prefix =
    fabric.spec.subnetPrefixLength ?? Math.max(smallestPrefixFor(demand) ?? 16, prefixOf(vpc) + 1);
  const [first] = cidrRange(vpc);
  const addr = [24, 16, 8, 0].map((s) => (first >>> s) & 255).join('.');
  return { cidr: `${addr}/${prefix}`, prefix, usable: usableAddresses(prefix), demand };
}

const ipAt = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');

/** The small subnets at the end of a fabric's VPC (the node subnet takes at most its first half). */
export interface VpcLayout {
  /** Two /28 blocks for the EKS control-plane interfaces, in two zones: the VPC's last 32 addresses. */
  readonly controlPlane: readonly [string, string];
  /** Two /27 blocks for the system node group, in the same two zones, just before them. */
  readonly system: readonly [string, string];
  /** One /28 public block for the NAT gateway (egress: nat), just before those. */
  readonly public: string;
}

/** Addresses the end-of-VPC subnets take (2 × 16 + 2 × 32 + 16); a /24 VPC's second half holds them. */
export const VPC_TAIL_ADDRESSES = 112;

export function vpcLayout(vpcCidr: string): VpcLayout {
  const [, last] = cidrRange(vpcCidr);
  const cp = last - 31;
  const system = cp - 64;
  return {
    controlPlane: [`${ipAt(cp)}/28`, `${ipAt(cp + 16)}/28`],
    system: [`${ipAt(system)}/27`, `${ipAt(system + 32)}/27`],
    public: `${ipAt(system - 16)}/28`,
  };
}

/**
 * Environment of the cluster's vpc-cni add-on (amazon-vpc-cni-k8s docs/eni-and-ip-target.md). With the
 * default WARM_ENI_TARGET=1 a node holds a whole spare ENI of addresses beyond what its pods use, which
 * the IP arithmetic above does not count. WARM_IP_TARGET=1 overrides it: a node holds the addresses its
 * pods use plus one (with prefix delegation, the /28 prefixes that cover them), and since aws-node and
 * kube-proxy run on the host network yet count toward the kubelet's max pods, that stays within the
 * max-pods addresses ipDemand counts. Accelerator nodes run few pods, so the extra EC2 calls on pod
 * churn that a small warm target costs stay small. The add-on is one per cluster: the cluster's fabrics
 * must agree on prefix delegation (GW-NET-IP-SPACE).
 */
export function vpcCniEnv(fabrics: readonly ResolvedFabric[]): Record<string, string> {
  const prefixDelegation = fabrics.some((f) => f.spec.prefixDelegation === true);
  return {
    ENABLE_PREFIX_DELEGATION: String(prefixDelegation),
    WARM_IP_TARGET: '1',
  };
}

const CGNAT = '100.64.0.0/10';
const BENCHMARK = '198.19.0.0/16';
/**
 * Why AWS refuses to add `secondary` to a VPC whose primary block is `primary`, or undefined when it allows
 * it: the table "IPv4 CIDR block association restrictions" of the Amazon VPC user guide
 * (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html#add-cidr-block-restrictions).
 */
export function secondaryCidrRestriction(primary: string, secondary: string): string | undefined {
  const within = (range: string) => overlaps(range, secondary);
  const home = RFC1918.find((r) => contains(r, primary));
  if (home) {
    const other = RFC1918.find((r) => r !== home && within(r));
    if (other) return `a VPC whose primary block is in ${home} takes no block from ${other}`;
    if (within(BENCHMARK)) return `a VPC takes no block from ${BENCHMARK} beside RFC 1918 space`;
    if (home === '10.0.0.0/8' && contains('10.0.0.0/15', primary) && within('10.0.0.0/16'))
      return 'a VPC whose primary block is in 10.0.0.0/15 takes no block from 10.0.0.0/16';
    if (home === '172.16.0.0/12' && within('172.31.0.0/16'))
      return 'a VPC whose primary block is in 172.16.0.0/12 takes no block from 172.31.0.0/16';
    return undefined;
  }
  if (contains(BENCHMARK, primary))
    return isRfc1918(secondary) || RFC1918.some(within)
      ? `a VPC whose primary block is in ${BENCHMARK} takes no RFC 1918 block`
      : undefined;
  // Publicly routable or 100.64.0.0/10 (CGNAT) primary blocks.
  if (RFC1918.some(within))
    return `a VPC whose primary block is ${contains(CGNAT, primary) ? `in ${CGNAT}` : 'public'} takes no RFC 1918 block`;
  if (within(BENCHMARK)) return `a VPC takes no block from ${BENCHMARK} beside public or ${CGNAT} space`;
  return undefined;
}

/**
 * Address space that is not reachable from the internet, so never counts as public exposure: IPv4 from
 * RFC 6890 (this network, RFC 1918, CGNAT, loopback, link-local, IETF protocol assignments, documentation,
 * 6to4 relay, benchmarking, multicast, reserved and broadcast); IPv6 is public only in global unicast
 * 2000::/3, less the documentation prefix.
 */
const NOT_PUBLIC_V4 = [
  '0.0.0.0/8',
  ...RFC1918,
  CGNAT,
  '127.0.0.0/8',
  '169.254.0.0/16',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.88.99.0/24',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
] as const;
const NOT_PUBLIC_V6 = ['::/3', '4000::/2', '8000::/1', '2001:db8::/32'] as const;

/**
 * The most public addresses an allow-list (EKS public access CIDRs, security-group ingress) may cover:
 * 16,777,216 IPv4 addresses (one /8) or 2^96 IPv6 addresses (one /32). More than that is "the internet"
 * whatever the notation: 0.0.0.0/0, two /1s, four /2s or any other cover.
 */
export const MAX_PUBLIC_IPV4 = 2 ** 24;
export const MAX_PUBLIC_IPV6 = 2n ** 96n;

type Interval = [bigint, bigint];

/** [first, last] of a CIDR (host bits ignored) as big integers, with its family; undefined if not a CIDR. */
function cidrInterval(cidr: string): { v6: boolean; range: Interval } | undefined {
  let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    parsed = ipaddr.parseCIDR(cidr.trim());
  } catch {
    return undefined;
  }
  const [addr, bits] = parsed;
  const width = addr.kind() === 'ipv6' ? 128n : 32n;
  const value = addr.toByteArray().reduce((n, b) => (n << 8n) | BigInt(b), 0n);
  const size = 1n << (width - BigInt(bits));
  const first = value - (value % size);
  return { v6: width === 128n, range: [first, first + size - 1n] };
}

/** Sorted, disjoint intervals covering exactly the union of `list`. */
function mergeIntervals(list: readonly Interval[]): Interval[] {
  const sorted = [...list].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: Interval[] = [];
  for (const [a, b] of sorted) {
    const last = out.at(-1);
    if (last && a <= last[1] + 1n) {
      if (b > last[1]) last[1] = b;
    } else out.push([a, b]);
  }
  return out;
}

/** Addresses of the union of `intervals` outside the union of `excluded` (both merged first). */
function sizeOutside(intervals: readonly Interval[], excluded: readonly Interval[]): bigint {
  const cut = mergeIntervals(excluded);
  let total = 0n;
  for (const [a, b] of mergeIntervals(intervals)) {
    let size = b - a + 1n;
    for (const [x, y] of cut) {
      const lo = a > x ? a : x;
      const hi = b < y ? b : y;
      if (lo <= hi) size -= hi - lo + 1n;
    }
    total += size;
  }
  return total;
}

const EXCLUDED_V4 = NOT_PUBLIC_V4.map((c) => cidrInterval(c)!.range);
const EXCLUDED_V6 = NOT_PUBLIC_V6.map((c) => cidrInterval(c)!.range);

/** Every public IPv4 address (what 0.0.0.0/0 covers outside the non-public ranges). */
export const PUBLIC_IPV4_SPACE = Number(sizeOutside([[0n, 2n ** 32n - 1n]], EXCLUDED_V4));

export interface PublicCoverage {
  /** Public IPv4 addresses the union of the CIDRs covers (overlaps counted once). */
  readonly ipv4: number;
  /** Public IPv6 addresses the union covers. */
  readonly ipv6: bigint;
  /** Entries that are not CIDRs (not counted). */
  readonly invalid: readonly string[];
  /** True when the coverage passes MAX_PUBLIC_IPV4 or MAX_PUBLIC_IPV6: treat it as open to the internet. */
  readonly open: boolean;
}

/**
 * How much public address space a set of CIDRs opens, by address space rather than notation: the union
 * (overlaps merged) less the ranges that are not public. 0.0.0.0/0, [0.0.0.0/1, 128.0.0.0/1] and any other
 * cover of the internet come out the same.
 */
export function publicCoverage(cidrs: readonly string[]): PublicCoverage {
  const v4: Interval[] = [];
  const v6: Interval[] = [];
  const invalid: string[] = [];
  for (const c of cidrs) {
    const i = typeof c === 'string' ? cidrInterval(c) : undefined;
    if (!i) invalid.push(String(c));
    else (i.v6 ? v6 : v4).push(i.range);
  }
  const ipv4 = Number(sizeOutside(v4, EXCLUDED_V4));
  const ipv6 = sizeOutside(v6, EXCLUDED_V6);
  return { ipv4, ipv6, invalid, open: ipv4 > MAX_PUBLIC_IPV4 || ipv6 > MAX_PUBLIC_IPV6 };
}

/** "3,702,258,688 public IPv4 addresses (100.0 % of the public internet)" and the like, for messages. */
export function coverageText(c: PublicCoverage): string {
  const parts: string[] = [];
  if (c.ipv4 > 0)
    parts.push(
      `${c.ipv4.toLocaleString('en-US')} public IPv4 addresses (${((c.ipv4 / PUBLIC_IPV4_SPACE) * 100).toFixed(1)} % of the internet)`,
    );
  if (c.ipv6 > 0n) parts.push(`${c.ipv6.toLocaleString('en-US')} public IPv6 addresses`);
  return parts.join(' and ') || 'no public addresses';
}

/** The documented bound, in words, for messages and rule pages (plans are IPv4 only). */
export const PUBLIC_BOUND_TEXT = `${MAX_PUBLIC_IPV4.toLocaleString('en-US')} public IPv4 addresses (one /8)`;
/** The bound with its IPv6 half, for the Terraform pack. */
export const PUBLIC_BOUND_TEXT_V6 = `${PUBLIC_BOUND_TEXT} or 2^96 public IPv6 addresses (one /32)`;
