/**
 * Limits are exact and inclusive: a plan exactly at a limit passes, one smallest unit over fails. The
 * boundary pairs run through the CLI (`gigawatt validate --format json`), where users see the verdict;
 * the arithmetic itself has property tests at, just under and just over random decimal limits.
 */
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  add,
  compare,
  divide,
  exact,
  exceedsLimit,
  multiply,
  subtract,
  toNumber,
  wholeTimes,
  withinLimit,
} from '../pipeline/util/exact';
import { envelope, usableUtility } from '../pipeline/model/power';
import { runCli, tempDir } from './helpers';

interface Diag {
  readonly rule: string;
  readonly severity: string;
  readonly message: string;
  readonly hint: string;
}

const dir = tempDir('gigawatt-limits-');
let n = 0;
function validate(yaml: string): Diag[] {
  const file = join(dir, `plan-${++n}.yaml`);
  writeFileSync(file, yaml);
  const r = runCli(['validate', '--format', 'json', file]);
  expect(r.stderr).toBe('');
  return (JSON.parse(r.stdout) as { diagnostics: Diag[] }).diagnostics;
}
/** Findings of a rule ('GW-X' or 'GW-X:error' for one severity). */
const of = (ds: Diag[], rule: string) => {
  const [id, severity] = rule.split(':');
  return ds.filter((d) => d.rule === id && (!severity || d.severity === severity));
};

const head = `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: limits }
`;
/** 32 DGX B200 (14.3 kW, 10U each, SUs of 32) in one hall. */
const onprem = (o: { utility?: string; pue?: string; hall: string; nodes?: number }) =>
  head +
  `sites:
  - name: dc
    provider: onprem
    power: { utilityMW: ${o.utility ?? '100'}, redundancy: N, pue: ${o.pue ?? '1.25'} }
    halls: [ ${o.hall} ]
pools:
  - { name: b200, site: dc, system: dgx-b200, nodes: ${o.nodes ?? 32} }
`;
const hall = (h: string) => `{ name: a, cooling: air, ${h} }`;

/** One AWS site with quotas, a fabric in us-east-1a and the given pools. */
const aws = (pools: string, site = 'quotas: { P: 1000000, G: 1000000 }', fabric = '', extra = '') =>
  head +
  `sites:
  - { name: va, provider: aws, region: us-east-1, ${site} }
fabrics:
  - { name: efa, site: va, vpcCidr: 10.0.0.0/16, availabilityZone: us-east-1a${fabric} }
${extra}pools:
${pools}`;
const cbPool = (name: string, count: number, id: string) =>
  `  - { name: ${name}, site: va, fabric: efa, instanceType: p5.48xlarge, instances: ${count}, capacity: { type: capacity-block, reservationId: ${id}, instances: ${count}, start: '2027-01-04T11:30:00Z', end: '2027-01-11T11:30:00Z' } }\n`;

/** A declared Capacity Block of `count` p5.48xlarge shared by pools (one reservations: entry). */
const sharedBlock = (count: number, id = 'cr-0a00000000000001') =>
  `reservations:\n  - { id: ${id}, site: va, type: capacity-block, instanceType: p5.48xlarge, instances: ${count}, availabilityZone: us-east-1a, start: '2027-01-04T11:30:00Z', end: '2027-01-11T11:30:00Z' }\n`;
const sharedPools = (sizes: number[], id = 'cr-0a00000000000001', prefix = '') =>
  sizes
    .map(
      (n, i) =>
        `  - { name: ${prefix}${String.fromCharCode(97 + i)}, site: va, fabric: efa, instanceType: p5.48xlarge, instances: ${n}, capacity: { type: capacity-block, reservationId: ${id} } }\n`,
    )
    .join('');
/** Four blocks of 64, each drawn by two pools of 32, plus `extra` instances on a fifth block. */
const sharedAcross = (extra: number) => {
  const ids = [1, 2, 3, 4].map((i) => `cr-0a0000000000000${i}`);
  let pools = ids.map((id, i) => sharedPools([32, 32], id, `p${i}`)).join('');
  let blocks = ids.map((id) => sharedBlock(64, id).replace('reservations:\n', '')).join('');
  if (extra) {
    pools += sharedPools([extra], 'cr-0a00000000000005', 'x');
    blocks += sharedBlock(extra, 'cr-0a00000000000005').replace('reservations:\n', '');
  }
  return `${pools}reservations:\n${blocks}`;
};
/** `n` Trn2 UltraServers (4 × trn2u.48xlarge each), one Capacity Block each, in us-east-2. */
const ultraBlocks = (n: number) =>
  head +
  `sites:
  - { name: oh, provider: aws, region: us-east-2, quotas: { Trn: 1000000 } }
fabrics:
  - { name: efa, site: oh, vpcCidr: 10.0.0.0/16, availabilityZone: us-east-2b }
pools:
${Array.from({ length: n }, (_, i) => `  - { name: u${i}, site: oh, fabric: efa, instanceType: trn2u.48xlarge, instances: 4, capacity: { type: capacity-block, reservationId: cr-0b${i.toString(16).padStart(8, '0')}, instances: 4, start: '2027-01-04T11:30:00Z', end: '2027-01-11T11:30:00Z' } }\n`).join('')}`;
/** Four DGX H100 per air-cooled rack, drawing `kw` each (pools[].maxSystemKW). */
const airRack = (kw: string, rackKW: string) =>
  head +
  `sites:
  - name: dc
    provider: onprem
    power: { utilityMW: 100, redundancy: N, pue: 1.25 }
    halls: [ { name: a, cooling: air, racks: 100, rackKW: ${rackKW} } ]
pools:
  - { name: h, site: dc, system: dgx-h100, nodes: 4, maxSystemKW: ${kw} }
`;

