/** The constructs composed in code (GpuCluster options, addPool, NetworkFabric.fromExisting). */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { buildStacks, GpuCluster, NetworkFabric } from '../constructs';
import { TerraformStack, Testing } from '../constructs/cdk';
import { check, ROOT, tempDir } from './helpers';
import { TERRAFORM, terraformEnv, terraformSkipReason } from './terraform-tool';

const compose = (instances: number, withPool = true) => {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'training');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  const network = NetworkFabric.fromExisting(stack, 'net', {
    vpcId: 'vpc-0a1b2c3d4e5f60718',
    vpcCidr: '10.80.0.0/16',
    availabilityZone: 'us-east-1a',
    nodeSubnetIds: ['subnet-1'],
    controlPlaneSubnetIds: ['subnet-2', 'subnet-3'],
    nodeSecurityGroupIds: ['sg-1', 'sg-2'],
  });
  const cluster = new GpuCluster(stack, 'cluster', {
    name: 'training',
    region: 'us-east-1',
    kubernetesVersion: '1.33',
    network,
    quotas: { P: 6144 },
  });
  const pool = withPool
    ? cluster.addPool('h100', { instanceType: 'p5.48xlarge', instances, capacity: { type: 'on-demand' } })
    : undefined;
  return { app, stack, cluster, pool };
};
const errors = (stack: TerraformStack) =>
  stack.node
    .findAll()
    .flatMap((c) => c.node.validate())
    .sort();

test('a composed cluster exposes its attributes and its pools follow it', () => {
  const { stack, cluster, pool } = compose(16);
  expect(errors(stack)).toEqual([]);
  expect(cluster.kubernetesVersion).toBe('1.33');
  expect(pool!.nodeGroups).toHaveLength(1);
  const tf = JSON.parse(Testing.synth(stack));
  const group = Object.values(tf.resource.aws_eks_node_group as Record<string, Record<string, unknown>>).find(
    (g) => g.node_group_name === 'h100-1',
  )!;
  expect(group).toMatchObject({ subnet_ids: ['subnet-1'], version: '1.33' });
  const template = Object.values(
    tf.resource.aws_launch_template as Record<string, { network_interfaces?: unknown[] }>,
  ).flatMap((t) => t.network_interfaces ?? []);
  // p5.48xlarge: the primary interface and one EFA-only interface per each of its 32 network cards, all
  // in every node security group, the EFA group first.
  expect(template).toHaveLength(33);
  expect(template[0]).toMatchObject({ security_groups: ['sg-1', 'sg-2'] });
});

test('every rule runs on the composed plan: one pool over the quota fails with its rule id', () => {
  const { stack } = compose(48);
  const found = errors(stack);
  expect(found).toHaveLength(1);
  expect(found[0]).toMatch(/^\[GW-CAP-QUOTA\] quotas\.P: Site 'us-east-1': on-demand P instances need /);
});

test('a composed cluster without a pool fails with the schema rule, like a plan without pools', () => {
  const { stack } = compose(1, false);
  expect(errors(stack)).toEqual([expect.stringMatching(/^\[GW-SCHEMA\] pools/)]);
});

test('a cluster built from a plan takes its pools from the plan, not from addPool', () => {
  const plan = check(readFileSync(join(ROOT, 'examples/p5-efa.yaml'), 'utf8')).plan!;
  const [stack] = buildStacks(Testing.app(), plan);
  const cluster = stack.node.findAll().find((c): c is GpuCluster => c instanceof GpuCluster)!;
  expect(() => cluster.addPool('more', { instanceType: 'p5.48xlarge', instances: 1 })).toThrow(
    'was built from a plan: add pools to the plan',
  );
});

