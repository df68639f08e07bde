/** validate --format sarif|junit|markdown, spawned as a process. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { XMLParser } from 'fast-xml-parser';
import { RULES, ENGINE_RULES } from '../lib/rules/table';
import { ROOT, runCli } from './helpers';

const BAD = 'test/fixtures/bad/mixed-errors.yaml';

describe('SARIF 2.1.0', () => {
  const raw = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/vendor/sarif-schema-2.1.0.json'), 'utf8'));
  // The schema is draft-04; ajv's default dialect reads it once `id` becomes `$id` and `$schema` is dropped.
  const { id, ...schema } = raw;
  delete schema.$schema;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile({ ...schema, $id: id });

  test.each([
    ['examples/frontier.yaml', 0],
    [BAD, 1],
  ])('%s validates against the vendored schema (exit %p)', (file, exit) => {
    const r = runCli(['validate', '--format', 'sarif', file as string]);
    expect(r.status).toBe(exit);
    const log = JSON.parse(r.stdout);
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    expect(log.runs[0].tool.driver.rules.map((x: { id: string }) => x.id).sort()).toEqual(
      [...ENGINE_RULES, ...RULES].map((x) => x.id).sort(),
    );
  });

  test('results carry rule ids, levels and plan locations', () => {
    const log = JSON.parse(runCli(['validate', '--format', 'sarif', BAD]).stdout);
    const r = log.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'GW-PLAN-POOL-TYPE');
    expect(r.level).toBe('error');
    expect(r.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: BAD },
      region: { startLine: 22, startColumn: 19 },
    });
    expect(log.runs[0].results).toHaveLength(4);
  });

  test('the schema check is not vacuous', () => {
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
  });

  test('waived findings become suppressions with their justification', () => {
    const { formatSarif } = jest.requireActual('../lib/output/sarif') as typeof import('../lib/output/sarif');
    const log = JSON.parse(
      formatSarif(
        [
          {
            file: 'p.yaml',
            diagnostics: [
              {
                rule: 'GW-PWR-HEADROOM',
                severity: 'warning',
                path: 'sites[1]',
                message: 'm',
                hint: 'h',
                waiver: { reason: 'feed 2 lands in March', expires: '2027-03-31' },
              },
            ],
          },
        ],
        '0.1.0',
      ),
    );
    expect(log.runs[0].results[0].suppressions).toEqual([
      { kind: 'external', justification: 'feed 2 lands in March (until 2027-03-31)' },
    ]);
    expect(validate(log)).toBe(true);
  });
});

describe('JUnit XML', () => {
  test('parses, one testcase per rule, failures for the failing rules', () => {
    const r = runCli(['validate', '--format', 'junit', BAD]);
    expect(r.status).toBe(1);
    const xml = new XMLParser({ ignoreAttributes: false }).parse(r.stdout);
    const cases = [xml.testsuites.testsuite.testcase].flat();
    expect(cases).toHaveLength(ENGINE_RULES.length + RULES.length);
    const failed = cases
      .filter((c: Record<string, unknown>) => c.failure)
      .map((c: Record<string, string>) => c['@_name'].split(':')[0])
      .sort();
    expect(failed).toEqual(['GW-PLAN-POOL-TYPE', 'GW-SCHEMA']);
    // The plan failed the schema, so the model rules could not run: skipped, not passed.
    const skipped = cases
      .filter((c: Record<string, unknown>) => 'skipped' in c)
      .map((c: Record<string, string>) => c['@_name'].split(':')[0]);
    expect(skipped).toContain('GW-CAP-QUOTA');
    expect(skipped).not.toContain('GW-SCHEMA');
    expect(skipped).toHaveLength(cases.length - 2);
  });
});

describe('Markdown', () => {
  test('a PR-comment table with every finding', () => {
    const r = runCli(['validate', '--format', 'markdown', BAD]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('❌ **4 error(s)**, 0 warning(s)');
    expect(r.stdout.match(/^\| ❌ \| `GW-/gm)).toHaveLength(4);
  });
});
