/**
 * Estimates warn, never fail: purchase facts the catalog marks as estimates (Capacity-Block-only p5e,
 * trn2, trn2u) give warnings while official ones stay errors; EFA left off for lack of a published limit
 * is said so; the air-cooling practical limit is named as a note. Through the CLI.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from './helpers';

interface Diag {
  readonly rule: string;
  readonly severity: string;
  readonly message: string;
}
const dir = tempDir('gigawatt-estimates-');
let n = 0;
function validate(yaml: string): { status: number | null; diagnostics: Diag[] } {
  const file = join(dir, `plan-${++n}.yaml`);
  writeFileSync(file, yaml);
  const r = runCli(['validate', '--format', 'json', file]);
  return { status: r.status, diagnostics: (JSON.parse(r.stdout) as { diagnostics: Diag[] }).diagnostics };
}
const aws = (region: string, az: string, pool: string) => `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: est }
sites: [ { name: s, provider: aws, region: ${region}, quotas: { P: 100000, Trn: 100000 } } ]
fabrics: [ { name: f, site: s, vpcCidr: 10.0.0.0/16, availabilityZone: ${az} } ]
pools:
  - ${pool}
`;
const rule = (ds: Diag[], id: string) => ds.filter((d) => d.rule === id).map((d) => [d.severity, d.message]);

describe('purchase facts', () => {
  test('p5e on demand: the Capacity-Block-only fact is an estimate, so a warning', () => {
    const r = validate(
      aws(
        'us-east-1',
        'us-east-1a',
        '{ name: h, site: s, fabric: f, instanceType: p5e.48xlarge, instances: 2 }',
      ),
    );
    expect(rule(r.diagnostics, 'GW-CAP-BLOCK')).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^Pool 'h': p5e\.48xlarge appears to be sold only through Capacity Blocks \(estimate: .*\); an on-demand launch may fail\.$/,
        ),
      ],
    ]);
  });
  test('p6e-gb200 on demand: the fact is official, so an error', () => {
    const r = validate(
      aws(
        'us-east-1',
        'us-east-1-dfw-2a',
        '{ name: g, site: s, fabric: f, instanceType: p6e-gb200.36xlarge, instances: 18 }',
      ),
    );
    expect(rule(r.diagnostics, 'GW-CAP-BLOCK')).toEqual([
      [
        'error',
        "Pool 'g': p6e-gb200.36xlarge is sold only through Capacity Blocks; it cannot be launched on demand.",
      ],
    ]);
    expect(r.status).toBe(1);
  });
});

describe('EFA off', () => {
  const trn3 = (efa: string) =>
    aws(
      'us-east-2',
      'us-east-2b',
      `{ name: t, site: s, fabric: f, instanceType: trn3.48xlarge, instances: 4${efa} }`,
    );
  test('a Trn3 pool with no published EFA limit is told that EFA is off', () => {
    expect(rule(validate(trn3('')).diagnostics, 'GW-NET-EFA')).toEqual([
      [
        'warning',
        "Pool 't': EFA is off for trn3.48xlarge: its family uses EFA, but no EFA interface limit is published for the type, so gigawatt does not attach EFA by default.",
      ],
    ]);
  });
  test('saying efa: false silences it', () => {
    expect(rule(validate(trn3(', efa: false')).diagnostics, 'GW-NET-EFA')).toEqual([]);
  });
});

describe('air-cooling practical limit (40 kW, estimate, inclusive)', () => {
  const site = (kw: string) => `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: air }
sites:
  - name: dc
    provider: onprem
    power: { utilityMW: 10, pue: 1.3 }
    halls: [ { name: a, racks: 100, rackKW: 45, cooling: air, rackUnits: 42 } ]
pools: [ { name: h, site: dc, system: dgx-h100, nodes: 32${kw} } ]
`;
  test('4 × 10 kW = 40 kW racks: no note', () => {
    expect(rule(validate(site(', maxSystemKW: 10')).diagnostics, 'GW-PWR-AIR-DENSITY')).toEqual([]);
  });
  test('4 × 10.2 kW = 40.8 kW racks: a note, not a warning', () => {
    const r = validate(site(''));
    expect(rule(r.diagnostics, 'GW-PWR-AIR-DENSITY')).toEqual([
      [
        'info',
        "Hall 'a' of site 'dc' is air-cooled but its racks draw 40.8 kW (h), above the ~40 kW that optimized air typically removes per rack (estimate).",
      ],
    ]);
    expect(r.status).toBe(0);
  });
});
