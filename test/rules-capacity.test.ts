/**
 * Capacity and network rules for AWS pools: a compliant plan, then one mutation per finding
 * (cdk-nag style "Compliance / Noncompliance N").
 */
import { efaInterfaceLayout } from '../pipeline/model/efa';
import { ipDemand, smallestPrefixFor, usableAddresses } from '../pipeline/model/network';
import { instanceType } from '../pipeline/catalog';
import { check, errorIds } from './helpers';

const ok = `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: cap }
schedule: { start: 2027-01-04T11:30:00Z, end: 2027-01-18T11:30:00Z }
sites:
  - { name: ohio, provider: aws, region: us-east-2, quotas: { P: 6144, Trn: 384 }, spotQuotas: { P: 384 } }
  - name: dc
    provider: onprem
    power: { utilityMW: 5, pue: 1.3 }
    hybrid: { cluster: ohio, remoteNodeCidrs: [192.168.0.0/22], remotePodCidrs: [192.168.64.0/18] }
fabrics:
  - { name: efa, site: ohio, vpcCidr: 10.64.0.0/16, availabilityZone: us-east-2b, securityGroups: [{ name: extra, selfIngressAllTraffic: true, selfEgressAllTraffic: true }] }
pools:
  - name: trn
    site: ohio
    fabric: efa
    instanceType: trn2u.48xlarge
    instances: 16
    capacity: { type: capacity-block, reservationId: cr-0abc1234def567890, instances: 16, availabilityZone: us-east-2b, start: 2027-01-04T11:30:00Z, end: 2027-01-18T11:30:00Z }
  - { name: h100, site: ohio, fabric: efa, instanceType: p5.48xlarge, instances: 32 }
  - { name: small, site: ohio, fabric: efa, instanceType: trn1.32xlarge, instances: 3 }
  - { name: spot, site: ohio, fabric: efa, instanceType: p5.48xlarge, instances: 2, capacity: { type: spot } }
  - { name: dgx, site: dc, system: dgx-h100, nodes: 64, maxSystemKW: 10.2 }
`;

const NOW = new Date('2026-11-22T00:00:00Z');
const findings = (text: string, rule: string) =>
  check(text, NOW).diagnostics.filter((d) => d.rule === rule && !d.waiver);

describe('compliance', () => {
  test('the base plan passes every rule without warnings', () => {
    // Except the warning every Trn2 UltraServer pool carries while gigawatt's pinned Neuron device plugin is
    // older than the UltraServer guide asks (GW-CAP-NEURON-DEVICES, test/kubernetes-operations.test.ts).
    expect(
      check(ok, NOW)
        .diagnostics.filter((d) => !(d.rule === 'GW-CAP-NEURON-DEVICES' && d.severity === 'warning'))
        .map((d) => `${d.rule}: ${d.message}`),
    ).toEqual([]);
  });
});

