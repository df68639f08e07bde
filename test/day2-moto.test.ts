/**
 * Day-2 changes applied to a deployed stack (issue 13): examples/p5-efa.yaml (plus a second fabric with a
 * small pool that can grow past one managed node group) is applied to moto once; then each change — scale
 * by one, Kubernetes version bump, a pool added, growth past a node group, a Capacity Block pool added and
 * its window shifted — is synthesized by the CLI into the same output directory, planned (`terraform plan
 * -out`, read with `terraform show -json`), its resource actions asserted and compared with what
 * `gigawatt diff` announced for the same two plans; the saved plan is applied in one step so the next
 * change starts from the new state. Then:
 * - changes to the arguments FORCE_NEW (terraform-diff.ts) lists as forcing a replacement are planned
 *   (never applied) and Terraform's own `replace_paths` are checked against the list, and `gigawatt diff`
 *   of the same two plans must name exactly the addresses Terraform replaces;
 * - other plans synthesized into the same parent directory (and into the same --out) leave the deployed
 *   plan's state alone: Terraform still finds it and plans no change;
 * - everything is destroyed.
 *
 * The copy that moto applies lives at <base>/moto/terraform/stacks/<stack>: the same depth as the output's
 * stack directory, so the synthesized relative state path names the very file the CLI's output names,
 * <base>/gigawatt.state/<plan>/<stack>.tfstate. moto runs through test/moto/eks_updates.py, which serves
 * the DescribeUpdate the provider polls after an in-place node-group update. Not applied, because moto
 * 5.2.1 implements neither UpdateClusterVersion nor UpdateNodegroupVersion: the Kubernetes version bump
 * (planned only).
 *
 * Skipped, with the reason, where terraform, the provider mirror or moto_server is missing. Out of the
 * unit loop (jest.unit.config.js: it starts moto_server).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BEFORE_BLOCKS, ROOT, runCli, tempDir } from './helpers';
import { FORCE_NEW } from '../pipeline/report/terraform-diff';
import {
  copyForMoto,
  motoSkipReason,
  NOT_EMULATED,
  PYTHON,
  readState,
  startMoto,
  terraformAt,
  type Moto,
  type Stack,
} from './moto';

const skipReason =
  motoSkipReason ?? (!PYTHON ? 'no python3 on PATH for test/moto/eks_updates.py' : undefined);
if (skipReason) console.log(`SKIPPED: day-2 changes against moto: ${skipReason}`);

const p5 = readFileSync(join(ROOT, 'examples', 'p5-efa.yaml'), 'utf8');

interface Shape {
  h100?: number;
  h100Type?: string;
  h100Capacity?: string;
  version?: string;
  /** A second p5 pool on the EFA fabric. */
  h100b?: boolean;
  /** The edge pool (trn1.2xlarge on a fabric of its own): instances and maxInstances. */
  edge?: [number, number];
  edgeCidr?: string;
  edgeZone?: string;
  efaZone?: string;
  /** A Capacity Block of 4 p5.48xlarge (start, end) and the pool h100-cb on it. */
  block?: [string, string];
}
/** examples/p5-efa.yaml with room in the quotas, a second fabric with the edge pool, and the changes. */
function planText(s: Shape = {}): string {
  const swap = (text: string, from: string, to: string) => {
    if (!text.includes(from)) throw new Error(`examples/p5-efa.yaml no longer contains ${from}`);
    return text.replace(from, to);
  };
  const [edgeNow, edgeMax] = s.edge ?? [2, 450];
  let t = swap(
    p5,
    'quotas: { P: 6144 }',
    'quotas: { P: 100000, Trn: 100000 }\n    spotQuotas: { P: 100000 }',
  );
  t = swap(
    t,
    'pools:\n',
    `  - { name: virginia-edge, site: virginia, vpcCidr: ${s.edgeCidr ?? '10.81.0.0/16'}, availabilityZone: ${s.edgeZone ?? 'us-east-1b'} }\npools:\n`,
  );
  t = swap(t, 'availabilityZone: us-east-1a', `availabilityZone: ${s.efaZone ?? 'us-east-1a'}`);
  t = swap(t, '    instances: 32\n', `    instances: ${s.h100 ?? 32}\n`);
  t = swap(t, 'instanceType: p5.48xlarge', `instanceType: ${s.h100Type ?? 'p5.48xlarge'}`);
  t = swap(t, 'capacity: { type: on-demand }', `capacity: { type: ${s.h100Capacity ?? 'on-demand'} }`);
  t = swap(t, "  version: '1.33'", `  version: '${s.version ?? '1.33'}'`);
  if (s.block)
    t = swap(
      t,
      'pools:\n',
      `reservations:\n  - { id: cr-0abc1234def567890, site: virginia, type: capacity-block, instanceType: p5.48xlarge, instances: 4, availabilityZone: ${s.efaZone ?? 'us-east-1a'}, start: '${s.block[0]}', end: '${s.block[1]}' }\npools:\n`,
    );
  const pools = [
    `  - { name: edge, site: virginia, fabric: virginia-edge, instanceType: trn1.2xlarge, instances: ${edgeNow}, maxInstances: ${edgeMax} }\n`,
    ...(s.h100b
      ? [
          '  - { name: h100b, site: virginia, fabric: virginia-efa, instanceType: p5.48xlarge, instances: 2, efa: true }\n',
        ]
      : []),
    ...(s.block
      ? [
          '  - { name: h100-cb, site: virginia, fabric: virginia-efa, instanceType: p5.48xlarge, instances: 4, efa: true, capacity: { type: capacity-block, reservationId: cr-0abc1234def567890 } }\n',
        ]
      : []),
  ];
  return swap(t, 'kubernetes:\n', `${pools.join('')}kubernetes:\n`);
}

