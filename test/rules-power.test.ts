/** Power, cooling, rack and fabric rules with hand-computed numbers. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, errorIds, ROOT } from './helpers';

const NOW = new Date('2026-11-22T00:00:00Z');
const site = (power: string, halls: string) => `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: pwr }
sites:
  - name: dc
    provider: onprem
    power: ${power}
    halls: ${halls}
fabrics:
  - { name: ib, site: dc, topology: rail-optimized-fat-tree, linkGbps: 400, switchRadix: 64, oversubscription: 1, switchKW: 1.5 }
`;
const base = site(
  '{ utilityMW: 20, redundancy: N+1, feeds: 2, pue: 1.3 }',
  '[{ name: air, racks: 100, rackKW: 45, cooling: air, rackUnits: 42 }, { name: wet, racks: 10, rackKW: 132, cooling: liquid, rackUnits: 48 }]',
);
const pools = (p: string) => `pools:\n${p}`;
const h100 = '  - { name: h100, site: dc, fabric: ib, system: dgx-h100, nodes: 256, hall: air }\n';
const nvl = '  - { name: nvl, site: dc, fabric: ib, system: gb200-nvl72, nodes: 8, hall: wet }\n';

describe('envelope and placement of a compliant site', () => {
  const r = check(base + pools(h100 + nvl), NOW);
  const plan = r.plan!;
  const dc = plan.siteByName.get('dc')!;
  test('no errors', () => expect(errorIds(r)).toEqual([]));
  test('IT load: 256 x 10.2 kW + 8 x 132 kW (est.) + switches x 1.5 kW', () => {
    const fabric = plan.fabricByName.get('ib')!;
    // h100: 8 rails x ceil(256/32) = 64 leaves; nvl: 72 rails x ceil(8/32) = 72 leaves; 136 > 64 → three tiers.
    expect(fabric.sizing).toMatchObject({
      leaves: 136,
      spines: 136,
      cores: 68,
      tiers: 3,
      nodeLinks: 256 * 8 + 8 * 72,
    });
    expect(dc.fabricKW).toBeCloseTo(340 * 1.5, 9);
    expect(dc.itKW).toBeCloseTo(2611.2 + 1056 + 510, 9);
    expect(dc.envelope!.facilityMW).toBeCloseTo(4.1772 * 1.3, 9);
    expect(dc.usableMW).toBe(10);
  });
  test('racks: 4 DGX H100 per 45 kW rack, SUs of 32 kept together → 64 racks; NVL72 one rack each', () => {
    const pl = dc.placement!;
    expect(
      pl.pools.map((p) => [p.pool.name, p.hall!.name, p.nodesPerRack, p.racks, p.firstRack, p.lastRack]),
    ).toEqual([
      ['h100', 'air', 4, 64, 1, 64],
      ['nvl', 'wet', 1, 8, 1, 8],
    ]);
    expect(pl.halls.map((h) => [h.hall.name, h.racksUsed, h.racksAvailable])).toEqual([
      ['air', 64, 100],
      ['wet', 8, 10],
    ]);
  });
});

describe.each([
  ['N', '{ utilityMW: 10, redundancy: N, pue: 1.25 }', 10],
  ['N+1 over 4 feeds', '{ utilityMW: 10, redundancy: N+1, feeds: 4, pue: 1.25 }', 7.5],
  ['2N', '{ utilityMW: 10, redundancy: 2N, pue: 1.25 }', 5],
])('redundancy %s', (_name, power, usable) => {
  test(`usable ${usable} MW`, () => {
    expect(
      check(
        site(power, '[{ name: air, racks: 100, rackKW: 45, cooling: air }]') + pools(h100),
        NOW,
      ).plan!.siteByName.get('dc')!.usableMW,
    ).toBeCloseTo(usable, 9);
  });
});

// [name, plan text, rule, message]
const bad: [string, string, string, RegExp][] = [
  [
    'an over-subscribed feed',
    site(
      '{ utilityMW: 4, redundancy: N+1, feeds: 2, pue: 1.3 }',
      '[{ name: air, racks: 100, rackKW: 45, cooling: air }]',
    ) + pools(h100),
    'GW-PWR-ENVELOPE',
    /facility load 3\.58 MW \(IT 2\.76 MW × PUE 1\.3\) exceeds the usable 2\.00 MW \(4 MW utility, N\+1\) by 1\.58 MW/,
  ],
  [
    'a liquid system in an air hall',
    base + pools('  - { name: nvl, site: dc, fabric: ib, system: gb200-nvl72, nodes: 8, hall: air }\n'),
    'GW-PWR-COOLING',
    /gb200-nvl72 needs liquid cooling but hall 'air' is air-cooled/,
  ],
  [
    'a rack too weak for the node',
    site('{ utilityMW: 20, pue: 1.3 }', '[{ name: wet, racks: 10, rackKW: 100, cooling: liquid }]') +
      pools(nvl),
    'GW-PWR-RACK-DENSITY',
    /one gb200-nvl72 draws 132 kW but racks in hall 'wet' are limited to 100 kW/,
  ],
  [
    'more racks than the hall has',
    base.replace('racks: 100, rackKW: 45', 'racks: 60, rackKW: 45') + pools(h100),
    'GW-PWR-RACKS',
    /Hall 'air' of site 'dc' needs 64 racks \(h100 64\) but has 60/,
  ],
  [
    'a node taller than the rack',
    base.replace('rackUnits: 42 }', 'rackUnits: 6 }') + pools(h100),
    'GW-PWR-RACK-UNITS',
    /one dgx-h100 takes 8U but racks in hall 'air' have 6U/,
  ],
  [
    'unknown rack units',
    base + pools('  - { name: b300, site: dc, system: dgx-b300, nodes: 4, hall: air }\n'),
    'GW-PWR-RACK-UNITS',
    /the rack units of dgx-b300 are not in the catalog/,
  ],
  [
    'a fabric beyond three tiers',
    base
      .replace('utilityMW: 20', 'utilityMW: 2000')
      .replace('racks: 100, rackKW: 45', 'racks: 100000, rackKW: 45') +
      pools('  - { name: big, site: dc, fabric: ib, system: dgx-h100, nodes: 20000, hall: air }\n'),
    'GW-NET-FABRIC-OVERSUB',
    /160,000 endpoints need 5,000 leaves; at radix 64 three tiers cannot connect them/,
  ],
];

test.each(bad)('non-compliant: %s', (_name, text, rule, message) => {
  const r = check(text, NOW);
  expect(r.diagnostics.filter((d) => d.rule === 'GW-SCHEMA')).toEqual([]);
  expect(errorIds(r)).toContain(rule);
  expect(r.diagnostics.filter((d) => d.rule === rule).map((d) => d.message)).toContainEqual(
    expect.stringMatching(message),
  );
});

test('headroom below 10 % is a warning, and a waiver with a reason silences it', () => {
  const tight =
    site(
      '{ utilityMW: 3.9, redundancy: N, pue: 1.3 }',
      '[{ name: air, racks: 100, rackKW: 45, cooling: air }]',
    ) + pools(h100);
  const r = check(tight, NOW);
  expect(r.diagnostics.find((d) => d.rule === 'GW-PWR-HEADROOM')!.message).toBe(
    "Site 'dc': facility load 3.58 MW is 91.8 % of the usable 3.90 MW (headroom 0.32 MW).",
  );
  const waived = check(
    tight +
      'waivers: [{ rule: GW-PWR-HEADROOM, target: sites.dc, reason: "feed 2 lands in March", expires: 2027-01-31 }]\n',
    NOW,
  );
  expect(waived.diagnostics.find((d) => d.rule === 'GW-PWR-HEADROOM')!.waiver).toBeDefined();
});

test('AWS sites have no envelope and are skipped by power rules', () => {
  const r = check(readFileSync(join(ROOT, 'examples/p5-efa.yaml'), 'utf8'), NOW);
  expect(r.diagnostics.filter((d) => d.rule.startsWith('GW-PWR'))).toEqual([]);
  expect(r.plan!.sites[0].envelope).toBeUndefined();
});

test('the mining-site example with one hall over its feed fails with the MW numbers', () => {
  const text = readFileSync(join(ROOT, 'examples/mining-site-dgx.yaml'), 'utf8').replace(
    'utilityMW: 150',
    'utilityMW: 60',
  );
  const r = check(text, NOW);
  expect(errorIds(r)).toEqual(['GW-PWR-ENVELOPE']);
  expect(r.diagnostics.find((d) => d.rule === 'GW-PWR-ENVELOPE')!.message).toBe(
    "Site 'west-texas': facility load 47.90 MW (IT 38.32 MW × PUE 1.25) exceeds the usable 40.00 MW (60 MW utility, N+1) by 7.90 MW.",
  );
});

test('the mining-site example with one hall over its feed fails with the hall MW numbers', () => {
  const text = readFileSync(join(ROOT, 'examples/mining-site-dgx.yaml'), 'utf8').replace(
    'feed: feed-3, feedMW: 50',
    'feed: feed-3, feedMW: 15',
  );
  const r = check(text, NOW);
  expect(errorIds(r)).toEqual(['GW-PWR-ENVELOPE']);
  expect(r.diagnostics.find((d) => d.rule === 'GW-PWR-ENVELOPE')!.message).toBe(
    "Hall 'hall-c' of site 'west-texas': its load 21.12 MW (IT 16.90 MW × PUE 1.25) exceeds its 15.00 MW feed by 6.12 MW.",
  );
});
