import { runRules, failing, type Rule } from '../pipeline/rules';
import { RULES, ENGINE_RULES } from '../pipeline/rules/table';
import { check, errorIds } from './helpers';

const plan = (extra = '') => `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: e }
sites:
  - { name: ohio, provider: aws, region: us-east-2, quotas: { P: 100000 } }
pools:
  - { name: p, site: ohio, instanceType: p5.48xlarge, instances: 2, efa: false }
  - { name: q, site: ohioo, instanceType: p5.48xlarge, instances: 2, efa: false }
${extra}`;

describe('rule engine', () => {
  test('rule ids are unique and well-formed, with title and explanation', () => {
    const ids = [...RULES, ...ENGINE_RULES].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of [...RULES, ...ENGINE_RULES]) {
      expect(r.id).toMatch(/^GW-[A-Z0-9]+(-[A-Z0-9]+)*$/);
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.explanation.length).toBeGreaterThan(20);
    }
  });

  test('a finding carries rule id, file:line:col, path, target, message and hint', () => {
    const r = check(plan());
    const d = r.diagnostics.find((x) => x.rule === 'GW-PLAN-REFERENCE')!;
    expect(d).toMatchObject({
      severity: 'error',
      path: 'pools[1].site',
      target: 'pools.q',
      file: 'plan.yaml',
      line: 8,
      col: 22,
    });
    expect(d.message).toBe(
      "Pool 'q' names site 'ohioo', which the plan does not define. Did you mean 'ohio'?",
    );
    expect(d.hint).toBe('Use one of: ohio.');
  });

  test('a rule that throws is reported as GW-RULE-CRASH; the other rules still run', () => {
    const boom: Rule = {
      id: 'GW-TEST-BOOM',
      severity: 'error',
      category: 'plan',
      title: 'always throws',
      explanation: 'test rule',
      check: () => {
        throw new Error('kaput');
      },
    };
    const model = check(plan()).plan!;
    const out = runRules(model, { rules: [boom, ...RULES] });
    expect(out.find((d) => d.rule === 'GW-RULE-CRASH')!.message).toBe(
      'Rule GW-TEST-BOOM failed while checking this plan: kaput',
    );
    expect(out.some((d) => d.rule === 'GW-PLAN-REFERENCE')).toBe(true);
  });

  test('a waiver with rule, target and reason suppresses the finding but keeps it visible', () => {
    const r = check(
      plan(
        'waivers: [{ rule: GW-PLAN-REFERENCE, target: pools.q, reason: "site lands in the next change", expires: 2027-01-31 }]',
      ),
    );
    const d = r.diagnostics.find((x) => x.rule === 'GW-PLAN-REFERENCE')!;
    expect(d.waiver).toEqual({ reason: 'site lands in the next change', expires: '2027-01-31' });
    expect(errorIds(r)).toEqual([]);
    expect(failing(r.diagnostics)).toEqual([]);
  });

  test('an expired waiver is a warning and no longer applies', () => {
    const r = check(
      plan(
        'waivers: [{ rule: GW-PLAN-REFERENCE, target: pools.q, reason: "site lands in the next change", expires: 2026-01-31 }]',
      ),
    );
    expect(errorIds(r)).toEqual(['GW-PLAN-REFERENCE']);
    const w = r.diagnostics.find((x) => x.rule === 'GW-WAIVER-EXPIRED')!;
    expect(w).toMatchObject({ severity: 'warning', path: 'waivers[0].expires', line: 9 });
    expect(w.message).toMatch(/expired on 2026-01-31/);
  });

  test('a waiver covers only the exact target: one for `pools` waives no pool finding and is reported unused', () => {
    const r = check(
      plan(
        'waivers: [{ rule: GW-PLAN-REFERENCE, target: pools, reason: "all pools, whatever they name", expires: 2027-01-31 }]',
      ),
    );
    expect(r.diagnostics.find((x) => x.rule === 'GW-PLAN-REFERENCE')!.waiver).toBeUndefined();
    expect(errorIds(r)).toEqual(['GW-PLAN-REFERENCE']);
    expect(r.diagnostics.filter((x) => x.rule === 'GW-WAIVER-UNUSED').map((x) => x.message)).toEqual([
      'Waiver of GW-PLAN-REFERENCE for pools matches no finding.',
    ]);
  });

  test('a waiver for an unknown rule or matching nothing is reported', () => {
    const r = check(
      plan(
        'waivers: [{ rule: GW-NOPE, target: pools.q, reason: "typo in the rule id here", expires: 2027-01-01 }, { rule: GW-PLAN-REFERENCE, target: pools.p, reason: "nothing to waive on p", expires: 2027-01-01 }]',
      ),
    );
    const unused = r.diagnostics.filter((x) => x.rule === 'GW-WAIVER-UNUSED').map((x) => x.message);
    expect(unused).toEqual([
      'Waiver names rule GW-NOPE, which does not exist.',
      'Waiver of GW-PLAN-REFERENCE for pools.p matches no finding.',
    ]);
  });

  test('a waiver expires at most 90 days after the run date (2026-11-22 in check); beyond, it waives nothing', () => {
    const waiver = (expires: string, extra = '') =>
      plan(
        `waivers: [{ rule: GW-PLAN-REFERENCE, target: pools.q, reason: "site lands in the next change", expires: ${expires}${extra} }]`,
      );
    expect(errorIds(check(waiver('2027-02-20')))).toEqual([]);
    const late = check(waiver('2027-02-21'));
    expect(errorIds(late)).toEqual(['GW-PLAN-REFERENCE', 'GW-WAIVER-POLICY']);
    expect(late.diagnostics.find((d) => d.rule === 'GW-WAIVER-POLICY')).toMatchObject({
      path: 'waivers[0].expires',
      line: 9,
      message:
        'Waiver of GW-PLAN-REFERENCE for pools.q refused: it expires on 2027-02-21, more than 90 days after 2026-11-22 (latest allowed: 2027-02-20); it waives nothing.',
    });
    // Without a timeline, `from` covers nothing less, so it does not extend the bound.
    expect(errorIds(check(waiver('2028-06-01', ', from: 2028-04-01')))).toContain('GW-WAIVER-POLICY');
  });

  test('on a timeline, a waiver that starts covering at a later plan date may run 90 days from then', () => {
    const timeline = (expires: string) =>
      plan(`timeline:
  - { date: 2027-01-04, pools: [{ name: p, instances: 2 }] }
  - { date: 2028-04-01, pools: [{ name: p, instances: 4 }] }
waivers: [{ rule: GW-PLAN-REFERENCE, target: pools.q, reason: "site lands in the next change", from: 2028-04-01, expires: ${expires} }]`);
    const ok = check(timeline('2028-06-30'));
    expect(ok.diagnostics.map((d) => d.rule)).not.toContain('GW-WAIVER-POLICY');
    const late = check(timeline('2028-07-01'));
    expect(late.diagnostics.find((d) => d.rule === 'GW-WAIVER-POLICY')!.message).toContain(
      'latest allowed: 2028-06-30',
    );
  });

  test('no waiver of a security rule, whatever its target or expiry', () => {
    const r = check(
      plan(`kubernetes: { endpoint: public, publicAccessCidrs: [0.0.0.0/0] }
waivers: [{ rule: GW-SEC-EKS-PUBLIC, target: kubernetes, reason: "needed for the demo next week", expires: 2026-12-01 }]`),
    );
    expect(errorIds(r)).toEqual(['GW-PLAN-REFERENCE', 'GW-SEC-EKS-PUBLIC', 'GW-WAIVER-POLICY']);
    expect(r.diagnostics.find((d) => d.rule === 'GW-WAIVER-POLICY')).toMatchObject({
      path: 'waivers[0].rule',
    });
  });

  test('--fail-on warning also fails on warnings', () => {
    const r = check(
      plan(
        'waivers: [{ rule: GW-PLAN-REFERENCE, target: pools.q, reason: "site lands in the next change", expires: 2026-01-31 }]',
      ),
    );
    expect(failing(r.diagnostics, 'error').map((d) => d.rule)).toEqual(['GW-PLAN-REFERENCE']);
    expect(
      failing(r.diagnostics, 'warning')
        .map((d) => d.rule)
        .sort(),
    ).toEqual(['GW-PLAN-REFERENCE', 'GW-WAIVER-EXPIRED']);
  });
});

