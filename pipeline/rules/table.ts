/**
 * Every rule, in one table: id, severity, category, title and explanation. docs/rules.md is generated
 * from this table (`npm run docs`), and a test fails when it is stale.
 */
import type { Rule } from './rule';
import { capBlock } from './checks/gw-cap-block';
import { capEks } from './checks/gw-cap-eks';
import { capQuota } from './checks/gw-cap-quota';
import { capRegion } from './checks/gw-cap-region';
import { capUltraServer } from './checks/gw-cap-ultraserver';
import { capNeuronDevices } from './checks/gw-cap-neuron-devices';
import { netEfa } from './checks/gw-net-efa';
import { netCidrForm, netServiceCidr } from './checks/gw-net-cidr';
import { netHybrid } from './checks/gw-net-hybrid';
import { netImagePull } from './checks/gw-net-image-pull';
import { netIpSpace } from './checks/gw-net-ip-space';
import { netPoolMax } from './checks/gw-net-pool-max';
import { netFabricOversub } from './checks/gw-net-fabric-oversub';
import { netLinkSpeed } from './checks/gw-net-link-speed';
import { netSiteVpc } from './checks/gw-net-site-vpc';
import { planPoolType } from './checks/gw-plan-pool-type';
import { secEksPublic } from './checks/gw-sec-eks-public';
import { secOpenIngress } from './checks/gw-sec-open-ingress';
import { pwrEnvelope, pwrEstimate, pwrHeadroom } from './checks/gw-pwr-envelope';
import { pwrAirDensity } from './checks/gw-pwr-air-density';
import { pwrCooling, pwrRackDensity, pwrRacks, pwrRackUnits } from './checks/gw-pwr-racks';
import { planReference } from './checks/gw-plan-reference';
import { planLabels } from './checks/gw-plan-labels';
import { planNamespace } from './checks/gw-plan-namespace';
import { planAwsNames } from './checks/gw-plan-aws-names';
import { planStackSize } from './checks/gw-plan-stack-size';
import { capBlockWindow, planTimeline } from './checks/gw-plan-timeline';
import { waiverRange } from './checks/gw-waiver-range';

export const RULES: readonly Rule[] = [
  planReference,
  planPoolType,
  planNamespace,
  planAwsNames,
  planLabels,
  planTimeline,
  waiverRange,
  planStackSize,
  capRegion,
  capUltraServer,
  capNeuronDevices,
  capBlock,
  capBlockWindow,
  capQuota,
  capEks,
  netCidrForm,
  netServiceCidr,
  netIpSpace,
  netSiteVpc,
  netImagePull,
  netPoolMax,
  netEfa,
  netHybrid,
  netFabricOversub,
  netLinkSpeed,
  pwrEnvelope,
  pwrHeadroom,
  pwrRackDensity,
  pwrCooling,
  pwrRacks,
  pwrRackUnits,
  pwrAirDensity,
  pwrEstimate,
  secEksPublic,
  secOpenIngress,
];

/** Rules the engine itself reports (they have no check function of their own). */
export const ENGINE_RULES = [
  {
    id: 'GW-SCHEMA',
    severity: 'error',
    category: 'plan',
    title: 'The plan matches the ClusterPlan v1alpha1 schema',
    explanation:
      'Shape, types, enums and ranges of every field, checked with JSON Schema before anything else runs.',
  },
  {
    id: 'GW-RULE-CRASH',
    severity: 'error',
    category: 'plan',
    title: 'Every rule ran to completion',
    explanation:
      'A rule that throws is reported, with its message, instead of crashing the run; the plan cannot be judged by that rule until the defect is fixed.',
  },
  {
    id: 'GW-WAIVER-EXPIRED',
    severity: 'warning',
    category: 'plan',
    title: 'Waivers in the plan have not expired',
    explanation:
      'An expired waiver no longer suppresses its finding; renew it with a new reason or fix the finding.',
  },
  {
    id: 'GW-WAIVER-POLICY',
    severity: 'error',
    category: 'plan',
    title: 'Waivers in the plan name no security rule and expire at most 90 days after the run date',
    explanation:
      'The plan is written by whoever opens the change, so it cannot switch off the checks that judge it: a waiver of a security rule (category security, and every GW-SEC id of the Terraform pack) is refused and the finding stands. Any other waiver must expire at most 90 days after the run date (on a timeline, after its `from` date when that is later and after the first phase), so that each one is revisited; a refused waiver waives nothing.',
  },
  {
    id: 'GW-WAIVER-UNUSED',
    severity: 'warning',
    category: 'plan',
    title: 'Every waiver names a known rule and matches a finding',
    explanation:
      'A waiver for an unknown rule id, or one that matches nothing, is usually a typo and hides nothing it was meant to hide.',
  },
  {
    id: 'GW-PLAN-STATE-KEY',
    severity: 'error',
    category: 'plan',
    title: 'Plans validated together write their Terraform state to different places',
    explanation:
      'Each stack of a plan keeps its state at `<keyPrefix>/<metadata.name>/<stack>.tfstate` in the backend bucket, or with no backend at `gigawatt.state/<metadata.name>/<stack>.tfstate` beside the output. Two plans with one metadata.name (and, with S3, one bucket and keyPrefix) write the same state for each stack they have in common: whichever applies last overwrites the other’s, and the other’s next apply plans to destroy what it does not declare. Checked across the plan files of one `gigawatt validate` run, at the later file’s metadata.name.',
  },
  {
    id: 'GW-LIVE-SKIPPED',
    severity: 'warning',
    category: 'capacity',
    title: 'With --live, every AWS lookup the plan needs succeeded',
    explanation:
      'validate --live reads quotas, instance type offerings and capacity reservations from AWS. Credentials are resolved once; at most 8 calls are in flight, each with a 10 s deadline and all together with 60 s (--live-deadline). A lookup that fails (no credentials, permission denied, API error, no answer by its deadline) is reported with what was not checked, never passed silently; the plan’s declared figures are used instead.',
  },
] as const;
