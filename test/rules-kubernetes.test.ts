/**
 * GW-PLAN-NAMESPACE and GW-PLAN-LABELS: reserved namespaces and label domains, and the Kubernetes label
 * limits exactly at their boundaries (k8s.io/apimachinery IsQualifiedName / IsValidLabelValue).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  LABEL_NAME_MAX,
  LABEL_PREFIX_MAX,
  LABEL_VALUE_MAX,
  labelKeyProblems,
  labelValueProblems,
  reservedLabelDomain,
  reservedNamespace,
} from '../pipeline/model/kube-names';
import { check, runCli, tempDir } from './helpers';

const plan = (opts: { labels?: string; teams?: string } = {}) => `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: k }
sites: [{ name: s, provider: aws, region: us-east-1 }]
fabrics: [{ name: f, site: s, vpcCidr: 10.64.0.0/16, availabilityZone: us-east-1a }]
pools:
  - name: p
    site: s
    fabric: f
    instanceType: p5.48xlarge
    instances: 2
${opts.labels ? `    labels:\n${opts.labels}` : ''}kubernetes:
  queues:
    teams:
${opts.teams ?? '      - { name: research }\n'}`;

const findings = (text: string, rule: string) => check(text).diagnostics.filter((d) => d.rule === rule);

const a = (n: number) => 'a'.repeat(n);
/** A DNS subdomain of exactly n characters: 63-character labels joined by dots. */
const subdomain = (n: number): string => {
  const parts: string[] = [];
  let left = n;
  while (left > 0) {
    const take = Math.min(63, parts.length ? left - 1 : left);
    parts.push('b'.repeat(take));
    left -= take + (parts.length > 1 ? 1 : 0);
  }
  const s = parts.join('.');
  if (s.length !== n) throw new Error(`subdomain(${n}) has ${s.length}`);
  return s;
};