describe('plan rules', () => {
  const ok = `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: ok }
sites:
  - { name: ohio, provider: aws, region: us-east-2 }
  - { name: dc, provider: onprem, halls: [{ name: a, racks: 10, rackKW: 45, cooling: air }] }
fabrics:
  - { name: f, site: ohio, vpcCidr: 10.0.0.0/16, availabilityZone: us-east-2a }
pools:
  - { name: p, site: ohio, fabric: f, instanceType: p5.48xlarge, instances: 2, efa: false }
  - { name: d, site: dc, system: dgx-h100, nodes: 2, hall: a }
`;
  test('GW-PLAN-REFERENCE and GW-PLAN-POOL-TYPE: compliant plan', () => {
    expect(errorIds(check(ok))).toEqual([]);
  });
  test.each([
    ['unknown fabric', ok.replace('fabric: f,', 'fabric: g,'), 'GW-PLAN-REFERENCE', /names fabric 'g'/],
    [
      'unknown hall',
      ok.replace('hall: a }', 'hall: b }'),
      'GW-PLAN-REFERENCE',
      /names hall 'b'.*Did you mean 'a'/,
    ],
    [
      'duplicate pool name',
      ok.replace('name: d,', 'name: p,'),
      'GW-PLAN-REFERENCE',
      /pools\[1\]\.name 'p' is used twice/,
    ],
    [
      'fabric in another site',
      ok.replace('{ name: f, site: ohio', '{ name: f, site: dc'),
      'GW-PLAN-REFERENCE',
      /its fabric 'f' is in site 'dc'/,
    ],
    [
      'system in an AWS site',
      ok.replace('instanceType: p5.48xlarge, instances: 2', 'system: dgx-h100, instances: 2'),
      'GW-PLAN-POOL-TYPE',
      /has no instanceType/,
    ],
    [
      'EC2 type in an on-prem site',
      ok.replace('system: dgx-h100, nodes: 2', 'instanceType: p5.48xlarge, nodes: 2'),
      'GW-PLAN-POOL-TYPE',
      /names EC2 type 'p5\.48xlarge' in on-prem site/,
    ],
    [
      'unknown system',
      ok.replace('dgx-h100', 'dgx-h1000'),
      'GW-PLAN-POOL-TYPE',
      /unknown system 'dgx-h1000'\. Did you mean 'dgx-h100'/,
    ],
    [
      'no size',
      ok.replace(', instances: 2, efa: false }', ', efa: false }'),
      'GW-PLAN-POOL-TYPE',
      /Pool 'p' has no size/,
    ],
    [
      'AWS site without region',
      ok.replace(', region: us-east-2', ''),
      'GW-PLAN-POOL-TYPE',
      /AWS site 'ohio' has no region/,
    ],
  ])('non-compliant: %s', (_name, text, rule, message) => {
    const r = check(text);
    expect(errorIds(r)).toEqual([rule]);
    expect(r.diagnostics.filter((d) => d.rule === rule).map((d) => d.message)).toContainEqual(
      expect.stringMatching(message),
    );
  });
});
