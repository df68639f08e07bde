import { envelope, usableUtilityMW } from '../pipeline/model';
import { check } from './helpers';

const plan = `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: m }
sites:
  - { name: ohio, provider: aws, region: us-east-2 }
  - name: dc
    provider: onprem
    power: { utilityMW: 30, redundancy: N+1, feeds: 3, pue: 1.2 }
pools:
  - { name: trn, site: ohio, instanceType: trn2u.48xlarge, instances: 8, capacity: { type: capacity-block, reservationId: cr-0123456789abcdef0, instances: 8 } }
  - { name: gb, site: ohio, instanceType: p6e-gb200.36xlarge, instances: 18, capacity: { type: capacity-block } }
  - { name: h100, site: dc, system: dgx-h100, nodes: 100 }
  - { name: b200, site: dc, system: dgx-b200, nodes: 10, maxSystemKW: 13 }
  - { name: nvl, site: dc, system: gb200-nvl72, nodes: 2 }
`;

describe('resolved model', () => {
  const model = check(plan).plan!;
  const pool = (n: string) => model.poolByName.get(n)!;

  test.each([
    // pool, nodes, accelerators, vCPUs, accelerator memory GiB
    ['trn', 8, 128, 1536, 12288],
    ['gb', 18, 72, 2592, 13320],
    ['h100', 100, 800, undefined, 64000],
    ['nvl', 2, 144, undefined, undefined],
  ])(
    '%s: %p nodes, %p accelerators, %p vCPUs, %p GiB accelerator memory',
    (name, nodes, accelerators, vcpus, mem) => {
      expect(pool(name)).toMatchObject({ nodes, accelerators });
      expect(pool(name).vcpus).toBe(vcpus);
      expect(pool(name).acceleratorMemoryGiB).toBe(mem);
    },
  );

  test('UltraServers: trn2u in 4s, p6e-gb200 counted by the smallest size (9)', () => {
    expect(pool('trn').ultraServers).toBe(2);
    expect(pool('gb').ultraServerSizes).toEqual([9, 18]);
    expect(pool('gb').ultraServers).toBe(2);
    expect(pool('h100').ultraServers).toBeUndefined();
  });

  test('power per pool: catalog figure, plan override, estimate flag carried', () => {
    // DGX H100 power is read from a secondary copy of NVIDIA's guide, so the catalog marks it an estimate.
    expect(pool('h100')).toMatchObject({
      powerPerNodeKW: 10.2,
      powerSource: 'catalog',
      powerEstimate: true,
    });
    expect(pool('h100').itKW).toBeCloseTo(1020, 6);
    expect(pool('b200')).toMatchObject({
      powerPerNodeKW: 13,
      powerSource: 'plan',
      powerEstimate: false,
      itKW: 130,
    });
    expect(pool('nvl')).toMatchObject({
      powerPerNodeKW: 132,
      powerSource: 'catalog',
      powerEstimate: true,
      itKW: 264,
    });
    expect(pool('trn')).toMatchObject({ powerSource: 'unknown', itKW: undefined });
  });

  test('site envelope: IT 1,414 kW x PUE 1.2 = 1.6968 MW of 20 MW usable (N+1 over 3 feeds of 30 MW)', () => {
    const dc = model.siteByName.get('dc')!;
    expect(dc.usableMW).toBe(20);
    expect(dc.itKW).toBeCloseTo(1414, 6);
    expect(dc.envelope!.facilityMW).toBeCloseTo(1.6968, 9);
    expect(dc.envelope!.headroomMW).toBeCloseTo(18.3032, 9);
    expect(model.siteByName.get('ohio')!.envelope).toBeUndefined();
  });

  test('defaults: EFA on for EFA-capable types, no placement group on Capacity Blocks, private endpoint', () => {
    expect(pool('trn')).toMatchObject({ efa: true, placementGroup: false, capacityType: 'capacity-block' });
    expect(pool('h100')).toMatchObject({ efa: false, placementGroup: false, capacityType: 'on-demand' });
    expect(model.kubernetes).toEqual({
      version: '1.33',
      endpoint: 'private',
      publicAccessCidrs: [],
      serviceCidr: '172.20.0.0/16',
      systemNodes: { instanceTypes: ['m7i.xlarge', 'm7a.xlarge'], count: 2 },
      admins: [],
    });
  });

  test('plan totals', () => {
    expect(model.totals).toMatchObject({ pools: 5, nodes: 138, accelerators: 128 + 72 + 800 + 80 + 144 });
    expect(model.totals.acceleratorsByModel).toEqual({
      Trainium2: 128,
      'B200 (GB200 superchip)': 72,
      'H100 80GB': 800,
      B200: 80,
      'B200 (GB200 NVL72)': 144,
    });
  });
});

describe('power arithmetic', () => {
  test.each([
    ['N', 100, 2, 100],
    ['N+1', 100, 2, 50],
    ['N+1', 150, 3, 100],
    ['N+1', 100, 1, 0],
    ['2N', 100, 4, 50],
  ] as const)('%s of %p MW over %p feeds leaves %p MW usable', (mode, mw, feeds, usable) => {
    expect(usableUtilityMW(mw, mode, feeds)).toBeCloseTo(usable, 9);
  });

  test('envelope: 40 MW IT at PUE 1.25 in 60 MW usable', () => {
    expect(envelope(40000, 1.25, 60)).toEqual({
      itMW: 40,
      facilityMW: 50,
      usableMW: 60,
      headroomMW: 10,
      utilization: 50 / 60,
      fits: true,
      aboveHeadroomShare: false,
    });
  });
});
