/** The published (editor) schema rejects the broken plans the CLI rejects, and accepts the examples. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { PLAN_SCHEMA_FILE } from '../pipeline/schema/plan-schema-file';
import { ROOT, exampleFiles, runCli } from './helpers';

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(PLAN_SCHEMA_FILE, 'utf8')));
const BAD = join(ROOT, 'test/fixtures/bad');

/** Every field (an entry of any `properties`, at any depth) as a JSON pointer, with its description. */
function fields(node: unknown, at = ''): { at: string; description?: unknown }[] {
  if (!node || typeof node !== 'object') return [];
  const out: { at: string; description?: unknown }[] = [];
  for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
    if (key === 'properties' && child && typeof child === 'object')
      for (const [name, field] of Object.entries(child as Record<string, unknown>)) {
        out.push({ at: `${at}/${name}`, description: (field as { description?: unknown }).description });
        out.push(...fields(field, `${at}/${name}`));
      }
    // An `if` names fields to test them (provider: const aws); it declares none.
    else if (!['const', 'default', 'examples', 'if'].includes(key)) out.push(...fields(child, at));
  }
  return out;
}

describe('every field of the schema has a description', () => {
  const all = fields(JSON.parse(readFileSync(PLAN_SCHEMA_FILE, 'utf8')));
  test('none lacks one, and each says something', () => {
    expect(all.filter((f) => typeof f.description !== 'string' || f.description.length < 12)).toEqual([]);
  });
  test('the walk reaches every level: top, sites, halls, timeline, waivers', () => {
    expect(all.length).toBeGreaterThan(150);
    for (const at of [
      '/apiVersion',
      '/sites/halls/cooling',
      '/sites/quotas/Trn',
      '/fabrics/securityGroups/ingressCidrs',
      '/pools/capacity/minSize',
      '/kubernetes/queues/teams/pools',
      '/timeline/sites/halls/feedMW',
      '/waivers/expires',
    ])
      expect(all.map((f) => f.at)).toContain(at);
  });
  test('the check is not vacuous: a field without one is found', () => {
    const s = JSON.parse(readFileSync(PLAN_SCHEMA_FILE, 'utf8'));
    delete s.properties.pools.items.properties.capacity.properties.minSize.description;
    expect(fields(s).filter((f) => f.description === undefined)).toEqual([
      { at: '/pools/capacity/minSize', description: undefined },
    ]);
  });
});

describe('schemas/cluster-plan.v1alpha1.schema.json in an editor', () => {
  test.each(exampleFiles())('accepts %s', (file) => {
    expect(validate(parse(readFileSync(join(ROOT, file), 'utf8'))) ? [] : validate.errors).toEqual([]);
  });

  const bad = readdirSync(BAD).filter((f) => f.endsWith('.yaml') && f !== 'not-yaml.yaml');
  test.each(bad)('rejects test/fixtures/bad/%s, which the CLI rejects too', (f) => {
    expect(runCli(['validate', join(BAD, f)]).status).toBe(1);
    expect(validate(parse(readFileSync(join(BAD, f), 'utf8')))).toBe(false);
  });

  test('the two CLI conditions are what rejects the new fixtures', () => {
    validate(parse(readFileSync(join(BAD, 'aws-site-without-region.yaml'), 'utf8')));
    expect(
      validate.errors!.some(
        (e) => e.params && (e.params as { missingProperty?: string }).missingProperty === 'region',
      ),
    ).toBe(true);
    validate(parse(readFileSync(join(BAD, 'pool-without-type.yaml'), 'utf8')));
    expect(validate.errors!.some((e) => e.instancePath === '/pools/0' && e.keyword === 'anyOf')).toBe(true);
  });

  test('instance types and systems complete from the catalog, each with a description', () => {
    const s = JSON.parse(readFileSync(PLAN_SCHEMA_FILE, 'utf8'));
    const pool = s.properties.pools.items.properties;
    expect(pool.instanceType.oneOf.map((x: { const: string }) => x.const)).toContain('trn2u.48xlarge');
    expect(pool.system.oneOf.map((x: { const: string }) => x.const)).toContain('gb200-nvl72');
    for (const x of [...pool.instanceType.oneOf, ...pool.system.oneOf]) expect(x.description).toMatch(/ × /);
  });
});