// [name, mutation, rule, severity, message]
const cases: [string, (s: string) => string, string, 'error' | 'warning', RegExp][] = [
  [
    'Capacity Block outside its regions',
    (s) => s.replace('region: us-east-2', 'region: eu-west-1'),
    'GW-CAP-REGION',
    'error',
    /trn2u\.48xlarge Capacity Blocks are offered in us-east-2, not in eu-west-1/,
  ],
  [
    'availability not documented',
    (s) => s.replace('instanceType: trn1.32xlarge, instances: 3', 'instanceType: g6e.48xlarge, instances: 2'),
    'GW-CAP-REGION',
    'warning',
    /availability of g6e\.48xlarge in us-east-2 is not documented in the catalog; not checked/,
  ],
  [
    'trn2u not in whole UltraServers',
    (s) => s.replace('instances: 16\n    capacity', 'instances: 14\n    capacity'),
    'GW-CAP-ULTRASERVER',
    'error',
    /14 × trn2u\.48xlarge is not a whole number of Trn2 UltraServers \(4 instances each\)/,
  ],
  [
    'reservation smaller than the pool',
    (s) => s.replace('instances: 16, availabilityZone', 'instances: 12, availabilityZone'),
    'GW-CAP-BLOCK',
    'error',
    /16 instances but the Capacity Block holds 12/,
  ],
  [
    'reservation in another AZ',
    (s) =>
      s.replace('instances: 16, availabilityZone: us-east-2b', 'instances: 16, availabilityZone: us-east-2a'),
    'GW-CAP-BLOCK',
    'error',
    /Capacity Block is in us-east-2a but the pool's subnet \(fabric 'efa'\) is in us-east-2b/,
  ],
  [
    'reservation for another type',
    (s) =>
      s.replace(
        'reservationId: cr-0abc1234def567890,',
        'reservationId: cr-0abc1234def567890, instanceType: trn2.48xlarge,',
      ),
    'GW-CAP-BLOCK',
    'error',
    /Capacity Block is for trn2\.48xlarge, the pool asks for trn2u\.48xlarge/,
  ],
  [
    'window ends before the schedule',
    (s) =>
      s.replace(
        'end: 2027-01-18T11:30:00Z }\n  - { name: h100',
        'end: 2027-01-11T11:30:00Z }\n  - { name: h100',
      ),
    'GW-CAP-BLOCK',
    'error',
    /window 2027-01-04T11:30:00Z – 2027-01-11T11:30:00Z does not cover the plan schedule/,
  ],
  [
    'no reservation id',
    (s) => s.replace('reservationId: cr-0abc1234def567890, ', ''),
    'GW-CAP-BLOCK',
    'error',
    /needs the reservation id/,
  ],
  [
    'minSize on a Capacity Block',
    (s) => s.replace('instances: 16, availabilityZone', 'instances: 16, minSize: 8, availabilityZone'),
    'GW-CAP-BLOCK',
    'warning',
    /minSize 8 is ignored; a Capacity Block node group is min 0 and scaled by the block window \(16 at its start, 0 before its end\)/,
  ],
  [
    'more than 64 in one block',
    (s) =>
      s.replace(
        '{ name: h100, site: ohio, fabric: efa, instanceType: p5.48xlarge, instances: 32 }',
        '{ name: h100, site: ohio, fabric: efa, instanceType: p5.48xlarge, instances: 80, capacity: { type: capacity-block, reservationId: cr-0123456789abcdef1 } }',
      ),
    'GW-CAP-BLOCK',
    'error',
    /80 instances in one Capacity Block; AWS sells at most 64 per block/,
  ],
  [
    'more than 256 across blocks',
    (s) =>
      s.replace(
        /instances: 16\n {4}capacity: \{ type: capacity-block, reservationId: cr-0abc1234def567890, instances: 16/,
        'instances: 260\n    capacity: { type: capacity-block, reservationId: cr-0abc1234def567890, instances: 260',
      ),
    'GW-CAP-BLOCK',
    'error',
    /260 instances in Capacity Blocks at the same time \(cr-0abc1234def567890 260 \(trn\)\); AWS allows 256 across Capacity Blocks/,
  ],
  [
    'Capacity-Block-only type on demand',
    (s) => s.replace(/capacity: \{ type: capacity-block.*\}/, 'capacity: { type: on-demand }'),
    'GW-CAP-BLOCK',
    'warning',
    /trn2u\.48xlarge appears to be sold only through Capacity Blocks \(estimate: .*\); an on-demand launch may fail/,
  ],
  [
    'spot where the type has none',
    (s) => s.replace(/capacity: \{ type: capacity-block.*\}/, 'capacity: { type: spot }'),
    'GW-CAP-BLOCK',
    'warning',
    /trn2u\.48xlarge appears to have no spot capacity \(estimate\)/,
  ],
  [
    'on-demand quota for the whole plan',
    (s) => s.replace('P: 6144', 'P: 4000'),
    'GW-CAP-QUOTA',
    'error',
    /on-demand P instances need 6,144 vCPUs \(h100 6,144\) but the quota is 4,000/,
  ],
  [
    'quota summed over pools of one family',
    (s) => s.replace('Trn: 384', 'Trn: 383'),
    'GW-CAP-QUOTA',
    'error',
    /on-demand Trn instances need 384 vCPUs \(small 384\)/,
  ],
  [
    'spot quota separately',
    (s) => s.replace('spotQuotas: { P: 384 }', 'spotQuotas: { P: 100 }'),
    'GW-CAP-QUOTA',
    'error',
    /spot P instances need 384 vCPUs \(spot 384\) but the quota is 100/,
  ],
  [
    'a family without a quota is not checked, loudly',
    (s) => s.replace('quotas: { P: 6144, Trn: 384 }', 'quotas: { P: 6144 }'),
    'GW-CAP-QUOTA',
    'warning',
    /no on-demand vCPU quota declared for family Trn; 384 vCPUs \(small 384\) not checked/,
  ],
  [
    'too many managed node groups',
    (s) =>
      s
        .replace('instanceType: p5.48xlarge, instances: 32', 'instanceType: p5.48xlarge, instances: 13500')
        .replace('P: 6144', 'P: 3000000')
        .replace('vpcCidr: 10.64.0.0/16', 'vpcCidr: 10.64.0.0/16, maxPodsPerNode: 1'),
    'GW-CAP-EKS',
    'warning',
    /need 33 managed node groups \(trn 1, h100 30, small 1, spot 1\)/,
  ],
  [
    'more nodes than an EKS cluster holds',
    (s) =>
      s
        .replace('system: dgx-h100, nodes: 64', 'system: dgx-h100, nodes: 100000')
        .replace('192.168.0.0/22', '10.128.0.0/9'),
    'GW-CAP-EKS',
    'error',
    /cluster would have 100,053 nodes; EKS supports at most 100,000/,
  ],
  [
    'subnet too small',
    (s) =>
      s.replace(
        'availabilityZone: us-east-2b, securityGroups',
        'availabilityZone: us-east-2b, subnetPrefixLength: 22, securityGroups',
      ),
    'GW-NET-IP-SPACE',
    'error',
    /the \/22 node subnet has 1,019 usable addresses but its pools need 5,794 \(trn 16 × 101, h100 32 × 101, small 3 × 248, spot 2 × 101\)/,
  ],
  [
    'VPC too small',
    (s) => s.replace('vpcCidr: 10.64.0.0/16', 'vpcCidr: 10.64.0.0/21'),
    'GW-NET-IP-SPACE',
    'error',
    /need 5,794 addresses .* but the VPC 10\.64\.0\.0\/21 holds 2,048/,
  ],
  [
    'EFA on a type without EFA',
    (s) =>
      s.replace(
        'instanceType: trn1.32xlarge, instances: 3',
        'instanceType: inf2.48xlarge, instances: 2, efa: true',
      ),
    'GW-NET-EFA',
    'error',
    /inf2\.48xlarge does not support EFA/,
  ],
  [
    'an EFA pool without a fabric',
    (s) => s.replace('{ name: small, site: ohio, fabric: efa,', '{ name: small, site: ohio,'),
    'GW-NET-EFA',
    'error',
    /Pool 'small' uses EFA but names no fabric/,
  ],
  [
    'EFA fabric without an AZ',
    (s) =>
      s
        .replace(', availabilityZone: us-east-2b, securityGroups', ', securityGroups')
        .replace('availabilityZone: us-east-2b, start', 'start'),
    'GW-NET-EFA',
    'error',
    /names no availabilityZone; EFA does not cross subnets or AZs/,
  ],
  [
    'security group without self egress',
    (s) => s.replace('selfEgressAllTraffic: true', 'selfEgressAllTraffic: false'),
    'GW-NET-EFA',
    'error',
    /Security group 'extra' .* lacks all-traffic egress to itself/,
  ],
  [
    'placement group forced on a Capacity Block',
    (s) => s.replace('instances: 16\n    capacity', 'instances: 16\n    placementGroup: true\n    capacity'),
    'GW-NET-EFA',
    'error',
    /cluster placement group on a Capacity Block fails/,
  ],
  [
    'hybrid CIDR not private',
    (s) => s.replace('remoteNodeCidrs: [192.168.0.0/22]', 'remoteNodeCidrs: [8.8.0.0/22]'),
    'GW-NET-HYBRID',
    'error',
    /Remote node CIDR 8\.8\.0\.0\/22 of site 'dc' is not an RFC 1918 range/,
  ],
  [
    'hybrid CIDR overlaps the VPC',
    (s) => s.replace('remoteNodeCidrs: [192.168.0.0/22]', 'remoteNodeCidrs: [10.64.8.0/22]'),
    'GW-NET-HYBRID',
    'error',
    /overlaps VPC of fabric 'efa' \(10\.64\.0\.0\/16\)/,
  ],
  [
    'hybrid CIDR overlaps the service CIDR',
    (s) => s.replace('remotePodCidrs: [192.168.64.0/18]', 'remotePodCidrs: [172.20.0.0/18]'),
    'GW-NET-HYBRID',
    'error',
    /overlaps the service CIDR \(172\.20\.0\.0\/16\)/,
  ],
  [
    'hybrid node and pod CIDRs overlap',
    (s) => s.replace('remotePodCidrs: [192.168.64.0/18]', 'remotePodCidrs: [192.168.2.0/24]'),
    'GW-NET-HYBRID',
    'error',
    /Remote CIDRs 192\.168\.0\.0\/22 and 192\.168\.2\.0\/24 of site 'dc' overlap/,
  ],
  [
    'hybrid node CIDR too small',
    (s) => s.replace('remoteNodeCidrs: [192.168.0.0/22]', 'remoteNodeCidrs: [192.168.0.0/27]'),
    'GW-NET-HYBRID',
    'error',
    /remote node CIDRs hold 32 addresses for 64 nodes/,
  ],
  [
    'VPC CIDR with host bits (terraform validate refuses it)',
    (s) => s.replace('vpcCidr: 10.64.0.0/16', 'vpcCidr: 10.64.0.1/16'),
    'GW-NET-CIDR-FORM',
    'error',
    /^CIDR 10\.64\.0\.1\/16 has host bits set; its block is 10\.64\.0\.0\/16/,
  ],
  [
    'hybrid pod CIDR with host bits',
    (s) => s.replace('remotePodCidrs: [192.168.64.0/18]', 'remotePodCidrs: [192.168.64.1/18]'),
    'GW-NET-CIDR-FORM',
    'error',
    /^CIDR 192\.168\.64\.1\/18 has host bits set; its block is 192\.168\.64\.0\/18/,
  ],
  [
    'service CIDR with host bits',
    (s) => `${s}kubernetes: { serviceCidr: 172.20.0.1/16 }\n`,
    'GW-NET-CIDR-FORM',
    'error',
    /^CIDR 172\.20\.0\.1\/16 has host bits set; its block is 172\.20\.0\.0\/16/,
  ],
  [
    'service CIDR wider than /12',
    (s) => `${s}kubernetes: { serviceCidr: 172.0.0.0/11 }\n`,
    'GW-NET-SERVICE-CIDR',
    'error',
    /^kubernetes\.serviceCidr 172\.0\.0\.0\/11 is not an RFC 1918 block of \/12 to \/24/,
  ],
  [
    'service CIDR narrower than /24',
    (s) => `${s}kubernetes: { serviceCidr: 172.20.0.0/25 }\n`,
    'GW-NET-SERVICE-CIDR',
    'error',
    /^kubernetes\.serviceCidr 172\.20\.0\.0\/25 is not an RFC 1918 block/,
  ],
  [
    'service CIDR outside RFC 1918 (CGNAT space)',
    (s) => `${s}kubernetes: { serviceCidr: 100.64.0.0/16 }\n`,
    'GW-NET-SERVICE-CIDR',
    'error',
    /^kubernetes\.serviceCidr 100\.64\.0\.0\/16 is not an RFC 1918 block/,
  ],
  [
    'service CIDR inside the VPC',
    (s) => `${s}kubernetes: { serviceCidr: 10.64.128.0/20 }\n`,
    'GW-NET-SERVICE-CIDR',
    'error',
    /overlaps the VPC of fabric 'efa' \(10\.64\.0\.0\/16\) on site 'ohio'/,
  ],
];

describe.each(cases)('non-compliant: %s', (_name, mutate, rule, severity, message) => {
  test(`${rule} reports it`, () => {
    const text = mutate(ok);
    expect(text).not.toBe(ok);
    const r = check(text, NOW);
    expect(r.diagnostics.filter((d) => d.rule === 'GW-SCHEMA')).toEqual([]);
    const got = findings(text, rule);
    expect(got.map((d) => d.message)).toContainEqual(expect.stringMatching(message));
    expect(got.find((d) => message.test(d.message))!.severity).toBe(severity);
    if (severity === 'error') expect(errorIds(r)).toContain(rule);
  });
});

describe('network arithmetic', () => {
  test.each([
    [
      'p5.48xlarge',
      32,
      [
        [0, 0, 'interface'],
        [0, 1, 'efa-only'],
        [31, 0, 'efa-only'],
      ],
    ],
    [
      'p5en.48xlarge',
      16,
      [
        [0, 0, 'interface'],
        [0, 1, 'efa-only'],
        [15, 0, 'efa-only'],
      ],
    ],
    [
      'trn2.48xlarge',
      16,
      [
        [0, 0, 'interface'],
        [0, 1, 'efa-only'],
        [15, 0, 'efa-only'],
      ],
    ],
    [
      'p6-b200.48xlarge',
      8,
      [
        [0, 0, 'interface'],
        [0, 1, 'efa-only'],
        [7, 0, 'efa-only'],
      ],
    ],
    [
      'p6-b300.48xlarge',
      16,
      [
        [0, 0, 'interface'],
        [1, 0, 'efa-only'],
        [16, 0, 'efa-only'],
      ],
    ],
    [
      'p6e-gb200.36xlarge',
      5,
      [
        [0, 0, 'interface'],
        [0, 1, 'efa-only'],
        [13, 0, 'efa-only'],
      ],
    ],
  ] as const)('%s: primary ENA + %p efa-only interfaces, one per card', (type, efa, spots) => {
    const layout = efaInterfaceLayout(instanceType(type));
    expect(layout.filter((s) => s.interfaceType === 'efa-only')).toHaveLength(efa);
    expect(layout.filter((s) => s.interfaceType === 'interface')).toEqual([
      { networkCardIndex: 0, deviceIndex: 0, interfaceType: 'interface' },
    ]);
    const cards = layout.filter((s) => s.interfaceType === 'efa-only').map((s) => s.networkCardIndex);
    expect(new Set(cards).size).toBe(cards.length);
    const first = layout[1];
    const last = layout[layout.length - 1];
    expect([
      [layout[0].networkCardIndex, layout[0].deviceIndex, layout[0].interfaceType],
      [first.networkCardIndex, first.deviceIndex, first.interfaceType],
      [last.networkCardIndex, last.deviceIndex, last.interfaceType],
    ]).toEqual(spots);
  });

  test('usable addresses subtract the 5 AWS reserves; smallest prefix that fits', () => {
    expect(usableAddresses(24)).toBe(251);
    expect(usableAddresses(16)).toBe(65531);
    expect(smallestPrefixFor(251)).toBe(24);
    expect(smallestPrefixFor(252)).toBe(23);
    expect(smallestPrefixFor(65532)).toBeUndefined();
  });

  test('EFA-only interfaces take no address; prefix delegation rounds pods up to /28 blocks', () => {
    const model = check(ok, NOW).plan!;
    expect(ipDemand(model.poolByName.get('h100')!)).toMatchObject({
      interfaceIps: 1,
      podIps: 100,
      perNode: 101,
      total: 3232,
    });
    expect(ipDemand(model.poolByName.get('h100')!, true)).toMatchObject({ podIps: 112, perNode: 113 });
    expect(ipDemand(model.poolByName.get('small')!)).toMatchObject({
      interfaceIps: 1,
      podIps: 247,
      perNode: 248,
    });
  });
});

test('Capacity Blocks that do not overlap in time do not add up against the 256-instance limit', () => {
  const { peakCapacityBlockInstances } = jest.requireActual(
    '../pipeline/rules/checks/gw-cap-block',
  ) as typeof import('../pipeline/rules/checks/gw-cap-block');
  const day = 86400000;
  const block = (pool: string, startDay: number) => ({
    pool,
    instances: 64,
    start: startDay * day,
    end: (startDay + 14) * day,
  });
  expect(
    peakCapacityBlockInstances([block('a', 0), block('b', 0), block('c', 0), block('d', 0), block('e', 14)]),
  ).toEqual({ instances: 256, pools: ['a', 'b', 'c', 'd'] });
  expect(
    peakCapacityBlockInstances([block('a', 0), block('b', 0), block('c', 0), block('d', 7), block('e', 7)])
      .instances,
  ).toBe(320);
});

test('a fabric in a Local Zone (P6e-GB200 in us-east-1-dfw-2a) is a valid plan', () => {
  const gb = `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: gb }
sites: [{ name: dfw, provider: aws, region: us-east-1 }]
fabrics: [{ name: lz, site: dfw, vpcCidr: 10.9.0.0/16, availabilityZone: us-east-1-dfw-2a, maxPodsPerNode: 16 }]
pools: [{ name: gb200, site: dfw, fabric: lz, instanceType: p6e-gb200.36xlarge, instances: 18, capacity: { type: capacity-block, reservationId: cr-0123456789abcdef0, instances: 18, availabilityZone: us-east-1-dfw-2a } }]
`;
  const r = check(gb, NOW);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(errorIds(check(gb.replace(/us-east-1-dfw-2a/g, 'us-east-1a'), NOW))).toEqual(['GW-CAP-REGION']);
});

test('hybrid GB200 NVL72 racks count 18 Kubernetes nodes each', () => {
  const text = ok
    .replace('system: dgx-h100, nodes: 64', 'system: gb200-nvl72, nodes: 4')
    .replace('remoteNodeCidrs: [192.168.0.0/22]', 'remoteNodeCidrs: [192.168.0.0/26]')
    .replace('utilityMW: 5', 'utilityMW: 5');
  expect(findings(text, 'GW-NET-HYBRID').map((d) => d.message)).toContain(
    "Site 'dc': the remote node CIDRs hold 64 addresses for 72 nodes.",
  );
});

test.each(['172.16.0.0/12', '192.168.200.0/24', '10.100.0.0/16'])(
  'a service CIDR of %s (the /12 and /24 bounds, the other EKS default) passes GW-NET-SERVICE-CIDR',
  (cidr) => {
    const text = `${ok}kubernetes: { serviceCidr: ${cidr} }\n`;
    expect(findings(text, 'GW-NET-SERVICE-CIDR')).toEqual([]);
    expect(findings(text, 'GW-NET-CIDR-FORM')).toEqual([]);
  },
);

test('the service CIDR is checked only where an EKS cluster is made: an on-prem-only plan passes', () => {
  const onpremOnly = `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: dc }
sites:
  - { name: dc, provider: onprem, power: { utilityMW: 5, pue: 1.3 } }
pools:
  - { name: dgx, site: dc, system: dgx-h100, nodes: 4 }
kubernetes: { serviceCidr: 100.64.0.0/16 }
`;
  expect(errorIds(check(onpremOnly, NOW))).toEqual([]);
  expect(findings(onpremOnly, 'GW-NET-SERVICE-CIDR')).toEqual([]);
});

describe('GW-PLAN-AWS-NAMES: <plan>-<site>-cluster within the 64 characters of an IAM role name', () => {
  const named = (site: string) =>
    ok.replace('metadata: { name: cap }', `metadata: { name: p${'a'.repeat(39)} }`).replaceAll('ohio', site);
  test('a 40-character plan name and a 15-character site: 64 characters, no finding', () => {
    const text = named(`o${'h'.repeat(14)}`);
    expect(errorIds(check(text, NOW))).toEqual([]);
    expect(findings(text, 'GW-PLAN-AWS-NAMES')).toEqual([]);
  });
  test('a 16-character site: 65 characters, an error at the site name naming each long role', () => {
    const site = `o${'h'.repeat(15)}`;
    const r = check(named(site), NOW);
    const got = r.diagnostics.filter((d) => d.rule === 'GW-PLAN-AWS-NAMES');
    expect(got.map((d) => [d.severity, d.message, d.hint])).toEqual([
      [
        'error',
        `Site '${site}' of plan 'p${'a'.repeat(39)}' gives its cluster IAM role names of up to 65 characters (p${'a'.repeat(39)}-${site}-cluster); IAM allows 64.`,
        'Shorten the plan name (metadata.name) or the site name by 1 character together. Renaming a deployed plan or site points it at new state.',
      ],
    ]);
    expect(got[0]!.line).toBe(
      named(site)
        .split('\n')
        .findIndex((l) => l.includes(`name: ${site}, provider: aws`)) + 1,
    );
  });
});