interface Change {
  address: string;
  type: string;
  actions: string[];
  replacePaths: (string | number)[][];
}
type Planned = {
  resource_changes?: {
    address: string;
    type: string;
    mode: string;
    change: Change & { replace_paths?: (string | number)[][] };
  }[];
};

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
/** The changes to resources of a type whose name starts with prefix. */
const named = (changes: Change[], type: string, prefix: string) =>
  changes.filter((c) => c.type === type && c.address.startsWith(`${type}.${prefix}`));

(skipReason ? describe.skip : describe)('day-2 changes applied to a deployed stack on moto', () => {
  let moto: Moto | undefined;
  const base = tempDir('gigawatt-day2-');
  const out = join(base, 'out');
  const plans = join(base, 'plans');
  const copy = join(base, 'moto', 'terraform', 'stacks', 'virginia');
  const state = join(base, 'gigawatt.state', 'h100-efa', 'virginia.tfstate');
  let cleaned: Stack | undefined;
  let applied = '';
  const terraform = (args: string[]) => terraformAt(moto!, copy, args);

  /** Write the plan, synthesize it into `out` (the state file unchanged by it) and refresh the moto copy. */
  const synth = (name: string, shape: Shape): string => {
    mkdirSync(plans, { recursive: true });
    const file = join(plans, `${name}.yaml`);
    writeFileSync(file, planText(shape));
    const before = existsSync(state) ? sha(state) : undefined;
    const r = runCli(['synth', file, '--at', BEFORE_BLOCKS, '--out', out]);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    if (before) expect(sha(state)).toBe(before);
    const stackDir = join(out, 'terraform', 'stacks', 'virginia');
    const synthesized = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as Stack;
    // The output's stack and its moto copy name one state file.
    const path = synthesized.terraform.backend!.local!.path;
    expect(resolve(stackDir, path)).toBe(state);
    expect(resolve(copy, path)).toBe(state);
    ({ cleaned } = copyForMoto(stackDir, copy, moto!.endpoint));
    return file;
  };
  /** `terraform plan -out`, then the changed resources (no-op and reads left out) of its JSON. */
  const plan = (refresh = true): Change[] => {
    const p = terraform(['plan', '-input=false', '-out=tfplan', ...(refresh ? [] : ['-refresh=false'])]);
    if (p.status !== 0) throw new Error(`terraform plan failed:\n${p.out.slice(-8000)}`);
    const show = terraform(['show', '-json', 'tfplan']);
    expect(show.status).toBe(0);
    const json = JSON.parse(show.stdout) as Planned;
    return (json.resource_changes ?? [])
      .filter((c) => c.mode === 'managed' && !c.change.actions.every((a) => a === 'no-op'))
      .map((c) => ({
        address: c.address,
        type: c.type,
        actions: c.change.actions,
        replacePaths: c.change.replace_paths ?? [],
      }))
      .sort((a, b) => a.address.localeCompare(b.address));
  };
  const apply = (file: string) => {
    const a = terraform(['apply', '-input=false', 'tfplan']);
    if (a.status !== 0) throw new Error(`terraform apply of the saved plan failed:\n${a.out.slice(-8000)}`);
    applied = file;
    return a.stdout;
  };
  const actions = (changes: Change[]) => changes.map((c) => [c.address, c.actions.join('+')]);
  /** `gigawatt diff --format json` of the applied plan and head, on the resource types moto applies. */
  const gigawattDiff = (head: string) => {
    const r = runCli(['diff', applied, head, '--at', BEFORE_BLOCKS, '--fail-on', 'none', '--format', 'json']);
    expect(r.status).toBe(0);
    const tf = (
      JSON.parse(r.stdout) as { terraform: Record<string, string[]> & { recycles: { address: string }[] } }
    ).terraform;
    const local = (list: string[]) =>
      list.map((a) => a.replace(/^virginia:/, '')).filter((a) => !NOT_EMULATED[a.split('.')[0]!]);
    return {
      added: local(tf.added!),
      updated: local(tf.updated!),
      replaced: local(tf.replaced!),
      destroyed: local(tf.destroyed!),
      recycled: local(tf.recycles.map((x) => x.address)),
    };
  };
  /** What Terraform plans, in gigawatt diff's terms. */
  const announced = (changes: Change[]) => {
    const withActions = (want: string) =>
      changes.filter((c) => c.actions.join('+') === want).map((c) => c.address);
    return {
      added: withActions('create'),
      updated: withActions('update'),
      replaced: changes
        .filter((c) => c.actions.includes('delete') && c.actions.includes('create'))
        .map((c) => c.address),
      destroyed: withActions('delete'),
    };
  };
  /** gigawatt diff announced exactly the actions Terraform plans. */
  const expectDiffAgrees = (head: string, changes: Change[]) => {
    const { added, updated, replaced, destroyed } = gigawattDiff(head);
    const ours = { added, updated, replaced, destroyed };
    const sorted = (o: Record<string, string[]>) =>
      Object.fromEntries(Object.entries(o).map(([k, v]) => [k, [...v].sort()]));
    expect(sorted(ours)).toEqual(sorted(announced(changes)));
  };

  beforeAll(async () => {
    moto = await startMoto({ eksUpdates: true });
  }, 60000);
  afterAll(async () => {
    await moto?.stop();
  });

  test('the base plan applies', () => {
    const file = synth('base', {});
    const init = terraform(['init', '-input=false']);
    expect({ status: init.status, stderr: init.stderr }).toEqual({ status: 0, stderr: '' });
    const changes = plan();
    const count = Object.values(cleaned!.resource).reduce((n, b) => n + Object.keys(b).length, 0);
    expect(changes.every((c) => c.actions.join() === 'create')).toBe(true);
    expect(changes).toHaveLength(count);
    let a = terraform(['apply', '-input=false', 'tfplan']);
    let created = 0;
    let tainted = 0;
    if (a.status !== 0) {
      // moto is not transactional and, on a loaded machine, now and then answers one call of the ~100 here
      // with an error (once in CI: exit 1 after 26 s; never on a re-run). The rest is then planned and
      // applied once more: a defect of the output fails the same way twice, and the re-plan must still be
      // creates only (or the replacement of a resource whose create failed, which Terraform taints), so
      // nothing applied the first time drifted.
      console.log(`first apply failed, re-planning the rest:\n${a.out.slice(-4000)}`);
      const rest = plan();
      expect(rest.filter((c) => !['create', 'delete,create'].includes(c.actions.join()))).toEqual([]);
      expect(rest.length).toBeLessThanOrEqual(count);
      created = count - rest.length;
      tainted = rest.filter((c) => c.actions.length === 2).length;
      a = terraform(['apply', '-input=false', 'tfplan']);
    }
    if (a.status !== 0) throw new Error(`terraform apply of the saved plan failed:\n${a.out.slice(-8000)}`);
    applied = file;
    expect(a.stdout).toContain(
      `Apply complete! Resources: ${count - created} added, 0 changed, ${tainted} destroyed.`,
    );
    expect(plan()).toEqual([]);
    expect(existsSync(state)).toBe(true);
  }, 300000);

  test('scaling h100 by one (32 → 33) updates its node group in place and nothing else', () => {
    expect(applied).not.toBe('');
    const file = synth('scale', { h100: 33 });
    const changes = plan();
    const [group] = named(changes, 'aws_eks_node_group', 'pool-h100_node-group-h100-1_');
    expect(actions(changes)).toEqual([[group!.address, 'update']]);
    expectDiffAgrees(file, changes);
    const out = apply(file);
    expect(out).toContain('Apply complete! Resources: 0 added, 1 changed, 0 destroyed.');
    // One apply: no launch template, so no new template version the node group would race.
    expect(out).not.toMatch(/aws_launch_template\.|aws_subnet\./);
    const after = readState(state).find((r) => r.address === group!.address)!;
    expect(after.values.scaling_config).toEqual([{ desired_size: 33, max_size: 33, min_size: 33 }]);
  }, 240000);

  test('a Kubernetes version bump updates the cluster and every node group in place (planned only)', () => {
    expect(applied).not.toBe('');
    const file = synth('k8s', { h100: 33, version: '1.34' });
    const changes = plan(false);
    // The system nodes, h100-1 and edge-1 follow the cluster's version; the add-ons are not on moto.
    const expected = [
      ...Object.keys(cleaned!.resource.aws_eks_cluster!).map((n) => `aws_eks_cluster.${n}`),
      ...Object.keys(cleaned!.resource.aws_eks_node_group!).map((n) => `aws_eks_node_group.${n}`),
    ].sort();
    expect(expected).toHaveLength(4);
    expect(actions(changes)).toEqual(expected.map((a) => [a, 'update']));
    expectDiffAgrees(file, changes);
  }, 240000);

  test('adding a pool to the site only creates', () => {
    expect(applied).not.toBe('');
    const file = synth('add-pool', { h100: 33, h100b: true });
    const changes = plan();
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.filter((c) => c.actions.join() !== 'create')).toEqual([]);
    expect(changes.every((c) => c.address.includes('h100b'))).toBe(true);
    expect(named(changes, 'aws_eks_node_group', 'pool-h100b_node-group-h100b-1_')).toHaveLength(1);
    expectDiffAgrees(file, changes);
    expect(apply(file)).toContain(
      `Apply complete! Resources: ${changes.length} added, 0 changed, 0 destroyed.`,
    );
  }, 240000);

  test('growing edge past one node group (450 → 451) adds edge-2 and never renames edge-1', () => {
    expect(applied).not.toBe('');
    const file = synth('grow', { h100: 33, h100b: true, edge: [451, 451] });
    const changes = plan();
    const [one] = named(changes, 'aws_eks_node_group', 'pool-edge_node-group-edge-1_');
    const [two] = named(changes, 'aws_eks_node_group', 'pool-edge_node-group-edge-2_');
    expect(actions(changes)).toEqual([
      [one!.address, 'update'],
      [two!.address, 'create'],
    ]);
    expectDiffAgrees(file, changes);
    expect(apply(file)).toContain('Apply complete! Resources: 1 added, 1 changed, 0 destroyed.');
  }, 240000);

  const block: [string, string] = ['2027-01-04T11:30:00Z', '2027-01-18T11:30:00Z'];
  test('a pool on a Capacity Block is created at size 0 with its two scheduled actions', () => {
    expect(applied).not.toBe('');
    const file = synth('block', { h100: 33, h100b: true, edge: [451, 451], block });
    const changes = plan();
    expect(changes.filter((c) => c.actions.join() !== 'create')).toEqual([]);
    expect(changes.every((c) => c.address.includes('h100-cb'))).toBe(true);
    expect(changes.filter((c) => c.type === 'aws_autoscaling_schedule')).toHaveLength(2);
    expectDiffAgrees(file, changes);
    expect(apply(file)).toContain(
      `Apply complete! Resources: ${changes.length} added, 0 changed, 0 destroyed.`,
    );
  }, 240000);

  test('shifting the Capacity Block window by a day updates its two schedules in place, nothing else', () => {
    expect(applied).not.toBe('');
    const shifted: [string, string] = ['2027-01-05T11:30:00Z', '2027-01-19T11:30:00Z'];
    const file = synth('block-shift', { h100: 33, h100b: true, edge: [451, 451], block: shifted });
    const changes = plan();
    expect(changes.map((c) => [c.type, c.actions.join('+')])).toEqual([
      ['aws_autoscaling_schedule', 'update'],
      ['aws_autoscaling_schedule', 'update'],
    ]);
    expectDiffAgrees(file, changes);
    expect(apply(file)).toContain('Apply complete! Resources: 0 added, 2 changed, 0 destroyed.');
  }, 240000);

  /**
   * Changes to arguments FORCE_NEW lists, from the grown state: Terraform's replace_paths name only
   * FORCE_NEW arguments, the changed one among them, and `gigawatt diff` replaces what Terraform replaces.
   */
  const PROBES: { title: string; shape: Shape; forced: [string, string, string][] }[] = [
    {
      title: 'the edge fabric moved to another vpcCidr (node subnet cidr_block)',
      shape: { edgeCidr: '10.82.0.0/16' },
      forced: [
        ['aws_subnet', 'fabric-virginia-edge_nodes_', 'cidr_block'],
        ['aws_eks_node_group', 'pool-edge_node-group-edge-1_', 'subnet_ids'],
      ],
    },
    {
      title: 'the edge fabric moved to another availability zone',
      shape: { edgeZone: 'us-east-1c' },
      forced: [
        ['aws_subnet', 'fabric-virginia-edge_nodes_', 'availability_zone'],
        ['aws_eks_node_group', 'pool-edge_node-group-edge-2_', 'subnet_ids'],
      ],
    },
    {
      title: 'the EFA fabric moved to another availability zone',
      shape: { efaZone: 'us-east-1b' },
      forced: [
        ['aws_subnet', 'fabric-virginia-efa_nodes_', 'availability_zone'],
        ['aws_eks_node_group', 'pool-h100_node-group-h100-1_', 'subnet_ids'],
      ],
    },
    {
      title: 'h100 on another instance type',
      shape: { h100Type: 'p5en.48xlarge' },
      forced: [['aws_eks_node_group', 'pool-h100_node-group-h100-1_', 'instance_types']],
    },
    {
      title: 'h100 on Spot instead of On-Demand',
      shape: { h100Capacity: 'spot' },
      forced: [['aws_eks_node_group', 'pool-h100_node-group-h100-1_', 'capacity_type']],
    },
  ];
  const grown: Shape = {
    h100: 33,
    h100b: true,
    edge: [451, 451],
    block: ['2027-01-05T11:30:00Z', '2027-01-19T11:30:00Z'],
  };
  test.each(PROBES)(
    'FORCE_NEW against Terraform: $title',
    ({ shape, forced }) => {
      expect(applied).not.toBe('');
      const head = synth('probe', { ...grown, ...shape });
      const changes = plan(false);
      const replaced = changes.filter((c) => c.actions.includes('delete') && c.actions.includes('create'));
      for (const [type, prefix, attribute] of forced) {
        const hits = named(replaced, type, prefix);
        expect(hits.map((c) => [c.type, c.replacePaths])).toEqual([
          [type, expect.arrayContaining([[attribute]])],
        ]);
      }
      // Every argument Terraform says forces a replacement is one FORCE_NEW lists for the type.
      const unlisted = replaced.flatMap((c) =>
        c.replacePaths
          .filter((path) => !(FORCE_NEW[c.type] ?? []).includes(String(path[0])))
          .map((path) => `${c.address}: ${path.join('.')}`),
      );
      expect(unlisted).toEqual([]);

      const ours = gigawattDiff(head);
      expect([...ours.replaced].sort()).toEqual(replaced.map((c) => c.address).sort());
      // …and updates in place what Terraform updates (endpoints on a replaced subnet, say).
      expect([...ours.updated].sort()).toEqual(announced(changes).updated.sort());
      // Each replaced node group or subnet is announced as recycling nodes.
      expect(
        replaced
          .filter((c) => c.type === 'aws_eks_node_group' || c.type === 'aws_subnet')
          .filter((c) => !ours.recycled.includes(c.address)),
      ).toEqual([]);
    },
    240000,
  );

  test('other plans synthesized beside it or into its --out leave its state alone', () => {
    expect(applied).not.toBe('');
    const before = sha(state);
    const other = readFileSync(join(ROOT, 'examples', 'trn2-ultraserver-capacity-block.yaml'), 'utf8');
    const otherFile = join(plans, 'other.yaml');
    writeFileSync(otherFile, other);
    for (const dir of [join(base, 'out-2'), out, join(tempDir('gigawatt-day2-other-'), 'out')]) {
      const r = runCli(['synth', otherFile, '--at', BEFORE_BLOCKS, '--out', dir]);
      expect({ dir, status: r.status }).toEqual({ dir, status: 0 });
    }
    // Synthesizing the other plan into `out` removed the virginia stack from it: the state is elsewhere.
    expect(existsSync(join(out, 'terraform', 'stacks', 'virginia'))).toBe(false);
    expect(sha(state)).toBe(before);
    // Back to the applied plan: Terraform finds its state and plans nothing.
    const applyingAgain = applied;
    const r = runCli(['synth', applyingAgain, '--at', BEFORE_BLOCKS, '--out', out]);
    expect(r.status).toBe(0);
    ({ cleaned } = copyForMoto(join(out, 'terraform', 'stacks', 'virginia'), copy, moto!.endpoint));
    const replan = terraform(['plan', '-detailed-exitcode', '-input=false']);
    if (replan.status !== 0)
      throw new Error(`re-plan is not empty (exit ${replan.status}):\n${replan.out.slice(-8000)}`);
    expect(replan.stdout).toContain('No changes.');
    expect(sha(state)).toBe(before);
  }, 240000);

  test('terraform destroy leaves an empty state', () => {
    expect(applied).not.toBe('');
    const count = Object.values(cleaned!.resource).reduce((n, b) => n + Object.keys(b).length, 0);
    // One at a time: concurrent RevokeSecurityGroup{In,E}gress calls on one group in moto once answered
    // InvalidPermission.NotFound for a rule that existed (a race in the emulator; 3 of 4 runs passed).
    const destroy = terraform([
      'destroy',
      '-auto-approve',
      '-input=false',
      '-refresh=false',
      '-parallelism=1',
    ]);
    if (destroy.status !== 0) throw new Error(`terraform destroy failed:\n${destroy.out.slice(-8000)}`);
    expect(destroy.stdout).toContain(`Destroy complete! Resources: ${count} destroyed.`);
    expect(readState(state)).toEqual([]);
  }, 240000);
});
