/**
 * Capacity Block scaling as of an apply instant: desired 0 with both scheduled actions before the block,
 * the size directly (no past action) once it is active, 0 with no action from the scale-down time; maxSize
 * is the pool's peak. The model function, then `gigawatt synth --at` through the CLI.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { capacityBlockScaling, SCALE_DOWN_MINUTES_BEFORE_END } from '../pipeline/model/capacity-block';
import { check, ROOT, runCli, tempDir } from './helpers';

const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');
const TRN2 = 'examples/trn2-ultraserver-capacity-block.yaml';
const AWS = 'test/fixtures/timeline-aws.yaml';

// The example's block: 2027-01-04T11:30Z to 2027-01-18T11:30Z; scaled to 0 an hour before its end.
const START = Date.parse('2027-01-04T11:30:00Z');
const DOWN = Date.parse('2027-01-18T10:30:00Z');

function scalingOf(yaml: string, pool: string, at?: number) {
  const r = check(yaml);
  const plan = r.plan!;
  return capacityBlockScaling(plan, plan.poolByName.get(pool)!, at)!;
}

describe('capacityBlockScaling', () => {
  const trn2 = read(TRN2);
  const summary = (at?: number) => {
    const s = scalingOf(trn2, 'trn2-ultra', at);
    return {
      phase: s.phase,
      groups: s.groups.map((g) => ({
        sizes: [g.minSize, g.maxSize, g.desiredSize],
        actions: g.actions.map((a) => [a.id, a.at, a.minSize, a.maxSize, a.desired]),
      })),
    };
  };
  const both = [
    ['block-start', '2027-01-04T11:30:00Z', 0, 16, 16],
    ['block-end', '2027-01-18T10:30:00Z', 0, 16, 0],
  ];

  test('scales down the documented number of minutes before the end', () => {
    expect(SCALE_DOWN_MINUTES_BEFORE_END).toBeGreaterThanOrEqual(30);
    expect(scalingOf(trn2, 'trn2-ultra').window.scaleDownAt).toBe(
      new Date(Date.parse('2027-01-18T11:30:00Z') - SCALE_DOWN_MINUTES_BEFORE_END * 60_000)
        .toISOString()
        .replace('.000Z', 'Z'),
    );
  });

  test('before the block (and with no instant): desired 0, scale up at the start, down before the end', () => {
    expect(summary()).toEqual({ phase: 'before', groups: [{ sizes: [0, 16, 0], actions: both }] });
    expect(summary(START - 1)).toEqual(summary());
  });

  test('exactly at the block start it is active: the size directly and no block-start action', () => {
    const active = { phase: 'active', groups: [{ sizes: [0, 16, 16], actions: [both[1]] }] };
    expect(summary(START)).toEqual(active);
    expect(summary(DOWN - 1)).toEqual(active);
  });

  test('exactly at the scale-down time and after the end: 0 and no scheduled action', () => {
    const ended = { phase: 'ended', groups: [{ sizes: [0, 16, 0], actions: [] }] };
    expect(summary(DOWN)).toEqual(ended);
    expect(summary(Date.parse('2027-01-18T11:30:00Z'))).toEqual(ended);
    expect(summary(Date.parse('2027-06-01'))).toEqual(ended);
  });

  test('maxSize is the pool peak (maxInstances), so no scheduled desired exceeds it', () => {
    const grown = trn2.replace(
      '    instances: 16\n    capacity:',
      '    instances: 12\n    maxInstances: 16\n    capacity:',
    );
    expect(grown).not.toBe(trn2);
    const s = scalingOf(grown, 'trn2-ultra', START - 1);
    expect(s.groups.map((g) => [g.maxSize, g.desiredSize, ...g.actions.map((a) => a.desired)])).toEqual([
      [16, 0, 12, 0],
    ]);
    expect(scalingOf(grown, 'trn2-ultra', START).groups[0]!.desiredSize).toBe(12);
  });

  test('on a timeline the block-start action scales to the size the plan has at the start', () => {
    // The pool is 0 until the block opens (a phase), 16 from its start, 0 again from its end.
    const text = read(AWS);
    const before = scalingOf(text, 'trn2', Date.parse('2027-01-02'));
    expect(before.instancesAtStart).toBe(16);
    expect(before.groups[0]!.actions.map((a) => [a.id, a.desired, a.maxSize])).toEqual([
      ['block-start', 16, 16],
      ['block-end', 0, 16],
    ]);
    expect(scalingOf(text, 'trn2', Date.parse('2027-01-05')).groups[0]!.desiredSize).toBe(16);
  });

  test('pools that are not on a block with a window have no scaling', () => {
    const r = check(read(AWS));
    expect(capacityBlockScaling(r.plan!, r.plan!.poolByName.get('h100')!, START)).toBeUndefined();
    const undated = read(TRN2).replace(/\n {4}(start|end): 2027-01-\d\dT11:30:00Z/g, '');
    const u = check(undated);
    expect(capacityBlockScaling(u.plan!, u.plan!.poolByName.get('trn2-ultra')!, START)).toBeUndefined();
  });
});

type Stack = { resource: Record<string, Record<string, Record<string, unknown>>> };

describe('gigawatt synth --at sizes a Capacity Block pool for that instant', () => {
  const synthAt = (plan: string, at: string, pool = 'trn2-ultra') => {
    const out = tempDir();
    const r = runCli(['synth', plan, '--at', at, '-o', out]);
    const stack = JSON.parse(readFileSync(join(out, 'terraform/stacks/ohio/cdk.tf.json'), 'utf8')) as Stack;
    const group = Object.values(stack.resource.aws_eks_node_group!).find(
      (g) => g.node_group_name === `${pool}-1`,
    );
    const schedules = Object.values(stack.resource.aws_autoscaling_schedule ?? {}).map((s) => [
      s.scheduled_action_name,
      s.start_time,
      s.desired_capacity,
      s.max_size,
    ]);
    return { r, stack, scaling: group!.scaling_config, schedules };
  };

  test('before, during and after the block', () => {
    const before = synthAt(TRN2, '2027-01-04T11:29:00Z');
    const during = synthAt(TRN2, '2027-01-04T11:30:00Z');
    const after = synthAt(TRN2, '2027-01-18T10:30:00Z');
    expect([before.r.status, during.r.status, after.r.status]).toEqual([0, 0, 0]);
    expect(before.scaling).toEqual({ min_size: 0, max_size: 16, desired_size: 0 });
    expect(before.schedules).toEqual([
      ['trn2-ultra-1-block-end', '2027-01-18T10:30:00Z', 0, 16],
      ['trn2-ultra-1-block-start', '2027-01-04T11:30:00Z', 16, 16],
    ]);
    expect(during.scaling).toEqual({ min_size: 0, max_size: 16, desired_size: 16 });
    expect(during.schedules).toEqual([['trn2-ultra-1-block-end', '2027-01-18T10:30:00Z', 0, 16]]);
    expect(after.scaling).toEqual({ min_size: 0, max_size: 16, desired_size: 0 });
    expect(after.schedules).toEqual([]);
    expect(after.r.stderr).toMatch(
      /warning {2}.*pool 'trn2-ultra' has 16 instances but its Capacity Block is scaled to 0 from 2027-01-18T10:30:00Z/,
    );
    expect(before.r.stderr + during.r.stderr).not.toMatch(/Capacity Block is scaled to 0/);
    // The node group keeps its name and address at every date: only sizes and past actions go.
    const groups = (s: Stack) => Object.keys(s.resource.aws_eks_node_group!);
    expect(groups(during.stack)).toEqual(groups(before.stack));
    expect(groups(after.stack)).toEqual(groups(before.stack));
  });

  test('on a timeline: the block-start action scales to the size the plan has when the block opens', () => {
    const before = synthAt(AWS, '2027-01-02', 'trn2');
    const during = synthAt(AWS, '2027-01-10', 'trn2');
    expect([before.r.status, during.r.status]).toEqual([0, 0]);
    expect(before.scaling).toEqual({ min_size: 0, max_size: 16, desired_size: 0 });
    expect(during.scaling).toEqual({ min_size: 0, max_size: 16, desired_size: 16 });
    expect(before.schedules).toEqual([
      ['trn2-1-block-end', '2027-01-18T10:30:00Z', 0, 16],
      ['trn2-1-block-start', '2027-01-04T11:30:00Z', 16, 16],
    ]);
    expect(during.schedules).toEqual([['trn2-1-block-end', '2027-01-18T10:30:00Z', 0, 16]]);
  });
});
