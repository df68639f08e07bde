/**
 * Reservations (Capacity Blocks, ODCRs) are objects of their own that pools draw from by id: sizes and
 * the Capacity Block limits are counted per reservation, not per pool. Older plans that describe the
 * reservation inline on the pool keep working, and pools sharing an inline id are counted together.
 * Checked through the CLI (`gigawatt validate --format json`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from './helpers';

interface Diag {
  readonly rule: string;
  readonly severity: string;
  readonly path: string;
  readonly message: string;
  readonly hint: string;
}

const dir = tempDir('gigawatt-reservations-');
let n = 0;
function validate(yaml: string): { status: number | null; diagnostics: Diag[] } {
  const file = join(dir, `plan-${++n}.yaml`);
  writeFileSync(file, yaml);
  const r = runCli(['validate', '--format', 'json', file]);
  expect(r.stderr).toBe('');
  return { status: r.status, diagnostics: (JSON.parse(r.stdout) as { diagnostics: Diag[] }).diagnostics };
}
const of = (ds: Diag[], rule: string, severity = 'error') =>
  ds.filter((d) => d.rule === rule && d.severity === severity);

const WINDOW = "start: '2027-01-04T11:30:00Z', end: '2027-01-11T11:30:00Z'";
const plan = (reservations: string, pools: string, extraSite = '') => `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: res }
sites:
  - { name: va, provider: aws, region: us-east-1, quotas: { P: 100000 } }
${extraSite}fabrics:
  - { name: efa, site: va, vpcCidr: 10.0.0.0/16, availabilityZone: us-east-1a }
${reservations ? `reservations:\n${reservations}` : ''}pools:
${pools}`;
const block = (id: string, instances: number, window = WINDOW, extra = '') =>
  `  - { id: ${id}, site: va, type: capacity-block, instanceType: p5.48xlarge, instances: ${instances}, availabilityZone: us-east-1a, ${window}${extra} }\n`;
const pool = (name: string, count: number, id: string, capacity = '') =>
  `  - { name: ${name}, site: va, fabric: efa, instanceType: p5.48xlarge, instances: ${count}, capacity: { type: capacity-block, reservationId: ${id}${capacity} } }\n`;
const inline = (name: string, count: number, id: string, reserved: number) =>
  pool(name, count, id, `, instances: ${reserved}, availabilityZone: us-east-1a, ${WINDOW}`);

describe('pools sharing one Capacity Block', () => {
  test('two pools of 8 on a 16-instance block fit it exactly', () => {
    const r = validate(
      plan(block('cr-00000016', 16), pool('a', 8, 'cr-00000016') + pool('b', 8, 'cr-00000016')),
    );
    expect(of(r.diagnostics, 'GW-CAP-BLOCK')).toEqual([]);
    expect(r.status).toBe(0);
  });
  test('two pools of 10 on a 16-instance block do not', () => {
    const r = validate(
      plan(block('cr-00000016', 16), pool('a', 10, 'cr-00000016') + pool('b', 10, 'cr-00000016')),
    );
    expect(of(r.diagnostics, 'GW-CAP-BLOCK')).toEqual([
      expect.objectContaining({
        path: 'reservations[0].instances',
        message: 'Pools a 10, b 10 draw 20 instances from reservation cr-00000016, which holds 16.',
        hint: 'Shrink the pools by 4 in total, or reserve more.',
      }),
    ]);
    expect(r.status).toBe(1);
  });
  test('an older plan describing the block inline on both pools is counted by reservation id too', () => {
    const r = validate(plan('', inline('a', 10, 'cr-00000016', 16) + inline('b', 10, 'cr-00000016', 16)));
    expect(of(r.diagnostics, 'GW-CAP-BLOCK').map((d) => d.message)).toEqual([
      'Pools a 10, b 10 draw 20 instances from reservation cr-00000016, which holds 16.',
    ]);
  });
  test('five pools of 12 on one 64-instance block are one block, not five, against the 256 limit', () => {
    const pools = ['a', 'b', 'c', 'd', 'e'].map((p) => pool(p, 12, 'cr-00000064')).join('');
    const r = validate(plan(block('cr-00000064', 64), pools));
    expect(of(r.diagnostics, 'GW-CAP-BLOCK')).toEqual([]);
    // The same five pools inline, as an older plan wrote them.
    const old = ['a', 'b', 'c', 'd', 'e'].map((p) => inline(p, 12, 'cr-00000064', 64)).join('');
    expect(of(validate(plan('', old)).diagnostics, 'GW-CAP-BLOCK')).toEqual([]);
  });
  test('five 64-instance blocks at once exceed 256; the same blocks one after another do not', () => {
    const ids = [1, 2, 3, 4, 5].map((i) => `cr-0000000${i}`);
    const pools = ids.map((id, i) => pool(`p${i}`, 64, id)).join('');
    const together = validate(plan(ids.map((id) => block(id, 64)).join(''), pools));
    expect(of(together.diagnostics, 'GW-CAP-BLOCK').map((d) => d.message)).toEqual([
      'The plan holds 320 instances in Capacity Blocks at the same time (cr-00000001 64 (p0), cr-00000002 64 (p1), cr-00000003 64 (p2), cr-00000004 64 (p3), cr-00000005 64 (p4)); AWS allows 256 across Capacity Blocks at a time.',
    ]);
    const weeks = ids
      .map((id, i) =>
        block(
          id,
          64,
          `start: '2027-01-${String(4 + 7 * i).padStart(2, '0')}T11:30:00Z', end: '2027-01-${String(11 + 7 * i).padStart(2, '0')}T11:30:00Z'`,
        ),
      )
      .join('');
    expect(of(validate(plan(weeks, pools)).diagnostics, 'GW-CAP-BLOCK')).toEqual([]);
  });
  test('a 65-instance declared block is over the per-block limit', () => {
    const r = validate(plan(block('cr-00000065', 65), pool('a', 65, 'cr-00000065')));
    expect(of(r.diagnostics, 'GW-CAP-BLOCK').map((d) => [d.path, d.message])).toEqual([
      [
        'reservations[0].instances',
        'Reservation cr-00000065: 65 instances in one Capacity Block; AWS sells at most 64 per block.',
      ],
    ]);
  });
});

describe('wiring and migration', () => {
  test('a pool that repeats the reservation inline with other values gets a migration error', () => {
    const r = validate(plan(block('cr-00000016', 16), pool('a', 8, 'cr-00000016', ', instances: 8')));
    expect(of(r.diagnostics, 'GW-CAP-BLOCK')).toEqual([
      expect.objectContaining({
        path: 'pools[0].capacity.instances',
        message: "Pool 'a': capacity.instances 8 contradicts reservations[0] (cr-00000016), which says 16.",
        hint: 'Remove capacity.instances from the pool: the reservation is described once, under reservations[].',
      }),
    ]);
  });
  test('two older pools that describe one id differently are told to declare it once', () => {
    const r = validate(plan('', inline('a', 8, 'cr-00000016', 16) + inline('b', 8, 'cr-00000016', 32)));
    expect(of(r.diagnostics, 'GW-CAP-BLOCK').map((d) => [d.path, d.message])).toEqual([
      [
        'pools[1].capacity.instances',
        "Pool 'b': reservation cr-00000016 is described twice with different instances: 32 here, 16 on pool 'a'.",
      ],
    ]);
  });
  test('an undeclared id when reservations[] is used is a reference error with a suggestion', () => {
    const r = validate(plan(block('cr-00000016', 16), pool('a', 8, 'cr-00000017')));
    expect(of(r.diagnostics, 'GW-PLAN-REFERENCE').map((d) => d.message)).toEqual([
      "Pool 'a' draws from reservation cr-00000017, which reservations[] does not declare. Did you mean 'cr-00000016'?",
    ]);
  });
  test('a reservation of an unknown site, and an id declared twice, are reference errors', () => {
    const r = validate(
      plan(
        block('cr-00000016', 16) + block('cr-00000016', 16).replace('site: va', 'site: vb'),
        pool('a', 8, 'cr-00000016'),
      ),
    );
    expect(of(r.diagnostics, 'GW-PLAN-REFERENCE').map((d) => d.message)).toEqual([
      'Reservation cr-00000016 is declared twice (reservations[1]).',
      "Reservation cr-00000016 names site 'vb', which the plan does not define. Did you mean 'va'?",
    ]);
  });
  test('type, site and AZ of the reservation must match the pool', () => {
    const r = validate(
      plan(
        '  - { id: cr-000000aa, site: oh, type: odcr, instanceType: p5en.48xlarge, instances: 16, availabilityZone: us-east-1b }\n',
        pool('a', 8, 'cr-000000aa'),
        '  - { name: oh, provider: aws, region: us-east-2 }\n',
      ),
    );
    expect(of(r.diagnostics, 'GW-CAP-BLOCK').map((d) => d.message)).toEqual([
      "Pool 'a': capacity.type is capacity-block but reservation cr-000000aa is a capacity reservation (odcr).",
      "Pool 'a' is in site 'va' but reservation cr-000000aa is in site 'oh'.",
      "Pool 'a': the Capacity Block is for p5en.48xlarge, the pool asks for p5.48xlarge.",
      "Pool 'a': the Capacity Block is in us-east-1b but the pool's subnet (fabric 'efa') is in us-east-1a.",
    ]);
  });
  test('a Capacity Block ending at another time than 11:30 UTC is flagged', () => {
    const r = validate(
      plan(
        block('cr-00000016', 16, "start: '2027-01-04T11:30:00Z', end: '2027-01-11T12:00:00Z'"),
        pool('a', 8, 'cr-00000016'),
      ),
    );
    expect(of(r.diagnostics, 'GW-CAP-BLOCK', 'warning').map((d) => [d.path, d.message])).toEqual([
      [
        'reservations[0].end',
        'Reservation cr-00000016: the Capacity Block end 2027-01-11T12:00:00Z is not at 11:30 UTC; Capacity Blocks end at 11:30 UTC.',
      ],
    ]);
  });
});