describe('the base plan', () => {
  test('has no namespace or label findings', () => {
    const text = plan({ labels: "      example.com/team: ml\n      tier: '1'\n      empty: ''\n" });
    expect(findings(text, 'GW-PLAN-NAMESPACE')).toEqual([]);
    expect(findings(text, 'GW-PLAN-LABELS')).toEqual([]);
    expect(check(text).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('GW-PLAN-NAMESPACE', () => {
  test.each([
    ['kube-system'],
    ['kube-public'],
    ['kube-node-lease'],
    ['kube-anything'],
    ['default'],
    ['gigawatt-device-plugins'],
    ['kueue-system'],
  ])('namespace %s is refused', (ns) => {
    const viaNamespace = findings(
      plan({ teams: `      - { name: t, namespace: ${ns} }\n` }),
      'GW-PLAN-NAMESPACE',
    );
    expect(viaNamespace).toHaveLength(1);
    expect(viaNamespace[0]).toMatchObject({
      severity: 'error',
      path: 'kubernetes.queues.teams[0].namespace',
      line: 15,
      target: 'kubernetes.queues.teams.t',
    });
    expect(viaNamespace[0].message).toContain(`namespace '${ns}', which is reserved`);
    // A team named after it gets it as its namespace by default.
    const viaName = findings(plan({ teams: `      - { name: ${ns} }\n` }), 'GW-PLAN-NAMESPACE');
    expect(viaName.map((d) => d.path)).toEqual(['kubernetes.queues.teams[0].name']);
  });

  test.each([['kubes'], ['kube'], ['team-kube-system'], ['defaults'], ['kueue']])(
    'namespace %s is allowed',
    (ns) => {
      expect(reservedNamespace(ns)).toBeUndefined();
      expect(
        findings(plan({ teams: `      - { name: t, namespace: ${ns} }\n` }), 'GW-PLAN-NAMESPACE'),
      ).toEqual([]);
    },
  );

  test('validate prints file:line:col and exits 1', () => {
    const file = join(tempDir(), 'ns.yaml');
    writeFileSync(
      file,
      plan({ teams: '      - { name: ok }\n      - name: ops\n        namespace: kube-system\n' }),
    );
    const r = runCli(['validate', file]);
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toMatch(
      new RegExp(
        `${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:17:20 +error +GW-PLAN-NAMESPACE +Team 'ops' would use namespace 'kube-system', which is reserved`,
      ),
    );
  });
});

describe('label limits, exactly at the boundary', () => {
  test('the limits are the Kubernetes ones', () => {
    expect({ LABEL_NAME_MAX, LABEL_PREFIX_MAX, LABEL_VALUE_MAX }).toEqual({
      LABEL_NAME_MAX: 63,
      LABEL_PREFIX_MAX: 253,
      LABEL_VALUE_MAX: 63,
    });
  });
  test.each([
    [a(63), []],
    [a(64), ['the name part is 64 characters; at most 63 are allowed']],
    [`${subdomain(253)}/x`, []],
    [`${subdomain(254)}/x`, ['the prefix is 254 characters; at most 253 are allowed']],
    [`${subdomain(253)}/${a(63)}`, []],
    [`example.com/${a(64)}`, ['the name part is 64 characters; at most 63 are allowed']],
  ])('key of %#: %j', (key, problems) => {
    expect(labelKeyProblems(key)).toEqual(problems);
  });
  test.each([
    [a(63), []],
    [a(64), ['it is 64 characters; at most 63 are allowed']],
    ['', []],
  ])('value %#', (value, problems) => {
    expect(labelValueProblems(value)).toEqual(problems);
  });

  test.each([
    ['a', true],
    ['A_b.c-D9', true],
    ['9', true],
    ['-a', false],
    ['a-', false],
    ['a b', false],
    ['a/b/c', false],
    ['/a', false],
    ['a/', false],
    ['Example.com/a', false],
    ['a..b/c', false],
    ['a.-b/c', false],
    ['-a.b/c', false],
    ['a_b/c', false],
    ['ü', false],
    ['a.b-c.d/e', true],
  ])('key %s valid: %s', (key, ok) => {
    expect(labelKeyProblems(key).length === 0).toBe(ok);
  });
  test.each([
    ['1e3', true],
    ['yes', true],
    ['a_b', true],
    ['_a', false],
    ['a.', false],
    ['a/b', false],
    ['a:b', false],
  ])('value %s valid: %s', (value, ok) => {
    expect(labelValueProblems(value).length === 0).toBe(ok);
  });

  test('through validate: 63 passes and 64 fails, for key names, prefixes and values', () => {
    const run = (labels: string) => findings(plan({ labels }), 'GW-PLAN-LABELS');
    expect(run(`      ${a(63)}: ${a(63)}\n      ${subdomain(253)}/x: v\n`)).toEqual([]);
    const bad = run(`      ${a(64)}: v\n      ${subdomain(254)}/x: v\n      k: ${a(64)}\n`);
    expect(bad.map((d) => [d.line, d.col, d.message.replace(/'[^']*'/g, "'…'")])).toEqual([
      [13, 7, expect.stringContaining('the name part is 64 characters; at most 63 are allowed')],
      [14, 7, expect.stringContaining('the prefix is 254 characters; at most 253 are allowed')],
      [15, 10, expect.stringContaining('it is 64 characters; at most 63 are allowed')],
    ]);
    // Long strings are shown by their start and length, not whole.
    expect(bad[1].message).toContain('(256 characters)');
  });
});

describe('reserved label domains', () => {
  test.each([
    ['kubernetes.io/role', 'kubernetes.io'],
    ['node-role.kubernetes.io/worker', 'kubernetes.io'],
    ['node.kubernetes.io/instance-type', 'kubernetes.io'],
    ['k8s.io/x', 'k8s.io'],
    ['x.k8s.io/y', 'k8s.io'],
    ['gigawatt.dev/pool', 'gigawatt.dev'],
    ['team.gigawatt.dev/x', 'gigawatt.dev'],
  ])('%s is refused (%s)', (key, domain) => {
    expect(reservedLabelDomain(key)).toBe(domain);
    const out = findings(plan({ labels: `      ${key}: v\n` }), 'GW-PLAN-LABELS');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ severity: 'error', line: 13, col: 7, path: `pools[0].labels.${key}` });
    expect(out[0].message).toContain(`in the reserved domain ${domain}`);
  });
  test.each([
    ['mykubernetes.io/x'],
    ['kubernetes.io.example.com/x'],
    ['k8s.io-x/y'],
    ['role'],
    ['example.com/kubernetes.io'],
  ])('%s is allowed', (key) => {
    expect(reservedLabelDomain(key)).toBeUndefined();
  });

  test('validate prints file:line:col for a reserved label and exits 1', () => {
    const file = join(tempDir(), 'labels.yaml');
    writeFileSync(file, plan({ labels: '      team: ml\n      node-role.kubernetes.io/gpu: ""\n' }));
    const r = runCli(['validate', file]);
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toContain(
      `${file}:14:7  error  GW-PLAN-LABELS  Pool 'p' label 'node-role.kubernetes.io/gpu' is in the reserved domain kubernetes.io`,
    );
  });
});