// [limit, rule, plan exactly at the limit, plan one smallest unit over, message of the failure]
const boundaries: [string, string, string, string, RegExp | RegExp[]][] = [
  [
    'site power: facility load = usable power (32 × 14.3 kW × PUE 1.25 = 0.572 MW)',
    'GW-PWR-ENVELOPE',
    onprem({ utility: '0.572', hall: hall('racks: 100, rackKW: 100') }),
    onprem({ utility: '0.571', hall: hall('racks: 100, rackKW: 100') }),
    /facility load 0\.57 MW .* exceeds the usable 0\.57 MW \(0\.571 MW utility, N\) by 1 kW\./,
  ],
  [
    'hall feed: hall load = feedMW',
    'GW-PWR-ENVELOPE',
    onprem({ hall: hall('racks: 100, rackKW: 100, feedMW: 0.572') }),
    onprem({ hall: hall('racks: 100, rackKW: 100, feedMW: 0.571') }),
    /Hall 'a' of site 'dc': its load 0\.57 MW .* exceeds its 0\.57 MW feed by 1 kW\./,
  ],
  [
    'headroom: facility load = 90 % of usable power (18 × 14.3 × 1.25 = 0.32175 MW of 0.3575)',
    'GW-PWR-HEADROOM',
    onprem({ utility: '0.3575', nodes: 18, hall: hall('racks: 100, rackKW: 100') }),
    onprem({ utility: '0.3574', nodes: 18, hall: hall('racks: 100, rackKW: 100') }),
    /facility load 0\.32 MW is 90\.0 % of the usable 0\.36 MW/,
  ],
  [
    'rack power: one node = rack kW',
    'GW-PWR-RACK-DENSITY',
    onprem({ hall: hall('racks: 100, rackKW: 14.3') }),
    onprem({ hall: hall('racks: 100, rackKW: 14.29') }),
    /one dgx-b200 draws 14\.3 kW but racks in hall 'a' are limited to 14\.29 kW/,
  ],
  [
    'rack packing: 42.9 kW racks hold exactly 3 × 14.3 kW, so 32 nodes need 11 racks',
    'GW-PWR-RACKS',
    onprem({ hall: hall('racks: 11, rackKW: 42.9') }),
    onprem({ hall: hall('racks: 10, rackKW: 42.9') }),
    /Hall 'a' of site 'dc' needs 11 racks \(b200 11\) but has 10\./,
  ],
  [
    'rack units: a 10U system in 10U racks',
    'GW-PWR-RACK-UNITS',
    onprem({ hall: hall('racks: 100, rackKW: 100, rackUnits: 10') }),
    onprem({ hall: hall('racks: 100, rackKW: 100, rackUnits: 9') }),
    /one dgx-b200 takes 10U but racks in hall 'a' have 9U/,
  ],
  [
    'fabric tiers: radix 8 holds 8 · 4 · 4 = 128 leaf uplinks (16 nodes × 8 rails)',
    'GW-NET-FABRIC-OVERSUB',
    head +
      `sites: [ { name: dc, provider: onprem } ]
fabrics: [ { name: ib, site: dc, topology: rail-optimized-fat-tree, linkGbps: 400, switchRadix: 8, switchKW: 1 } ]
pools: [ { name: h, site: dc, fabric: ib, system: dgx-h100, nodes: 16 } ]
`,
    head +
      `sites: [ { name: dc, provider: onprem } ]
fabrics: [ { name: ib, site: dc, topology: rail-optimized-fat-tree, linkGbps: 400, switchRadix: 8, switchKW: 1 } ]
pools: [ { name: h, site: dc, fabric: ib, system: dgx-h100, nodes: 17 } ]
`,
    /Fabric 'ib': 136 endpoints need 40 leaves; at radix 8 three tiers cannot connect them at 1:1\./,
  ],
  [
    'vCPU quota: 32 × 192 vCPUs = 6,144',
    'GW-CAP-QUOTA',
    aws(
      '  - { name: h, site: va, fabric: efa, instanceType: p5.48xlarge, instances: 32 }\n',
      'quotas: { P: 6144 }',
    ),
    aws(
      '  - { name: h, site: va, fabric: efa, instanceType: p5.48xlarge, instances: 32 }\n',
      'quotas: { P: 6143 }',
    ),
    /on-demand P instances need 6,144 vCPUs \(h 6,144\) but the quota is 6,143\./,
  ],
  [
    'Capacity Block size: 64 instances in one block',
    'GW-CAP-BLOCK',
    aws(cbPool('h', 64, 'cr-00000001')),
    aws(cbPool('h', 65, 'cr-00000001')),
    /65 instances in one Capacity Block; AWS sells at most 64 per block\./,
  ],
  [
    'Capacity Blocks at a time: 4 × 64 = 256',
    'GW-CAP-BLOCK',
    aws(
      cbPool('a', 64, 'cr-0000000a') +
        cbPool('b', 64, 'cr-0000000b') +
        cbPool('c', 64, 'cr-0000000c') +
        cbPool('d', 64, 'cr-0000000d'),
    ),
    aws(
      cbPool('a', 64, 'cr-0000000a') +
        cbPool('b', 64, 'cr-0000000b') +
        cbPool('c', 64, 'cr-0000000c') +
        cbPool('d', 64, 'cr-0000000d') +
        cbPool('e', 1, 'cr-0000000e'),
    ),
    /holds 257 instances in Capacity Blocks at the same time .*; AWS allows 256 across Capacity Blocks/,
  ],
  [
    'EKS node groups: 30 × 450 = 13,500 nodes in 30 groups',
    'GW-CAP-EKS',
    aws('  - { name: g, site: va, fabric: efa, instanceType: g6e.48xlarge, instances: 13500 }\n'),
    aws('  - { name: g, site: va, fabric: efa, instanceType: g6e.48xlarge, instances: 13501 }\n'),
    [
      /its cluster would have 13,501 nodes, more than the 13,500 that default EKS quotas hold \(30 managed node groups × 450 nodes\); up to 100,000 nodes is the EKS ultra-scale capability, not a default quota\./,
      /its pools need 31 managed node groups \(g 31\); the default EKS quota is 30 per cluster\./,
    ],
  ],
  [
    'EKS nodes per cluster: 100,000',
    'GW-CAP-EKS:error',
    aws('  - { name: g, site: va, fabric: efa, instanceType: g6e.48xlarge, instances: 100000 }\n'),
    aws('  - { name: g, site: va, fabric: efa, instanceType: g6e.48xlarge, instances: 100001 }\n'),
    /its cluster would have 100,001 nodes; EKS supports at most 100,000 per cluster, even at ultra scale\./,
  ],
  [
    'IP space: a /24 holds 256 − 5 = 251 addresses (1 node + 250 pods)',
    'GW-NET-IP-SPACE',
    aws(
      '  - { name: g, site: va, fabric: efa, instanceType: g6e.48xlarge, instances: 1, efa: false }\n',
      undefined,
      ', subnetPrefixLength: 24, maxPodsPerNode: 250',
    ),
    aws(
      '  - { name: g, site: va, fabric: efa, instanceType: g6e.48xlarge, instances: 1, efa: false }\n',
      undefined,
      ', subnetPrefixLength: 24, maxPodsPerNode: 251',
    ),
    /the \/24 node subnet has 251 usable addresses but its pools need 252 \(g 1 × 252\)\./,
  ],
  [
    'hybrid node CIDRs: a /30 holds 4 nodes',
    'GW-NET-HYBRID',
    aws(
      '  - { name: h, site: dc, system: dgx-h100, nodes: 4 }\n',
      'quotas: { P: 6144 } }\n  - { name: dc, provider: onprem, hybrid: { cluster: va, remoteNodeCidrs: [10.200.0.0/30] }',
    ),
    aws(
      '  - { name: h, site: dc, system: dgx-h100, nodes: 5 }\n',
      'quotas: { P: 6144 } }\n  - { name: dc, provider: onprem, hybrid: { cluster: va, remoteNodeCidrs: [10.200.0.0/30] }',
    ),
    /the remote node CIDRs hold 4 addresses for 5 nodes\./,
  ],
  [
    'shared Capacity Block: four pools of 16 draw the 64 instances of one block',
    'GW-CAP-BLOCK',
    aws(sharedPools([16, 16, 16, 16]), undefined, '', sharedBlock(64)),
    aws(sharedPools([16, 16, 16, 17]), undefined, '', sharedBlock(64)),
    /Pools a 16, b 16, c 16, d 17 draw 65 instances from reservation cr-0a00000000000001, which holds 64\./,
  ],
  [
    'Capacity Blocks at a time, counted per block: 4 blocks of 64, each shared by two pools of 32 = 256',
    'GW-CAP-BLOCK',
    aws(sharedAcross(0)),
    aws(sharedAcross(1)),
    /holds 257 instances in Capacity Blocks at the same time .*; AWS allows 256 across Capacity Blocks/,
  ],
  [
    'UltraServer Capacity Blocks at a time: 64 Trn2 UltraServers × 4 instances = 256',
    'GW-CAP-BLOCK',
    ultraBlocks(64),
    ultraBlocks(65),
    /holds 260 instances in Capacity Blocks at the same time .*; AWS allows 256 across Capacity Blocks/,
  ],
  [
    'air-cooled rack: 4 × 10 kW = the ~40 kW practical limit',
    'GW-PWR-AIR-DENSITY',
    airRack('10', '40'),
    airRack('10.0001', '40.0004'),
    /racks draw 40\.0004 kW \(h\), above the ~40 kW that optimized air typically removes per rack/,
  ],
];

