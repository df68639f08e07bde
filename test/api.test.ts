/**
 * The programmatic API (`import { validate, synth, report } from 'gigawatt'`), through the package's own
 * entry point as package.json `exports["."]` names it, so a broken entry or a missing export fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadOptional } from '../pipeline/util/optional';
import { ROOT } from './helpers';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
// The built entry point, as a user's require('gigawatt') resolves it.
const api = jest.requireActual(join(ROOT, pkg.exports['.'].default)) as typeof import('../pipeline/index');
const FRONTIER = join(ROOT, 'examples/frontier.yaml');
const text = readFileSync(FRONTIER, 'utf8');

describe('validate', () => {
  it('validates plan text with file positions, as gigawatt validate does', () => {
    const r = api.validate(text, { file: FRONTIER, now: new Date('2026-01-01') });
    expect(r.plan?.name).toBe(parse(text).metadata.name);
    expect(api.hasErrors(r)).toBe(false);
  });

  it('validates a plan value; findings carry the plan path but no line', () => {
    const value = parse(text);
    value.pools[0].instances = 0;
    const r = api.validate(value);
    const d = r.diagnostics.find((x) => x.severity === 'error');
    expect(d).toMatchObject({ file: '<plan>', path: expect.stringMatching(/^pools\[0\]/) });
    expect(d?.line).toBeUndefined();
    expect(api.hasErrors(r)).toBe(true);
  });

  it('reports schema errors without a plan, and throws GigawattError for text that is not YAML', () => {
    const r = api.validate({ apiVersion: 'nope' });
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics.map((d) => d.rule)).toContain('GW-SCHEMA');
    expect(() => api.validate('a: [', { file: 'x.yaml' })).toThrow(api.GigawattError);
    expect(() => api.report(r)).toThrow(/failed the schema/);
  });

  it('judges a timeline as of a date, and throws for a day the calendar does not have', () => {
    const ramp = readFileSync(join(ROOT, 'test/fixtures/timeline-aws.yaml'), 'utf8');
    expect(api.validate(ramp, { at: '2027-02-28' }).plan?.poolByName.get('h100')?.nodes).toBe(32);
    expect(() => api.validate(ramp, { file: 'ramp.yaml', at: '2027-02-30' })).toThrow(
      'ramp.yaml: at "2027-02-30" is not a date: February 2027 has 28 days.',
    );
  });
});

test('report gives the numbers of gigawatt report --format json', () => {
  const r = api.report(api.validate(text, { file: FRONTIER }));
  expect(r.totals.accelerators).toBeGreaterThan(0);
  expect(api.reportMarkdown(r)).toContain(r.plan);
});

test('synth writes the Terraform stacks and Kubernetes files of gigawatt synth', async () => {
  const { files, insecure } = await api.synth(api.validate(text, { file: FRONTIER }));
  expect([...files.keys()]).toEqual(expect.arrayContaining(['terraform/stacks/ohio/cdk.tf.json']));
  expect([...files.keys()].some((f) => f.startsWith('kubernetes/'))).toBe(true);
  expect(insecure).toEqual([]);
}, 60000);

test('a missing optional dependency says what to install', async () => {
  await expect(
    loadOptional(
      () => import('gigawatt-no-such-package' as string),
      ['gigawatt-no-such-package'],
      'the thing',
    ),
  ).rejects.toThrow(/the thing needs gigawatt-no-such-package.*npm install gigawatt-no-such-package/);
  await expect(loadOptional(() => Promise.reject(new Error('other')), ['x'], 'y')).rejects.toThrow('other');
});