test('the AMI type follows the catalog CPU architecture: Grace (arm64) nodes get the ARM NVIDIA AMI', () => {
  const { stack, cluster } = compose(1, false);
  cluster.addPool('gb200', { instanceType: 'p6e-gb200.36xlarge', instances: 18 });
  cluster.addPool('neuron', { instanceType: 'trn2.48xlarge', instances: 1 });
  const tf = JSON.parse(Testing.synth(stack));
  const ami = Object.fromEntries(
    Object.values(tf.resource.aws_eks_node_group as Record<string, Record<string, unknown>>).map((g) => [
      g.node_group_name,
      g.ami_type,
    ]),
  );
  expect(ami).toEqual({
    system: 'AL2023_x86_64_STANDARD',
    'gb200-1': 'AL2023_ARM_64_NVIDIA',
    'neuron-1': 'AL2023_x86_64_NEURON',
  });
});

/** An EKS cluster the team already has, on its existing VPC, imported into a new stack. */
function existingCluster(
  stackId: string,
  o: { region: string; availabilityZone: string; vpcCidr: string } & Pick<
    Parameters<typeof GpuCluster.fromClusterAttributes>[2],
    'kubernetesVersion' | 'quotas' | 'reservations'
  >,
) {
  const stack = new TerraformStack(Testing.app(), stackId);
  new AwsProvider(stack, 'aws', { region: o.region });
  const network = NetworkFabric.fromExisting(stack, 'net', {
    vpcId: 'vpc-0a1b2c3d4e5f60718',
    vpcCidr: o.vpcCidr,
    availabilityZone: o.availabilityZone,
    nodeSubnetIds: ['subnet-0a1b2c3d4e5f60711'],
    controlPlaneSubnetIds: ['subnet-0a1b2c3d4e5f60712', 'subnet-0a1b2c3d4e5f60713'],
    nodeSecurityGroupIds: ['sg-0a1b2c3d4e5f60714'],
  });
  const cluster = GpuCluster.fromClusterAttributes(stack, 'platform', {
    clusterName: 'platform-prod',
    nodeRoleArn: 'arn:aws:iam::111122223333:role/platform-prod-node',
    kubernetesVersion: o.kubernetesVersion,
    region: o.region,
    network,
    quotas: o.quotas,
    ...(o.reservations ? { reservations: o.reservations } : {}),
  });
  return { stack, cluster };
}

describe('GpuCluster.fromClusterAttributes: pools on an EKS cluster the team already has', () => {
  const imported = (instances: number) => {
    const { stack, cluster } = existingCluster('existing', {
      region: 'us-east-1',
      availabilityZone: 'us-east-1a',
      vpcCidr: '10.80.0.0/16',
      kubernetesVersion: '1.32',
      quotas: { P: 6144 },
    });
    const pool = cluster.addPool('h100', {
      instanceType: 'p5.48xlarge',
      instances,
      capacity: { type: 'on-demand' },
      efa: true,
    });
    return { stack, cluster, pool };
  };
  const { stack, cluster, pool } = imported(16);
  const tf = JSON.parse(Testing.synth(stack));

  test('creates only the pools: node groups name the given cluster, node role and version', () => {
    expect(errors(stack)).toEqual([]);
    expect(cluster.clusterName).toBe('platform-prod');
    expect(Object.keys(tf.resource).sort()).toEqual([
      'aws_eks_node_group',
      'aws_launch_template',
      'aws_placement_group',
    ]);
    expect(pool.nodeGroups).toHaveLength(1);
    const [group] = Object.values(tf.resource.aws_eks_node_group as Record<string, Record<string, unknown>>);
    expect(group).toMatchObject({
      cluster_name: 'platform-prod',
      node_role_arn: 'arn:aws:iam::111122223333:role/platform-prod-node',
      version: '1.32',
      subnet_ids: ['subnet-0a1b2c3d4e5f60711'],
      node_group_name: 'h100-1',
    });
    // Nothing of the cluster is in this app, so the node group waits for nothing.
    expect(group.depends_on).toBeUndefined();
  });

  test('every rule runs on its pools at synth', () => {
    const found = errors(imported(48).stack);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^\[GW-CAP-QUOTA\] quotas\.P: Site 'us-east-1': on-demand P instances need /);
  });

  (terraformSkipReason ? test.skip : test)(
    'terraform validate accepts the stack',
    () => {
      const dir = tempDir('gigawatt-imported-');
      writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(tf));
      const env = terraformEnv();
      const tfRun = (args: string[]) => spawnSync(TERRAFORM!, args, { cwd: dir, env, encoding: 'utf8' });
      const init = tfRun(['init', '-backend=false', '-input=false', '-no-color']);
      expect(init.status === 0 ? '' : init.stderr).toBe('');
      const v = tfRun(['validate', '-json', '-no-color']);
      expect(JSON.parse(v.stdout)).toMatchObject({ valid: true, error_count: 0 });
    },
    120_000,
  );
});

