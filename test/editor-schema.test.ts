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

/**
 * A leaf field: one whose value is not an object of named fields nor a list of such objects (a string,
 * number, boolean, a list of strings, a label map). Every leaf but a `const` or an `enum` (the editor
 * completes those from the schema itself) carries `examples`, for completion and hover.
 */
type Field = Record<string, unknown> & { properties?: unknown; items?: { properties?: unknown } };
function leaves(node: unknown, at = ''): { at: string; field: Field }[] {
  if (!node || typeof node !== 'object') return [];
  const out: { at: string; field: Field }[] = [];
  for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
    if (key === 'properties' && child && typeof child === 'object')
      for (const [name, f] of Object.entries(child as Record<string, Field>)) {
        const leaf = !f.properties && !(f.type === 'array' && f.items?.properties);
        if (leaf && f.const === undefined && f.enum === undefined)
          out.push({ at: `${at}/${name}`, field: f });
        out.push(...leaves(f, `${at}/${name}`));
      }
    else if (!['const', 'default', 'examples', 'if', 'oneOf'].includes(key)) out.push(...leaves(child, at));
  }
  return out;
}
/**
 * Fields whose example would be a vendor figure that no source of the catalog gives: the power of a
 * switch is not in pipeline/catalog/data/catalog.json (the field exists for the plan to supply it from
 * the datasheet), and an invented figure would read as one.
 */
const NO_SOURCED_EXAMPLE = ['/fabrics/switchKW'];

/** Leaf fields without examples, and examples their own field rejects. */
function exampleProblems(schema: unknown): string[] {
  return leaves(schema).flatMap(({ at, field }) => {
    if (NO_SOURCED_EXAMPLE.includes(at)) return [];
    const ex = field.examples;
    if (!Array.isArray(ex) || ex.length === 0) return [`${at}: no examples`];
    const own = { ...field };
    delete own.examples;
    const check = ajv.compile(own);
    return ex.filter((x) => !check(x)).map((x) => `${at}: ${JSON.stringify(x)} is not valid for it`);
  });
}

describe('every leaf field of the schema has examples', () => {
  const schema = JSON.parse(readFileSync(PLAN_SCHEMA_FILE, 'utf8'));
  test('none lacks them, and each example is valid for its field', () => {
    expect(exampleProblems(schema)).toEqual([]);
  });
  test('the walk reaches the leaves of every level, and skips const, enum and objects', () => {
    const at = leaves(schema).map((l) => l.at);
    expect(at.length).toBeGreaterThan(100);
    for (const leaf of [
      '/$schema',
      '/sites/quotas/Trn',
      '/sites/halls/feedMW',
      '/sites/hybrid/remoteNodeCidrs',
      '/fabrics/securityGroups/ingressCidrs',
      '/pools/instanceType',
      '/pools/labels',
      '/pools/capacity/minSize',
      '/kubernetes/queues/teams/pools',
      '/timeline/date',
      '/timeline/sites/halls/racks',
      '/waivers/until',
    ])
      expect(at).toContain(leaf);
    for (const notLeaf of [
      '/apiVersion',
      '/sites/provider',
      '/sites/halls',
      '/pools/capacity',
      '/kubernetes',
    ])
      expect(at).not.toContain(notLeaf);
  });
  test('the examples come from the repository examples where they exist', () => {
    const pool = schema.properties.pools.items.properties;
    expect(pool.system.examples).toEqual(['dgx-h200', 'gb200-nvl72']);
    expect(schema.properties.metadata.properties.name.examples).toContain('frontier');
    expect(schema.properties.waivers.items.properties.rule.examples).toContain('GW-PWR-ENVELOPE');
  });
  test('the check is not vacuous: a field without examples, or with a wrong one, is found', () => {
    const s = JSON.parse(readFileSync(PLAN_SCHEMA_FILE, 'utf8'));
    const pool = s.properties.pools.items.properties;
    delete pool.capacity.properties.minSize.examples;
    pool.instanceType.examples = ['p5.48xlarge', 'p9.huge'];
    s.properties.sites.items.properties.halls.items.properties.racks.examples = [];
    // An exempt field is not checked, even with a wrong example.
    s.properties.fabrics.items.properties.switchKW.examples = [0];
    expect(exampleProblems(s)).toEqual([
      '/sites/halls/racks: no examples',
      '/pools/instanceType: "p9.huge" is not valid for it',
      '/pools/capacity/minSize: no examples',
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
