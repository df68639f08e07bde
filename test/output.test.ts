/** validate --format sarif|junit|markdown, spawned as a process. */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { XMLParser } from 'fast-xml-parser';
import { RULES, ENGINE_RULES } from '../pipeline/rules/table';
import { ROOT, runCli, tempDir } from './helpers';

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
      artifactLocation: { uri: BAD, uriBaseId: '%SRCROOT%' },
      region: { startLine: 22, startColumn: 19 },
    });
    expect(log.runs[0].results).toHaveLength(4);
  });

  test('the schema check is not vacuous', () => {
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
  });

  test('waived findings become suppressions with their justification', () => {
    const { formatSarif } = jest.requireActual(
      '../pipeline/output/sarif',
    ) as typeof import('../pipeline/output/sarif');
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

/**
 * GitHub's documented rules for uploaded SARIF ("SARIF support for code scanning", "SARIF results exceed
 * limits" and "SARIF file is too large", docs.github.com):
 * - sarifLog: `$schema` the SARIF 2.1.0 schema, `version` 2.1.0, at most 20 runs, at most 10 MB gzipped;
 *   runs of one tool need distinct `automationDetails.id` categories (GitHub rejects runs of the same tool
 *   and category in one upload);
 * - run: `tool.driver.name`, at most 25,000 rules and 25,000 results;
 * - reportingDescriptor: `id`, `shortDescription.text`, `fullDescription.text` (at most 1,000 characters),
 *   `help.text`, an https `helpUri`, at most 20 tags, `security-severity` 0.0-10.0 as a string on rules
 *   tagged security;
 * - result: a `ruleId` the run defines (and a `ruleIndex` pointing at it), `level` one of none, note,
 *   warning, error, `message.text`, 1 to 10 `locations`, `partialFingerprints.primaryLocationLineHash`
 *   ("code scanning only uses the primaryLocationLineHash");
 * - physicalLocation: a repository-relative URI (with a `uriBaseId` the run's `originalUriBaseIds` define)
 *   or a file:// URI, `region.startLine` and `region.startColumn`.
 */
interface GithubSarif {
  $schema?: string;
  version?: string;
  runs: {
    automationDetails?: { id?: string };
    originalUriBaseIds?: Record<string, unknown>;
    tool: {
      driver: {
        name?: string;
        rules: {
          id: string;
          shortDescription?: { text?: string };
          fullDescription?: { text?: string };
          help?: { text?: string };
          helpUri?: string;
          properties?: Record<string, unknown>;
        }[];
      };
    };
    results: {
      ruleId: string;
      ruleIndex?: number;
      level?: string;
      message: { text?: string };
      locations?: {
        physicalLocation: {
          artifactLocation: { uri: string; uriBaseId?: string };
          region: { startLine: number; startColumn?: number };
        };
      }[];
      partialFingerprints?: Record<string, string>;
    }[];
  }[];
}
function githubProblems(log: GithubSarif): string[] {
  const problems: string[] = [];
  if (!/sarif-2\.1\.0/.test(log.$schema ?? ''))
    problems.push(`$schema ${String(log.$schema)} is not SARIF 2.1.0`);
  if (log.version !== '2.1.0') problems.push(`version ${String(log.version)} is not 2.1.0`);
  if (log.runs.length > 20) problems.push('more than 20 runs');
  if (gzipSync(JSON.stringify(log)).length > 10 * 1024 * 1024) problems.push('over 10 MB gzipped');
  const categories = log.runs.map((r) => `${r.tool.driver.name}|${r.automationDetails?.id ?? ''}`);
  if (new Set(categories).size !== categories.length) problems.push('two runs of one tool in one category');
  for (const run of log.runs) {
    if (!run.tool.driver.name) problems.push('no tool.driver.name');
    const rules = run.tool.driver.rules;
    if (rules.length > 25000) problems.push('more than 25,000 rules');
    if (run.results.length > 25000) problems.push('more than 25,000 results');
    const ids = new Set(rules.map((r) => r.id));
    for (const r of rules) {
      if (!r.shortDescription?.text) problems.push(`${r.id}: no shortDescription.text`);
      const full = r.fullDescription?.text ?? '';
      if (!full) problems.push(`${r.id}: no fullDescription.text`);
      if (full.length > 1000) problems.push(`${r.id}: fullDescription over 1,000 characters`);
      if (!r.help?.text) problems.push(`${r.id}: no help.text`);
      const tags = (r.properties?.tags ?? []) as string[];
      if (tags.length > 20) problems.push(`${r.id}: more than 20 tags`);
      if (!/^https:\/\//.test(r.helpUri ?? '')) problems.push(`${r.id}: no https helpUri`);
      const sev = r.properties?.['security-severity'];
      if (sev !== undefined) {
        if (typeof sev !== 'string' || !/^\d+(\.\d+)?$/.test(sev) || Number(sev) > 10)
          problems.push(`${r.id}: security-severity ${String(sev)} is not a 0.0-10.0 string`);
        if (!tags.includes('security')) problems.push(`${r.id}: security-severity without the security tag`);
      }
    }
    for (const res of run.results) {
      if (!ids.has(res.ruleId)) problems.push(`result of unknown rule ${res.ruleId}`);
      if (res.ruleIndex !== undefined && rules[res.ruleIndex]?.id !== res.ruleId)
        problems.push(`${res.ruleId}: ruleIndex ${res.ruleIndex} names another rule`);
      if (!['none', 'note', 'warning', 'error'].includes(res.level ?? 'warning'))
        problems.push(`${res.ruleId}: level ${String(res.level)}`);
      if (!res.message.text) problems.push(`${res.ruleId}: no message text`);
      if (!res.partialFingerprints?.primaryLocationLineHash)
        problems.push(`${res.ruleId}: no partialFingerprints.primaryLocationLineHash`);
      const locations = res.locations ?? [];
      if (locations.length < 1 || locations.length > 10)
        problems.push(`${res.ruleId}: ${locations.length} locations`);
      for (const l of locations) {
        const { uri, uriBaseId } = l.physicalLocation.artifactLocation;
        if (!(l.physicalLocation.region.startLine >= 1)) problems.push(`${res.ruleId}: no startLine`);
        if (!((l.physicalLocation.region.startColumn ?? 0) >= 1))
          problems.push(`${res.ruleId}: no startColumn`);
        const relativeOk = uriBaseId !== undefined && !/^(\/|\.\.|[a-z]+:)/i.test(uri);
        if (!relativeOk && !uri.startsWith('file:///'))
          problems.push(`${res.ruleId}: uri ${uri} is not in the repository`);
        if (uriBaseId !== undefined && !run.originalUriBaseIds?.[uriBaseId])
          problems.push(`${res.ruleId}: uriBaseId ${uriBaseId} is not in originalUriBaseIds`);
      }
    }
  }
  return problems;
}

describe('SARIF for GitHub code scanning', () => {
  const INSECURE = `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: insecure }
sites:
  - { name: ohio, provider: aws, region: us-east-2 }
pools:
  - { name: h100, site: ohio, instanceType: p5.48xlarge, instances: 2 }
kubernetes:
  endpoint: public
  publicAccessCidrs: ['0.0.0.0/0']
`;
  const sarif = (args: string[], cwd = ROOT) => {
    const r = runCli(['validate', '--format', 'sarif', ...args], { cwd });
    return { status: r.status, stderr: r.stderr, log: r.stdout ? JSON.parse(r.stdout) : undefined };
  };

  test('a plan with errors and a security finding meets the upload rules', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plan.yaml'), INSECURE);
    const { status, log } = sarif(['--sarif-base', dir, join(dir, 'plan.yaml')]);
    expect(status).toBe(1);
    expect(githubProblems(log)).toEqual([]);
    const ids = log.runs[0].results.map((r: { ruleId: string }) => r.ruleId);
    expect(ids).toContain('GW-SEC-EKS-PUBLIC');
    const rule = log.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'GW-SEC-EKS-PUBLIC');
    expect(rule.properties['security-severity']).toBe('8.0');
    expect(rule.helpUri).toBe(
      'https://github.com/gigawatt-dev/gigawatt/blob/main/docs/rules/GW-SEC-EKS-PUBLIC.md',
    );
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({
      uri: 'plan.yaml',
      uriBaseId: '%SRCROOT%',
    });
  });

  const l0Results = (l: GithubSarif) => l.runs[0]!.results.map((r) => r.ruleId);
  test('the upload check is not vacuous', () => {
    const { log } = sarif([BAD]);
    const broken = JSON.parse(JSON.stringify(log));
    broken.runs[0].results[0].locations[0].physicalLocation.artifactLocation = { uri: '../plan.yaml' };
    broken.runs[0].tool.driver.rules[0].properties['security-severity'] = 'high';
    delete broken.runs[0].results[1].partialFingerprints.primaryLocationLineHash;
    expect(githubProblems(broken)).toEqual([
      'GW-SCHEMA: security-severity high is not a 0.0-10.0 string',
      'GW-SCHEMA: security-severity without the security tag',
      'GW-SCHEMA: uri ../plan.yaml is not in the repository',
      'GW-SCHEMA: no partialFingerprints.primaryLocationLineHash',
    ]);
    // Each documented rule on its own, on a fresh copy of the log.
    const one = (edit: (l: typeof log) => void): string[] => {
      const l = JSON.parse(JSON.stringify(log));
      edit(l);
      return githubProblems(l);
    };
    const rule0 = 'GW-SCHEMA';
    expect(one((l) => (l.$schema = 'https://example.com/other.json'))).toEqual([
      '$schema https://example.com/other.json is not SARIF 2.1.0',
    ]);
    expect(one((l) => (l.version = '2.0.0'))).toEqual(['version 2.0.0 is not 2.1.0']);
    expect(one((l) => l.runs.push(JSON.parse(JSON.stringify(l.runs[0]))))).toEqual([
      'two runs of one tool in one category',
    ]);
    expect(
      one((l) => {
        const second = JSON.parse(JSON.stringify(l.runs[0]));
        second.automationDetails = { id: 'gigawatt/other-plan/' };
        l.runs.push(second);
      }),
    ).toEqual([]);
    expect(one((l) => delete l.runs[0].tool.driver.name)).toEqual(['no tool.driver.name']);
    expect(one((l) => delete l.runs[0].tool.driver.rules[0].shortDescription)).toEqual([
      `${rule0}: no shortDescription.text`,
    ]);
    expect(one((l) => (l.runs[0].tool.driver.rules[0].fullDescription.text = 'x'.repeat(1001)))).toEqual([
      `${rule0}: fullDescription over 1,000 characters`,
    ]);
    expect(one((l) => delete l.runs[0].tool.driver.rules[0].help)).toEqual([`${rule0}: no help.text`]);
    expect(one((l) => (l.runs[0].results[0].level = 'critical'))).toEqual([`${rule0}: level critical`]);
    expect(one((l) => (l.runs[0].results[0].ruleIndex = 1))).toEqual([
      `${rule0}: ruleIndex 1 names another rule`,
    ]);
    expect(one((l) => (l.runs[0].results[0].locations = []))).toEqual([`${rule0}: 0 locations`]);
    expect(one((l) => delete l.runs[0].results[0].locations[0].physicalLocation.region.startColumn)).toEqual([
      `${rule0}: no startColumn`,
    ]);
    expect(one((l) => delete l.runs[0].originalUriBaseIds)).toEqual(
      l0Results(log).map((id) => `${id}: uriBaseId %SRCROOT% is not in originalUriBaseIds`),
    );
  });

  test('URIs are relative to the git root wherever the command runs and however the file is named', () => {
    const uris = [
      sarif([BAD]),
      sarif(['bad/mixed-errors.yaml'], join(ROOT, 'test/fixtures')),
      sarif([join(ROOT, BAD)], join(ROOT, 'pipeline')),
      sarif(['../test/fixtures/bad/mixed-errors.yaml'], join(ROOT, 'pipeline')),
    ].map((r) => r.log.runs[0].results[0].locations[0].physicalLocation.artifactLocation);
    for (const u of uris) expect(u).toEqual({ uri: BAD, uriBaseId: '%SRCROOT%' });
  });

  test('--sarif-base moves the root; a file outside it is a file:// URI; a missing base is exit 2', () => {
    expect(
      sarif(['--sarif-base', 'test/fixtures', BAD]).log.runs[0].results[0].locations[0].physicalLocation
        .artifactLocation,
    ).toEqual({ uri: 'bad/mixed-errors.yaml', uriBaseId: '%SRCROOT%' });
    const outside = sarif(['--sarif-base', 'pipeline', BAD]).log.runs[0].results[0].locations[0]
      .physicalLocation.artifactLocation;
    expect(outside).toEqual({ uri: `file://${join(ROOT, BAD)}` });
    const missing = sarif(['--sarif-base', 'no/such/dir', BAD]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--sarif-base no/such/dir is not a directory');
  });

  test('outside a git repository the working directory is the base', () => {
    const dir = tempDir();
    copyFileSync(join(ROOT, BAD), join(dir, 'p.yaml'));
    const { log } = sarif(['p.yaml'], dir);
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({
      uri: 'p.yaml',
      uriBaseId: '%SRCROOT%',
    });
  });

  test('fingerprints are unique and survive edits that move lines', () => {
    const dir = tempDir();
    const text = readFileSync(join(ROOT, BAD), 'utf8');
    writeFileSync(join(dir, 'plan.yaml'), text);
    const fp = () =>
      sarif(['--sarif-base', dir, join(dir, 'plan.yaml')]).log.runs[0].results.map(
        (r: {
          ruleId: string;
          partialFingerprints: Record<string, string>;
          locations: { physicalLocation: { region: { startLine: number } } }[];
        }) => ({
          fp: r.partialFingerprints.primaryLocationLineHash,
          line: r.locations[0].physicalLocation.region.startLine,
        }),
      );
    const before = fp();
    expect(new Set(before.map((x: { fp: string }) => x.fp)).size).toBe(before.length);
    writeFileSync(join(dir, 'plan.yaml'), `# reviewed\n# twice\n${text}`);
    const after = fp();
    expect(after.map((x: { fp: string }) => x.fp)).toEqual(before.map((x: { fp: string }) => x.fp));
    expect(after.map((x: { line: number }) => x.line)).toEqual(
      before.map((x: { line: number }) => x.line + 2),
    );
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
