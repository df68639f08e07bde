/**
 * What docs/rules/<ID>.md says beyond the rule table: the fix, an example plan that raises the rule (a test
 * validates every example and checks that it does), and the other severities a rule emits for some findings.
 * Generated into docs/rules/ by `npm run docs` (pipeline/rules/docs.ts).
 */
import type { Severity } from '../util/diagnostic';

export interface RulePage {
  /** How to make the finding go away, in the plan's words. */
  readonly fix: string;
  /** A whole plan that raises the rule (checked by test/docs.test.ts). */
  readonly example?: string;
  /** For rules no plan can raise on its own: how the finding comes about instead. */
  readonly exampleNote?: string;
  /** Severities some findings of the rule carry besides the rule's own. */
  readonly alsoSeverities?: readonly Severity[];
  readonly alsoWhen?: string;
}

const HEAD = `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: example }
`;
const OHIO = `sites:
  - { name: ohio, provider: aws, region: us-east-2, quotas: { P: 3072, Trn: 12288 } }
`;
const EFA = `fabrics:
  - { name: efa, site: ohio, vpcCidr: 10.64.0.0/16, availabilityZone: us-east-2b }
`;
/** An AWS plan; pools without a fabric of their own get the site's EFA fabric. */
const aws = (rest: string): string =>
  HEAD +
  OHIO +
  (rest.includes('fabrics:')
    ? rest
    : EFA +
      rest
        .replace(/(\{ name: [\w-]+, site: ohio,)(?! fabric)/g, '$1 fabric: efa,')
        .replace(/^( {4}site: ohio\n)(?! {4}fabric)/gm, '$1    fabric: efa\n'));
const H100 = `pools:
  - { name: h100, site: ohio, instanceType: p5.48xlarge, instances: 2 }
`;
const onprem = (site: string, rest: string): string =>
  `${HEAD}sites:
  - name: dc
    provider: onprem
${site}fabrics:
  - { name: ib, site: dc, topology: rail-optimized-fat-tree, linkGbps: 400, switchRadix: 64, oversubscription: 1, switchKW: 1.5 }
${rest}`;
const POWER = '    power: { utilityMW: 20, redundancy: N+1, feeds: 2, pue: 1.3 }\n';
const AIR = '    halls: [{ name: air, racks: 100, rackKW: 45, cooling: air, rackUnits: 42 }]\n';
const WET = '    halls: [{ name: wet, racks: 10, rackKW: 132, cooling: liquid, rackUnits: 48 }]\n';

export const RULE_PAGES: Readonly<Record<string, RulePage>> = {
  'GW-SCHEMA': {
    fix: 'Correct the field the message names: its type, enum value or range. Editors that read the plan schema (`# yaml-language-server: $schema=...`) show the same error as you type.',
    example: aws(`pools:
  - { name: h100, site: ohio, instanceType: p5.48xlarge, instances: -4 }
`),
  },
  'GW-RULE-CRASH': {
    fix: 'Report the message to the gigawatt maintainers with the plan; until the rule is fixed, the plan is not judged by it.',
    exampleNote:
      'No valid plan raises it on purpose: it reports a defect in a rule, with the error the rule threw.',
  },
  'GW-WAIVER-EXPIRED': {
    fix: 'Fix the finding, or renew the waiver with a new `expires` date and a reason that still holds.',
    example: aws(`pools:
  - { name: h100, site: ohio, instanceType: p5.48xlarge, instances: 2, maxInstances: 1 }
waivers:
  - { rule: GW-NET-POOL-MAX, target: pools.h100, reason: growth approved in review, expires: 2020-01-31 }
`),
  },
  'GW-WAIVER-UNUSED': {
    fix: 'Correct the rule id or target of the waiver so that it matches the finding, or delete the waiver once the finding is fixed.',
    example: aws(`${H100}waivers:
  - { rule: GW-NET-POOL-MAX, target: pools.h100, reason: growth approved in review, expires: 2027-01-31 }
`),
  },
  'GW-WAIVER-POLICY': {
    fix: 'Fix a security finding instead of waiving it; give any other waiver an `expires` at most 90 days after the run date (the message names the latest date allowed) and renew it when it runs out.',
    example: aws(`${H100}kubernetes:
  endpoint: public
waivers:
  - { rule: GW-SEC-EKS-PUBLIC, target: kubernetes, reason: needed for the demo next week, expires: 2026-12-01 }
  - { rule: GW-NET-POOL-MAX, target: pools.h100, reason: growth approved in review, expires: 9999-12-31 }
`),
  },
  'GW-WAIVER-RANGE': {
    fix: 'Write the first day the waiver covers in `from` and the last in `until` (inclusive); swap them if they were written the wrong way round.',
    example: aws(`${H100}timeline:
  - { date: 2027-03-01, pools: [{ name: h100, instances: 4 }] }
waivers:
  - { rule: GW-CAP-QUOTA, target: sites.ohio, reason: quota increase lands in April, from: 2027-04-30, until: 2027-03-01, expires: 2099-12-31 }
`),
  },
  'GW-LIVE-SKIPPED': {
    fix: 'Run with credentials that allow servicequotas:GetServiceQuota, ec2:DescribeInstanceTypeOfferings and ec2:DescribeCapacityReservations, or drop `--live` to judge the plan on its declared quotas and reservations.',
    exampleNote:
      'Raised by `gigawatt validate --live plan.yaml` when an AWS call fails (no credentials, permission denied, API error) or gets no answer by its deadline (10 s per call, 60 s for all, `--live-deadline`): the message names what was not checked and why.',
  },
  'GW-PLAN-STATE-KEY': {
    fix: 'Give each plan a `metadata.name` of its own (renaming a deployed plan replaces its cluster, so rename the one not yet applied), or, with an S3 backend, another `backend.bucket` or `backend.keyPrefix`.',
    exampleNote:
      'No plan alone raises it: it compares the plans of one run, so validate every plan that shares a backend together, e.g. `gigawatt validate plans/*.yaml` in CI. `gigawatt validate a.yaml b.yaml` where both plans have `metadata: { name: frontier }` and the same `backend` reports it at b.yaml’s metadata.name, naming a.yaml and each shared state key. A run over a single file cannot see another plan and never reports it; nor can `synth` or `diff`, which read one plan (diff’s two files are the same plan before and after). Local-backend state is compared by plan name, as if both plans were synthesized beside one another.',
  },
  'GW-PLAN-REFERENCE': {
    fix: 'Name a site, fabric, hall or reservation the plan defines (the message suggests the nearest names), and keep names and reservation ids unique.',
    example: aws(`pools:
  - { name: h100, site: texas, instanceType: p5.48xlarge, instances: 2 }
`),
  },
  'GW-PLAN-POOL-TYPE': {
    fix: 'Use an instance type (AWS sites) or system (on-prem sites) from `gigawatt catalog`, and count AWS pools in `instances`, on-prem pools in `nodes`.',
    example: aws(`pools:
  - { name: h100, site: ohio, instanceType: p5.48xlarg, instances: 2 }
`),
  },
  'GW-PLAN-NAMESPACE': {
    fix: 'Give the team a namespace of its own, e.g. its team name.',
    example: aws(`${H100}kubernetes:
  queues:
    cohort: research
    teams: [{ name: platform, namespace: kube-system }]
`),
  },
  'GW-PLAN-LABELS': {
    fix: 'Use label keys of your own domain (e.g. example.com/team) with names and values of at most 63 letters, digits, "-", "_" or ".".',
    example: aws(`pools:
  - name: h100
    site: ohio
    instanceType: p5.48xlarge
    instances: 2
    labels: { node-role.kubernetes.io/training: 'true' }
`),
  },
  'GW-PLAN-TIMELINE': {
    fix: 'Name only sites, halls and pools the plan defines, each once in a phase, and count AWS pools in `instances`, on-prem pools in `nodes`; give each phase a date of its own (merge phases that share one).',
    example: aws(`${H100}timeline:
  - { date: 2027-03-01, pools: [{ name: h200, instances: 4 }] }
`),
  },
  'GW-CAP-REGION': {
    fix: 'Move the pool to a region (and zone) where the type is sold for its purchase path, or confirm the offering with `--live`.',
    alsoSeverities: ['warning'],
    alsoWhen:
      'a warning when the region is not in the catalog’s incomplete on-demand list, or no Capacity Block regions are documented ("availability unknown")',
    example: `${HEAD}sites:
  - { name: frankfurt, provider: aws, region: eu-central-1, quotas: { Trn: 12288 } }
fabrics:
  - { name: efa, site: frankfurt, vpcCidr: 10.64.0.0/16, availabilityZone: eu-central-1a }
reservations:
  - { id: cr-0abc1234def567890, site: frankfurt, type: capacity-block, instanceType: trn2u.48xlarge, instances: 4, availabilityZone: eu-central-1a, start: 2027-01-04T11:30:00Z, end: 2027-02-01T11:30:00Z }
pools:
  - name: trn
    site: frankfurt
    fabric: efa
    instanceType: trn2u.48xlarge
    instances: 4
    capacity: { type: capacity-block, reservationId: cr-0abc1234def567890 }
`,
  },
  'GW-CAP-ULTRASERVER': {
    fix: 'Size the pool in whole UltraServers (a multiple of the UltraServer size the message names).',
    example: aws(`pools:
  - { name: trn, site: ohio, instanceType: trn2u.48xlarge, instances: 6 }
`),
  },
  'GW-CAP-NEURON-DEVICES': {
    fix: 'Trainium3: set kubernetes.version to \'1.34\' or later and install the Neuron DRA driver, `helm upgrade --install neuron-helm-chart oci://public.ecr.aws/neuron/neuron-helm-chart --set "devicePlugin.enabled=false" --set "npd.enabled=false" --set "draDriver.enabled=true"` (aws-neuron-sdk deploy/eks/dra.rst; the chart refuses the DRA driver while its default device plugin is on), with `--set "ultraserverOperator.enabled=true"` for the UltraServer operator and no device plugin on those nodes. The pool\'s Kueue queue counts claims of DeviceClass neuron.aws.com (as neuron.aws.com/device, through Kueue\'s deviceClassMappings), not aws.amazon.com/neuron requests: workloads reference the ResourceClaimTemplate `<pool>-neuron-node` that gigawatt writes in each team namespace that may use the pool, and name the pool\'s LocalQueue (the `default` one points at the team\'s first pool). Trn2 UltraServers: install the Neuron device plugin 2.30.0.0 or later from the Neuron Helm chart in place of gigawatt\'s neuron-device-plugin.yaml.',
    alsoSeverities: ['warning'],
    alsoWhen:
      "a warning for a Trn2 UltraServer pool while gigawatt's pinned device plugin is older than 2.30.0.0, and for a Trainium3 pool on Kubernetes 1.34 or later (the DRA driver is not part of gigawatt's output)",
    example: aws(`pools:
  - { name: trn3, site: ohio, instanceType: trn3p.48xlarge, instances: 4 }
kubernetes: { version: '1.33' }
`),
  },
  'GW-CAP-BLOCK': {
    fix: 'Make the reservation match the pool: same instance type and AZ, enough instances, a window that covers the schedule; buy Capacity Blocks for types sold only that way.',
    alsoSeverities: ['warning'],
    alsoWhen:
      "a warning where the purchase fact it rests on is an estimate (p5e, trn2, trn2u), and for a minSize, which a block's windowed node group ignores",
    example: aws(`reservations:
  - { id: cr-0abc1234def567890, site: ohio, type: capacity-block, instanceType: p5.48xlarge, instances: 4, availabilityZone: us-east-2b, start: 2027-01-04T11:30:00Z, end: 2027-02-01T11:30:00Z }
pools:
  - name: trn
    site: ohio
    instanceType: trn2u.48xlarge
    instances: 4
    capacity: { type: capacity-block, reservationId: cr-0abc1234def567890 }
`),
  },
  'GW-CAP-BLOCK-WINDOW': {
    fix: 'Give the pool instances only in phases inside the block’s window (0 before it opens and after it ends), or buy a block that covers the phase.',
    example: aws(`reservations:
  - { id: cr-0abc1234def567890, site: ohio, type: capacity-block, instanceType: trn2u.48xlarge, instances: 4, availabilityZone: us-east-2b, start: 2027-01-04T11:30:00Z, end: 2027-02-01T11:30:00Z }
pools:
  - name: trn
    site: ohio
    instanceType: trn2u.48xlarge
    instances: 4
    capacity: { type: capacity-block, reservationId: cr-0abc1234def567890 }
timeline:
  - { date: 2026-12-01, pools: [{ name: trn, instances: 4 }] }
`),
  },
  'GW-CAP-QUOTA': {
    fix: 'Request a vCPU quota increase for the family (Service Quotas) and declare the granted quota in `sites[].quotas`, or shrink the pools of the site.',
    alsoSeverities: ['warning'],
    alsoWhen: 'a warning when a family has no declared quota ("not checked")',
    example: `${HEAD}sites:
  - { name: ohio, provider: aws, region: us-east-2, quotas: { P: 192 } }
${EFA}pools:
  - { name: h100, site: ohio, fabric: efa, instanceType: p5.48xlarge, instances: 2 }
`,
  },
  'GW-CAP-EKS': {
    fix: 'Request an increase of the EKS managed node group quota, or split the fleet across clusters (sites) below the cluster maximum.',
    alsoSeverities: ['warning'],
    alsoWhen: 'a warning when only the adjustable default quota of 30 node groups per cluster is exceeded',
    example: `${HEAD}sites:
  - { name: ohio, provider: aws, region: us-east-2, quotas: { P: 3000000 } }
fabrics:
  - { name: efa, site: ohio, vpcCidr: 10.0.0.0/16, availabilityZone: us-east-2b }
pools:
  - { name: h100, site: ohio, fabric: efa, instanceType: p5.48xlarge, instances: 14000 }
`,
  },
  'GW-NET-IP-SPACE': {
    fix: 'Give the fabric a larger `vpcCidr` (or `subnetPrefixLength`), turn on `prefixDelegation`, or lower `maxPodsPerNode`.',
    alsoSeverities: ['warning'],
    alsoWhen:
      'a warning when the VPC CNI max pods of a type is not published and its pod addresses are not counted',
    example: aws(`fabrics:
  - { name: efa, site: ohio, vpcCidr: 10.64.0.0/24, availabilityZone: us-east-2b }
pools:
  - { name: h100, site: ohio, fabric: efa, instanceType: p5.48xlarge, instances: 16 }
`),
  },
  'GW-PLAN-STACK-SIZE': {
    fix: 'Give the largest pools of the site `stack: own` before they are first applied (each gets a stack `<site>-<pool>`); moving a deployed pool to another stack recreates its nodes.',
    // 207,000 instances are 460 node groups of at most 450: 461 resources, plus the fabric and cluster.
    example: aws(`pools:
  - { name: h100, site: ohio, instanceType: p5.48xlarge, instances: 207000 }
`),
  },
  'GW-NET-IMAGE-PULL': {
    fix: 'Keep `egress: nat` (the default) on fabrics whose nodes pull the NVIDIA or Neuron device plugins, or mirror those images into ECR in the region before setting `egress: none`.',
    example: aws(`fabrics:
  - { name: efa, site: ohio, vpcCidr: 10.64.0.0/16, availabilityZone: us-east-2b, egress: none }
pools:
  - { name: h100, site: ohio, fabric: efa, instanceType: p5.48xlarge, instances: 2 }
`),
  },
  'GW-NET-POOL-MAX': {
    fix: 'Raise the pool’s `maxInstances` (knowing that this resizes the fabric’s subnet and replaces its nodes), or lower `instances`.',
    alsoSeverities: ['warning'],
    alsoWhen: 'a warning when maxInstances is set on an on-prem pool, where it is ignored',
    example: aws(`pools:
  - { name: h100, site: ohio, instanceType: p5.48xlarge, instances: 2, maxInstances: 1 }
`),
  },
  'GW-NET-EFA': {
    fix: 'Use an EFA-capable instance type, keep the pool in one subnet/AZ, give every attached security group all-traffic rules to itself, and drop the placement group on Capacity Block pools.',
    alsoSeverities: ['warning'],
    alsoWhen: 'a warning when a pool asks for EFA on a type whose EFA interface limit is not published',
    example: aws(`fabrics:
  - name: efa
    site: ohio
    vpcCidr: 10.64.0.0/16
    availabilityZone: us-east-2b
    securityGroups: [{ name: extra, selfIngressAllTraffic: false }]
pools:
  - { name: h100, site: ohio, fabric: efa, instanceType: p5.48xlarge, instances: 2 }
`),
  },
  'GW-PLAN-AWS-NAMES': {
    fix: 'Shorten metadata.name or the site name so that <plan>-<site>-cluster has at most 64 characters.',
    example: `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: frontier-training-fleet-north-america-01 }
sites:
  - { name: ohio-primary-accelerator-region-2027-01, provider: aws, region: us-east-2, quotas: { P: 3072 } }
fabrics:
  - { name: efa, site: ohio-primary-accelerator-region-2027-01, vpcCidr: 10.64.0.0/16, availabilityZone: us-east-2b }
pools:
  - { name: h100, site: ohio-primary-accelerator-region-2027-01, fabric: efa, instanceType: p5.48xlarge, instances: 2 }
`,
  },
  'GW-NET-CIDR-FORM': {
    fix: 'Write each CIDR with its network address, as the message shows (10.64.0.0/16, not 10.64.0.1/16).',
    example: aws(`fabrics:
  - { name: efa, site: ohio, vpcCidr: 10.64.0.1/16, availabilityZone: us-east-2b }
pools:
  - { name: h100, site: ohio, fabric: efa, instanceType: p5.48xlarge, instances: 2 }
`),
  },
  'GW-NET-SERVICE-CIDR': {
    fix: 'Give kubernetes.serviceCidr a /12 to /24 inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 that overlaps no VPC of the plan (or leave it out for 172.20.0.0/16). It cannot be changed once the cluster exists.',
    example: aws(`${H100}kubernetes: { serviceCidr: 10.64.0.0/20 }
`),
  },
  'GW-NET-HYBRID': {
    fix: 'Use RFC 1918 node and pod CIDRs between /8 and /32 that overlap neither each other, the VPC nor the service CIDR, with room for every node.',
    example: `${HEAD}${OHIO}  - name: dc
    provider: onprem
    hybrid: { cluster: ohio, remoteNodeCidrs: [8.8.8.0/24], remotePodCidrs: [10.200.0.0/16] }
fabrics:
  - { name: efa, site: ohio, vpcCidr: 10.64.0.0/16, availabilityZone: us-east-2b }
pools:
  - { name: h100, site: ohio, fabric: efa, instanceType: p5.48xlarge, instances: 2 }
  - { name: local, site: dc, system: dgx-h100, nodes: 4 }
`,
  },
  'GW-NET-FABRIC-OVERSUB': {
    fix: 'Use switches of a higher radix, accept more oversubscription, or split the pools across fabrics.',
    example: onprem(
      POWER,
      `pools:
  - { name: h100, site: dc, fabric: ib, system: dgx-h100, nodes: 4096 }
`,
    ).replace('switchRadix: 64', 'switchRadix: 16'),
  },
  'GW-NET-SITE-VPC': {
    fix: "Give every fabric of the site a disjoint vpcCidr in the same private range as the first fabric's, the same egress, and at most 5 fabrics per site (or a quota increase up to 50).",
    example: aws(`fabrics:
  - { name: efa, site: ohio, vpcCidr: 10.64.0.0/16, availabilityZone: us-east-2b }
  - { name: more, site: ohio, vpcCidr: 172.20.0.0/16, availabilityZone: us-east-2a }
pools:
  - { name: h100, site: ohio, fabric: more, instanceType: p5.48xlarge, instances: 2 }
`),
    alsoSeverities: ['warning'],
    alsoWhen:
      'more CIDR blocks than the default quota of 5 (up to the 50 a quota increase allows) is a warning',
  },
  'GW-NET-LINK-SPEED': {
    fix: "Size the fabric at the nodes' NIC speed: set linkGbps to it and switchRadix to the switch's ports at that speed (an 800G port split into 2 × 400G doubles the radix), or move the pool to a fabric of its speed.",
    example: onprem(
      POWER,
      `pools:
  - { name: h100, site: dc, fabric: ib, system: dgx-h100, nodes: 64 }
`,
    ).replace('linkGbps: 400, switchRadix: 64', 'linkGbps: 800, switchRadix: 64, switchModel: sn5600'),
    alsoSeverities: ['warning'],
    alsoWhen: 'A pool whose NICs are faster than linkGbps is a warning: it works, at the slower speed.',
  },
  'GW-PWR-ENVELOPE': {
    fix: 'Add utility power or feeds, relax the redundancy only if the site’s design allows it, lower the PUE with a measured figure, or move nodes to another site.',
    alsoSeverities: ['warning'],
    alsoWhen:
      'a warning when the site has no power block, or the power of a pool is unknown, so the envelope is not checked',
    example: onprem(
      '    power: { utilityMW: 1, redundancy: N, feeds: 1, pue: 1.3 }\n',
      `pools:
  - { name: h100, site: dc, fabric: ib, system: dgx-h100, nodes: 256 }
`,
    ),
  },
  'GW-PWR-HEADROOM': {
    fix: 'Keep the facility load at or below 90 % of the usable power: add power, or move or remove nodes.',
    example: onprem(
      '    power: { utilityMW: 3.8, redundancy: N, feeds: 1, pue: 1.3 }\n',
      `pools:
  - { name: h100, site: dc, fabric: ib, system: dgx-h100, nodes: 256 }
`,
    ),
  },
  'GW-PWR-RACK-DENSITY': {
    fix: 'Place the pool in a hall whose `rackKW` holds one node, or set `maxSystemKW` to a measured figure if the catalog figure is too high.',
    example: onprem(
      POWER + '    halls: [{ name: wet, racks: 10, rackKW: 45, cooling: liquid, rackUnits: 48 }]\n',
      `pools:
  - { name: nvl, site: dc, fabric: ib, system: gb200-nvl72, nodes: 2, hall: wet }
`,
    ),
  },
  'GW-PWR-COOLING': {
    fix: 'Place liquid-cooled systems in a hall with `cooling: liquid` (or `hybrid`).',
    example: onprem(
      POWER + '    halls: [{ name: air, racks: 100, rackKW: 140, cooling: air, rackUnits: 48 }]\n',
      `pools:
  - { name: nvl, site: dc, fabric: ib, system: gb200-nvl72, nodes: 2, hall: air }
`,
    ),
  },
  'GW-PWR-RACKS': {
    fix: 'Add racks to the hall, spread the pool across halls, or give the pool a `hall`.',
    example: onprem(
      POWER + '    halls: [{ name: air, racks: 2, rackKW: 45, cooling: air, rackUnits: 42 }]\n',
      `pools:
  - { name: h100, site: dc, fabric: ib, system: dgx-h100, nodes: 64, hall: air }
`,
    ),
  },
  'GW-PWR-RACK-UNITS': {
    fix: 'Place the pool in a hall with enough `rackUnits`, or set `pools[].rackUnitsPerNode` when the catalog does not publish the height.',
    example: onprem(
      POWER + '    halls: [{ name: air, racks: 100, rackKW: 45, cooling: air, rackUnits: 4 }]\n',
      `pools:
  - { name: h100, site: dc, fabric: ib, system: dgx-h100, nodes: 4, hall: air }
`,
    ),
  },
  'GW-PWR-AIR-DENSITY': {
    fix: 'Confirm the hall’s cooling design for the rack load (rear-door heat exchangers or liquid cooling above about 40 kW), or spread nodes over more racks with a lower `rackKW`.',
    example: onprem(
      POWER + AIR,
      `pools:
  - { name: h100, site: dc, fabric: ib, system: dgx-h100, nodes: 64, hall: air }
`,
    ),
  },
  'GW-PWR-ESTIMATE': {
    fix: 'Set `pools[].maxSystemKW` (and `fabrics[].switchKW`) to vendor or measured figures.',
    alsoSeverities: ['warning'],
    alsoWhen: 'a warning when switch power is unknown and left out of the IT load',
    example: onprem(
      POWER + WET,
      `pools:
  - { name: nvl, site: dc, fabric: ib, system: gb200-nvl72, nodes: 2, hall: wet }
`,
    ),
  },
  'GW-SEC-EKS-PUBLIC': {
    fix: 'Use `endpoint: private`, or list only the networks that need the API in `publicAccessCidrs`.',
    example: aws(`${H100}kubernetes:
  endpoint: public
  publicAccessCidrs: ['0.0.0.0/1', '128.0.0.0/1'] # the whole internet, as two halves
`),
  },
  'GW-SEC-OPEN-INGRESS': {
    fix: 'Allow only the networks that need access in `ingressCidrs`.',
    example: aws(`fabrics:
  - name: efa
    site: ohio
    vpcCidr: 10.64.0.0/16
    availabilityZone: us-east-2b
    securityGroups:
      - { name: ssh, selfIngressAllTraffic: true, selfEgressAllTraffic: true, ingressCidrs: ['0.0.0.0/0'] }
pools:
  - { name: h100, site: ohio, fabric: efa, instanceType: p5.48xlarge, instances: 2 }
`),
  },
};