describe.each(boundaries)('%s', (_name, rule, at, over, message) => {
  test(`exactly at the limit: no ${rule} finding`, () => {
    const ds = validate(at);
    expect(of(ds, 'GW-SCHEMA')).toEqual([]);
    expect(of(ds, rule)).toEqual([]);
  });
  test(`one smallest unit over: ${rule} says so`, () => {
    const found = of(validate(over), rule);
    const expected = Array.isArray(message) ? message : [message];
    expect(found.map((d) => d.message)).toEqual(expected.map((m) => expect.stringMatching(m)));
  });
});

describe('the issue’s cases', () => {
  test('42.9 kW racks hold three 14.3 kW systems (floating point says 2.9999999999999996)', () => {
    expect(42.9 / 14.3).toBeLessThan(3);
    expect(wholeTimes(42.9, 14.3)).toBe(3);
  });
  test('a load equal to usable power by hand arithmetic fits, and 1 W more does not', () => {
    // 2.652 MW of N+1 over 10 feeds (0.9 × 29.466 = 26.5194 usable); 20,400 kW IT × 1.3 = 26.52 MW.
    const usable = usableUtility(29.4666666, 'N+1', 10);
    expect(toNumber(usable)).toBeCloseTo(26.52, 6);
    expect(envelope(20400, 1.3, 26.52)).toMatchObject({ fits: true, headroomMW: 0 });
    expect(envelope(20400.001, 1.3, 26.52).fits).toBe(false);
  });
});

