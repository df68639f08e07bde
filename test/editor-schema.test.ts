/** The published (editor) schema rejects the broken plans the CLI rejects, and accepts the examples. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { PLAN_SCHEMA_FILE } from '../lib/schema/plan-schema-file';
import { ROOT, exampleFiles, runCli } from './helpers';

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(PLAN_SCHEMA_FILE, 'utf8')));
const BAD = join(ROOT, 'test/fixtures/bad');

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
