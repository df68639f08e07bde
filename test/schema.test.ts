import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  loadPlanText,
  planSchemaJson,
  PLAN_SCHEMA_FILE,
  validatorSource,
  VALIDATOR_FILE,
} from './schema-imports';
import { ROOT } from './helpers';

const base = (extra = '') => `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: t }
sites:
  - { name: ohio, provider: aws, region: us-east-2 }
pools:
  - { name: p, site: ohio, instanceType: p5.48xlarge, instances: 2 }
${extra}`;

describe('plan schema', () => {
  test('schemas/cluster-plan.v1alpha1.schema.json is the generated copy of the schema (run npm run docs)', () => {
    expect(readFileSync(PLAN_SCHEMA_FILE, 'utf8')).toBe(planSchemaJson());
    expect(PLAN_SCHEMA_FILE).toBe(join(ROOT, 'schemas', 'cluster-plan.v1alpha1.schema.json'));
  });

  test('the precompiled validator is generated from the current schema (run npm run docs)', () => {
    expect(readFileSync(VALIDATOR_FILE, 'utf8')).toBe(validatorSource());
  });

  test('the published schema has an $id and the 2020-12 dialect, for editors', () => {
    const s = JSON.parse(planSchemaJson());
    expect(s.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(s.$id).toMatch(/^https:\/\/.*cluster-plan\.v1alpha1\.schema\.json$/);
  });

  test.each([
    ['a minimal AWS plan', base()],
    [
      'JSON input',
      JSON.stringify({
        apiVersion: 'gigawatt/v1alpha1',
        kind: 'ClusterPlan',
        metadata: { name: 'j' },
        sites: [{ name: 's', provider: 'onprem' }],
        pools: [{ name: 'p', site: 's', system: 'dgx-h100', nodes: 4 }],
      }),
    ],
    [
      'waivers with reason and expiry',
      base(
        'waivers: [{ rule: GW-PLAN-REFERENCE, target: pools.p, reason: "known and tracked in TICKET-1", expires: 2027-01-01 }]',
      ),
    ],
    ['a $schema key for editors', `$schema: ../schemas/cluster-plan.v1alpha1.schema.json\n${base()}`],
  ])('accepts %s', (_name, text) => {
    const r = loadPlanText(text, 'plan.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(r.ok).toBe(true);
  });

  test.each([
    [
      'wrong apiVersion',
      base().replace('gigawatt/v1alpha1', 'gigawatt/v2'),
      'apiVersion',
      /found 'gigawatt\/v2', must be 'gigawatt\/v1alpha1'/,
      1,
      13,
    ],
    [
      'negative count',
      base().replace('instances: 2', 'instances: -2'),
      'pools[0].instances',
      /found -2, must be >= 1/,
      7,
      66,
    ],
    [
      'fractional count',
      base().replace('instances: 2', 'instances: 2.5'),
      'pools[0].instances',
      /found 2\.5, expected integer/,
      7,
      66,
    ],
    [
      'string count',
      base().replace('instances: 2', 'instances: "2"'),
      'pools[0].instances',
      /found '2', expected integer/,
      7,
      66,
    ],
    [
      'unknown key with a suggestion',
      base().replace('instances: 2', 'instance: 2'),
      'pools[0].instance',
      /unknown key 'instance'\. Did you mean 'instances'/,
      7,
      55,
    ],
    [
      'bad enum with a suggestion',
      base().replace('provider: aws', 'provider: awz'),
      'sites[0].provider',
      /found 'awz'; allowed: 'aws', 'onprem'\. Did you mean 'aws'/,
      5,
      29,
    ],
    [
      'missing required key',
      base().replace('metadata: { name: t }', 'metadata: {}'),
      'metadata',
      /missing required key 'name'/,
      3,
      11,
    ],
    [
      'name that cannot be an identifier',
      base().replace('name: p,', 'name: "P_1; rm -rf",'),
      'pools[0].name',
      /not allowed here/,
      7,
      13,
    ],
    [
      'bad date',
      base('schedule: { start: tomorrow, end: 2027-01-01T00:00:00Z }'),
      'schedule.start',
      /expected an RFC 3339 date-time/,
      8,
      20,
    ],
    [
      'waiver without reason',
      base('waivers: [{ rule: GW-X, target: pools.p, expires: 2027-01-01 }]'),
      'waivers[0]',
      /missing required key 'reason'/,
      8,
      11,
    ],
    [
      'short waiver reason',
      base('waivers: [{ rule: GW-X, target: pools.p, reason: "tbd", expires: 2027-01-01 }]'),
      'waivers[0].reason',
      /fewer than 10 characters/,
      8,
      50,
    ],
  ])('rejects %s with file:line:col', (_name, text, path, message, line, col) => {
    const r = loadPlanText(text, 'plan.yaml');
    expect(r.ok).toBe(false);
    const d = r.diagnostics.find((x) => x.path === path);
    expect(d).toBeDefined();
    expect(d).toMatchObject({ rule: 'GW-SCHEMA', severity: 'error', file: 'plan.yaml', line, col });
    expect(d!.message).toMatch(message);
    expect(d!.hint.length).toBeGreaterThan(5);
  });

  test('one run lists every problem, including unknown instance types next to schema errors', () => {
    const r = loadPlanText(
      base().replace('instances: 2', 'instances: -1').replace('p5.48xlarge', 'p5.48xl'),
      'plan.yaml',
    );
    expect(r.diagnostics.map((d) => d.rule)).toEqual(['GW-PLAN-POOL-TYPE', 'GW-SCHEMA']);
    expect(r.diagnostics[0].message).toMatch(
      /unknown instance type 'p5\.48xl'\. Did you mean 'p5\.48xlarge'/,
    );
  });
});
