/**
 * Hostile plans for `npm run bench -- --hostile`: what a pull request can write to make gigawatt slow or
 * large. Each case names the commands it is run with and the exit status each must end with (a hostile plan
 * is refused: 1 for findings, 2 for a plan that is not read), so a run that ends otherwise, or is killed, is
 * a failure, never a timing. Deterministic: the same bytes every run.
 */

import { planSchema } from '../pipeline/schema/plan-schema';

/** The schema's limit on pools. */
const POOL_LIMIT = planSchema.properties.pools.maxItems;
const HEAD = 'apiVersion: gigawatt/v1alpha1\nkind: ClusterPlan\nmetadata: { name: hostile }\n';
const AWS = 'sites: [{ name: s, provider: aws, region: us-east-1 }]\n';

export interface HostileRun {
  /** CLI arguments after the plan path (`{out}` is replaced with an output directory). */
  readonly args: readonly string[];
  /** Exit statuses that count as the run ending as it should. */
  readonly exits: readonly number[];
}

export interface HostileCase {
  readonly label: string;
  readonly what: string;
  readonly text: () => string;
  /** By command name: `validate`, `synth`, `diff`, `report`, `inventory`. */
  readonly runs: Readonly<Record<string, HostileRun>>;
}

const pool = (i: number) => `{ name: p${i}, site: s, instanceType: p5.48xlarge, instances: 1 }`;

export const HOSTILE_CASES: readonly HostileCase[] = [
  {
    label: 'many-keys',
    what: '20,000 unknown keys in one mapping (229 KB)',
    text: () =>
      HEAD.replace(
        'metadata: { name: hostile }\n',
        `metadata:\n  name: hostile\n${Array.from({ length: 20_000 }, (_, i) => `  k${i}: 1`).join('\n')}\n`,
      ) + `${AWS}pools: [${pool(0)}]\n`,
    runs: { validate: { args: [], exits: [1] } },
  },
  {
    label: 'many-keys-dup',
    what: '40,000 keys in one mapping, the last a duplicate (470 KB)',
    text: () =>
      HEAD.replace(
        'metadata: { name: hostile }\n',
        `metadata:\n  name: hostile\n${Array.from({ length: 40_000 }, (_, i) => `  k${i}: 1`).join('\n')}\n  k7: 2\n`,
      ) + `${AWS}pools: [${pool(0)}]\n`,
    runs: { validate: { args: [], exits: [2] } },
  },
  {
    label: 'pools-at-limit',
    what: `${POOL_LIMIT.toLocaleString('en-US')} pools (the limit) in one site`,
    text: () =>
      `${HEAD}${AWS}pools:\n${Array.from({ length: POOL_LIMIT }, (_, i) => `  - ${pool(i)}`).join('\n')}\n`,
    runs: {
      validate: { args: [], exits: [1] },
      report: { args: ['--format', 'markdown'], exits: [0, 1] },
    },
  },
  {
    label: 'pools-16mib',
    what: `234,000 pools in 16 MiB (limit ${POOL_LIMIT.toLocaleString('en-US')})`,
    text: () =>
      `${HEAD}${AWS}pools:\n${Array.from({ length: 234_000 }, (_, i) => `  - ${pool(i)}`).join('\n')}\n`,
    runs: { validate: { args: [], exits: [2] } },
  },
  {
    label: 'huge-instances',
    what: 'instances: 10,000,000 in a 300-byte plan',
    text: () =>
      `${HEAD}${AWS}fabrics: [{ name: f, site: s, vpcCidr: 10.0.0.0/16, availabilityZone: us-east-1a }]\n` +
      'pools: [{ name: p, site: s, fabric: f, instanceType: p5.48xlarge, instances: 10000000 }]\n',
    runs: {
      validate: { args: [], exits: [1] },
      report: { args: ['--format', 'markdown'], exits: [0, 1] },
      diff: { args: ['{plan}'], exits: [2] },
      synth: { args: ['--force', '--out', '{out}'], exits: [2] },
    },
  },
  {
    label: 'huge-nodes',
    what: 'nodes: 10,000,000 on-prem in a 320-byte plan',
    text: () =>
      `${HEAD}sites:\n  - name: dc\n    provider: onprem\n    power: { utilityMW: 100, redundancy: N, pue: 1.25 }\n` +
      '    halls: [ { name: a, cooling: air, racks: 100000, rackKW: 100 } ]\n' +
      'pools:\n  - { name: b200, site: dc, system: dgx-b200, nodes: 10000000, hall: a }\n',
    runs: {
      validate: { args: [], exits: [1] },
      inventory: { args: ['--force', '--out', '{out}'], exits: [2] },
      synth: { args: ['--force', '--out', '{out}'], exits: [2] },
    },
  },
  {
    label: 'deep-nesting',
    what: '20,000 nested flow sequences',
    text: () => `${HEAD}${AWS}pools: [${pool(0)}]\nx: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`,
    runs: { validate: { args: [], exits: [2] } },
  },
];