describe('findings speak of the props and addPool calls, with the fix', () => {
  // An existing cluster in us-east-2 (where trn2u Capacity Blocks are sold) with one UltraServer pool.
  const ultra = (instances: number, poolId = 'trn2-ultra') => {
    const { stack, cluster } = existingCluster('ultra', {
      region: 'us-east-2',
      availabilityZone: 'us-east-2b',
      vpcCidr: '10.64.0.0/16',
      kubernetesVersion: '1.33',
      quotas: { Trn: 3072 },
      // No `site`: a cluster's reservations are in its one site.
      reservations: [
        {
          id: 'cr-0abc1234def567890',
          type: 'capacity-block',
          instanceType: 'trn2u.48xlarge',
          instances: 16,
          availabilityZone: 'us-east-2b',
          start: '2027-01-04T11:30:00Z',
          end: '2027-01-18T11:30:00Z',
        },
      ],
    });
    cluster.addPool(poolId, {
      instanceType: 'trn2u.48xlarge',
      instances,
      capacity: { type: 'capacity-block', reservationId: 'cr-0abc1234def567890' },
    });
    return stack;
  };

  test("a reservation without a site is in the cluster's site: the UltraServer pool synthesizes", () => {
    const stack = ultra(16);
    expect(errors(stack)).toEqual([]);
    const tf = JSON.parse(Testing.synth(stack));
    expect(Object.values(tf.resource.aws_eks_node_group)).toEqual([
      expect.objectContaining({ capacity_type: 'CAPACITY_BLOCK', instance_types: ['trn2u.48xlarge'] }),
    ]);
  });

  test('an UltraServer pool of a part of an UltraServer names the addPool call, once, and the fix', () => {
    expect(errors(ultra(14))).toEqual([
      "[GW-CAP-ULTRASERVER] addPool('trn2-ultra').instances: Pool 'trn2-ultra': 14 × trn2u.48xlarge is not " +
        'a whole number of Trn2 UltraServers (4 instances each). Fix: Use a multiple of 4, e.g. 16.',
    ]);
  });

  test('warnings become cdktf warning annotations (printed by cdktf synth), once, and do not fail', () => {
    const stack = ultra(16);
    expect(errors(stack)).toEqual([]);
    errors(stack); // cdktf may validate more than once
    const warnings = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data as string));
    expect(warnings).toEqual([
      expect.stringMatching(
        /^\[GW-CAP-NEURON-DEVICES\] addPool\('trn2-ultra'\)[^:]*: Pool 'trn2-ultra' \(trn2u\.48xlarge\) is an UltraServer pool: .* Fix: Install the Neuron device plugin /,
      ),
    ]);
  });

  test('a schema finding names its prop once, not its plan path twice', () => {
    const [found, ...rest] = errors(ultra(16, 'Trn2_Ultra'));
    expect(rest).toEqual([]);
    expect(found).toBe(
      "[GW-SCHEMA] addPool('Trn2_Ultra').name: found 'Trn2_Ultra', which is not allowed here. " +
        'Fix: Lower-case DNS label (1-40 characters: a-z, 0-9, -). Names become Terraform addresses and ' +
        'Kubernetes object names, so renaming one replaces infrastructure.',
    );
  });
});