describe('exact arithmetic', () => {
  test.each([
    [0.1, { n: 1n, d: 10n }],
    [42.9, { n: 429n, d: 10n }],
    [1e-7, { n: 1n, d: 10000000n }],
    [1.5e21, { n: 1500000000000000000000n, d: 1n }],
    [-2.25, { n: -225n, d: 100n }],
  ])('%p is read as its decimal spelling', (x, r) => expect(exact(x)).toEqual(r));
  test('0.1 + 0.2 = 0.3 exactly', () => expect(compare(add(0.1, 0.2), 0.3)).toBe(0));
  test('non-finite quantities are refused', () => expect(() => exact(Number.NaN)).toThrow(RangeError));

  const decimal = fc
    .tuple(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 4 }))
    .map(([m, s]) => Number((m / 10 ** s).toFixed(s)));
  const config = { seed: 20261205, numRuns: 300 };

  test('at, just under and just over a decimal limit (smallest unit 0.0001)', () => {
    fc.assert(
      fc.property(decimal, (limit) => {
        expect(withinLimit(limit, limit)).toBe(true);
        expect(exceedsLimit(limit, limit)).toBe(false);
        expect(withinLimit(subtract(limit, 0.0001), limit)).toBe(true);
        expect(exceedsLimit(add(limit, 0.0001), limit)).toBe(true);
      }),
      config,
    );
  });
  test('k systems of kW each fill a k × kW rack exactly, and not one more', () => {
    fc.assert(
      fc.property(decimal, fc.integer({ min: 1, max: 64 }), (kw, k) => {
        const rack = toNumber(multiply(kw, k));
        expect(wholeTimes(rack, kw)).toBe(k);
        expect(wholeTimes(subtract(rack, 0.0001), kw)).toBe(k - 1);
      }),
      config,
    );
  });
  test('a facility load equal to usable power fits; 1 W over does not', () => {
    fc.assert(
      fc.property(decimal, fc.integer({ min: 100, max: 200 }), (itKW, pue100) => {
        const pue = pue100 / 100;
        const usable = divide(multiply(itKW, pue), 1000);
        expect(envelope(itKW, pue, usable).fits).toBe(true);
        expect(envelope(add(itKW, 0.001), pue, usable).fits).toBe(false);
      }),
      config,
    );
  });
});
