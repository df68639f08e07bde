/**
 * Proof by deployment (issue 12): the Terraform that `gigawatt synth` writes is applied to moto, a local AWS
 * emulator, re-planned without changes and destroyed to an empty state — for examples/p5-efa.yaml and for a
 * plan with two fabrics in one AWS site (the second fabric's vpcCidr is a secondary CIDR block of the site's
 * one VPC).
 *
 * The CLI's output is never touched: each stack directory is copied, and only the copy gets the moto
 * provider override, a cleaned cdk.tf.json without the resource types moto cannot emulate (NOT_EMULATED in
 * test/moto.ts, with the reason for each) and lifecycle.ignore_changes for the few attributes moto
 * misreports after apply (MISREPORTED). Everything else must apply, read back exactly as synthesized, and destroy in
 * dependency order. What this cannot prove: capacity, EFA, real EKS behaviour (nodes joining, add-ons).
 *
 * Skipped, with the reason, only where terraform, the hashicorp/aws provider mirror or moto_server is
 * missing. Out of the unit loop (jest.unit.config.js: it starts moto_server).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DescribeNatGatewaysCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import ipaddr from 'ipaddr.js';
import { BEFORE_BLOCKS, ROOT, runCli, tempDir } from './helpers';
import {
  copyForMoto,
  expectOrder,
  motoSkipReason as skipReason,
  readState,
  sha256s,
  startMoto,
  terraformAt,
  type Moto,
  type Stack,
  type StateResource,
} from './moto';

if (skipReason) console.log(`SKIPPED: apply, re-plan and destroy against moto: ${skipReason}`);

const TWO_FABRICS = `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: two-fabrics }
sites:
  - { name: east, provider: aws, region: us-east-2, quotas: { P: 1000 } }
fabrics:
  - { name: east-a, site: east, vpcCidr: 10.1.0.0/16, availabilityZone: us-east-2a }
  - { name: east-b, site: east, vpcCidr: 10.2.0.0/16, availabilityZone: us-east-2b }
pools:
  - { name: a, site: east, fabric: east-a, instanceType: p5.48xlarge, instances: 2, capacity: { type: on-demand }, efa: true }
  - { name: b, site: east, fabric: east-b, instanceType: p5.48xlarge, instances: 2, capacity: { type: on-demand }, efa: true }
kubernetes:
  version: '1.33'
  admins: ['arn:aws:iam::123456789012:role/platform-admin']
`;

/**
 * examples/fleet-100k.yaml's ohio site alone, h200-ohio cut from 1,536 to 450 instances (one node group):
 * the secondary-block check wants exactly one node group on the second fabric; everything else as in the
 * example (Capacity Block trn2u pool, trn3p split over two node groups, EFA off).
 */
const FLEET_100K_OHIO = `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: fleet-100k-ohio }
schedule: { start: '2027-01-04T11:30:00Z', end: '2027-01-18T11:30:00Z' }
sites:
  - { name: ohio, provider: aws, region: us-east-2, quotas: { P: 400000, Trn: 400000 } }
fabrics:
  - { name: ohio-trn, site: ohio, vpcCidr: 10.10.0.0/16, availabilityZone: us-east-2b, maxPodsPerNode: 16 }
  - { name: ohio-gpu, site: ohio, vpcCidr: 10.11.0.0/16, availabilityZone: us-east-2a, maxPodsPerNode: 16 }
reservations:
  - id: cr-0a1b2c3d4e5f60002
    site: ohio
    type: capacity-block
    instanceType: trn2u.48xlarge
    instances: 128
    availabilityZone: us-east-2b
    start: 2027-01-04T11:30:00Z
    end: 2027-01-18T11:30:00Z
pools:
  - name: trn2-ultra
    site: ohio
    fabric: ohio-trn
    instanceType: trn2u.48xlarge
    instances: 128
    capacity: { type: capacity-block, reservationId: cr-0a1b2c3d4e5f60002 }
  - { name: trn3-gen2, site: ohio, fabric: ohio-trn, instanceType: trn3p.48xlarge, instances: 720 }
  - { name: h200-ohio, site: ohio, fabric: ohio-gpu, instanceType: p5en.48xlarge, instances: 450 }
kubernetes:
  version: '1.34'
  endpoint: private
`;

interface Case {
  title: string;
  /** A plan file under ROOT, or plan text written to a temp file. */
  plan: { file: string } | { text: string };
  planName: string;
  stack: string;
  /** The fabric whose vpcCidr is a secondary block of the site's VPC, and the node group on it. */
  secondary?: { fabric: string; cidr: string; nodeGroup: string };
  /** Every stack the synth writes (default: only `stack`); on-prem sites write an empty one. */
  stacks?: string[];
  /** The diagnostics (severity and rule id) the CLI prints on stderr for this plan; default none. */
  diagnostics?: string[];
}
const CASES: Case[] = [
  {
    title: 'examples/p5-efa.yaml',
    plan: { file: 'examples/p5-efa.yaml' },
    planName: 'h100-efa',
    stack: 'virginia',
  },
  {
    title: 'two fabrics in one AWS site',
    plan: { text: TWO_FABRICS },
    planName: 'two-fabrics',
    stack: 'east',
    secondary: { fabric: 'east-b', cidr: '10.2.0.0/16', nodeGroup: 'b-1' },
  },
  {
    // A Capacity Block pool of trn2u UltraServers: scheduled actions on the node group's ASG, a launch
    // template targeting the reservation.
    title: 'examples/trn2-ultraserver-capacity-block.yaml',
    plan: { file: 'examples/trn2-ultraserver-capacity-block.yaml' },
    planName: 'trn2-ultra',
    stack: 'ohio',
    diagnostics: ['warning GW-CAP-NEURON-DEVICES'],
  },
  {
    // The default plan: the same Capacity Block shape at 64 instances; abilene is on-prem (empty stack).
    title: 'examples/frontier.yaml, site ohio',
    plan: { file: 'examples/frontier.yaml' },
    planName: 'frontier',
    stack: 'ohio',
    stacks: ['abilene', 'ohio'],
    diagnostics: [
      'info GW-PWR-AIR-DENSITY',
      'warning GW-PWR-ESTIMATE',
      'warning GW-CAP-NEURON-DEVICES',
      'info GW-PWR-ESTIMATE',
    ],
  },
  // fleet-10k has two AWS sites, each its own stack: one case per stack. Ohio mixes a Capacity Block pool
  // with an on-demand pool in a cluster placement group on one fabric; Virginia runs p6-b200.
  ...['ohio', 'virginia'].map((stack) => ({
    title: `examples/fleet-10k.yaml, site ${stack}`,
    plan: { file: 'examples/fleet-10k.yaml' },
    planName: 'fleet-10k',
    stack,
    stacks: ['odessa', 'ohio', 'virginia'],
    diagnostics: [
      'info GW-PWR-AIR-DENSITY',
      'warning GW-PWR-ESTIMATE',
      'warning GW-CAP-NEURON-DEVICES',
      'info GW-PWR-ESTIMATE',
      'info GW-PWR-ESTIMATE',
    ],
  })),
  {
    // A site with no secondary block: p6-b300 in us-west-2, 1,024 instances over three node groups.
    title: 'examples/fleet-100k.yaml, site oregon',
    plan: { file: 'examples/fleet-100k.yaml' },
    planName: 'fleet-100k',
    stack: 'oregon',
    stacks: ['abilene', 'ohio', 'oregon', 'pecos', 'virginia'],
    diagnostics: [
      'info GW-PWR-AIR-DENSITY',
      'warning GW-PWR-ESTIMATE',
      'warning GW-PWR-ESTIMATE',
      'warning GW-CAP-NEURON-DEVICES',
      'warning GW-CAP-NEURON-DEVICES',
      'warning GW-CAP-REGION',
      'warning GW-NET-EFA',
      'info GW-PWR-ESTIMATE',
    ],
  },
  {
    title: 'examples/fleet-100k.yaml, site ohio reduced (FLEET_100K_OHIO)',
    plan: { text: FLEET_100K_OHIO },
    planName: 'fleet-100k-ohio',
    stack: 'ohio',
    secondary: { fabric: 'ohio-gpu', cidr: '10.11.0.0/16', nodeGroup: 'h200-ohio-1' },
    diagnostics: [
      'warning GW-CAP-NEURON-DEVICES',
      'warning GW-CAP-NEURON-DEVICES',
      'warning GW-CAP-REGION',
      'warning GW-NET-EFA',
    ],
  },
];

(skipReason ? describe.skip : describe)('apply, re-plan and destroy against moto', () => {
  let motoServer: Moto | undefined;
  let endpoint = '';
  const terraform = (dir: string, args: string[], extraEnv: Record<string, string> = {}) =>
    terraformAt(motoServer!, dir, args, extraEnv);
  beforeAll(async () => {
    motoServer = await startMoto();
    endpoint = motoServer.endpoint;
  }, 60000);

  afterAll(async () => {
    await motoServer?.stop();
  });

  describe.each(CASES)('$title', ({ plan, planName, stack, secondary, stacks, diagnostics }) => {
    let base = '';
    let out = '';
    let copyRoot = '';
    let dir = '';
    beforeAll(() => {
      base = tempDir('gigawatt-moto-synth-');
      out = join(base, 'out');
      // The copy keeps the output's layout, so the synthesized relative state path resolves inside it.
      copyRoot = tempDir('gigawatt-moto-apply-');
      dir = join(copyRoot, 'out', 'terraform', 'stacks', stack);
    });
    let written: Record<string, string> = {};
    let cleaned: Stack;
    let region = '';
    let state: StateResource[] = [];
    // One client per question, destroyed after it (no keep-alive socket outlives the test).
    const ec2 = async <T>(ask: (client: EC2Client) => Promise<T>): Promise<T> => {
      const client = new EC2Client({
        endpoint,
        region,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        maxAttempts: 1,
      });
      try {
        return await ask(client);
      } finally {
        client.destroy();
      }
    };
    const tagged = [{ Name: 'tag:gigawatt.dev/plan', Values: [planName] }];

    test('gigawatt synth writes the stack; only a copy gets the moto override, the output stays byte-identical', () => {
      let file: string;
      if ('file' in plan) file = join(ROOT, plan.file);
      else writeFileSync((file = join(base, 'plan.yaml')), plan.text);
      const r = runCli(['synth', file, '--at', BEFORE_BLOCKS, '--out', out]);
      if (diagnostics) {
        const printed = [...r.stderr.matchAll(/^\S+:\d+:\d+ +(\w+) +(GW-[A-Z0-9-]+) /gm)].map(
          (m) => `${m[1]} ${m[2]}`,
        );
        expect({ status: r.status, printed }).toEqual({ status: 0, printed: diagnostics });
      } else expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
      written = sha256s(out);
      expect(Object.keys(written)).toContain(`terraform/stacks/${stack}/cdk.tf.json`);
      expect(readdirSync(join(out, 'terraform/stacks'))).toEqual(stacks ?? [stack]);

      const { cleaned: c, stripped } = copyForMoto(join(out, 'terraform/stacks', stack), dir, endpoint);
      cleaned = c;
      region = cleaned.provider.aws[0].region;
      console.log(
        `${planName}: not exercised on moto (stripped from the copy):\n` +
          stripped.map((s) => `  ${s.address}: ${s.why}`).join('\n'),
      );
      expect(sha256s(out)).toEqual(written);
    });

    test('terraform apply creates the cluster, its node groups on the synthesized subnets, one VPC and the NAT gateway', async () => {
      const init = terraform(dir, ['init', '-input=false']);
      expect({ status: init.status, stderr: init.stderr }).toEqual({ status: 0, stderr: '' });
      const apply = terraform(dir, ['apply', '-auto-approve', '-input=false']);
      if (apply.status !== 0) throw new Error(`terraform apply failed:\n${apply.out.slice(-8000)}`);
      const count = Object.values(cleaned.resource).reduce((n, blocks) => n + Object.keys(blocks).length, 0);
      expect(apply.stdout).toContain(`Apply complete! Resources: ${count} added, 0 changed, 0 destroyed.`);
      // The synthesized local backend path resolves beside the output (here: beside the copy).
      const statePath = join(copyRoot, 'gigawatt.state', planName, `${stack}.tfstate`);
      expect(existsSync(statePath)).toBe(true);
      state = readState(statePath);
      expect(state).toHaveLength(count);
      // Created after what they need (issue 12): the cluster after its role's policy, node groups after
      // the node role's policies.
      expectOrder(
        apply.stdout,
        /^aws_iam_role_policy_attachment\.cluster_cluster-policy/,
        /^aws_eks_cluster\./,
        'Creation complete',
        'Creating',
      );
      expectOrder(
        apply.stdout,
        /^aws_iam_role_policy_attachment\.cluster_node-/,
        /^aws_eks_node_group\./,
        'Creation complete',
        'Creating',
      );
      if (secondary)
        expectOrder(
          apply.stdout,
          /^aws_vpc_ipv4_cidr_block_association\./,
          new RegExp(`^aws_subnet\\.fabric-${secondary.fabric}_`),
          'Creation complete',
          'Creating',
        );

      const of = (type: string) => state.filter((r) => r.type === type);
      const byAddress = new Map(state.map((r) => [r.address, r]));
      // `${aws_subnet.X.id}` in the synthesized JSON → the id moto gave that subnet.
      const resolve = (ref: unknown): unknown => {
        const m = /^\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/.exec(String(ref));
        if (!m) return ref;
        const target = byAddress.get(m[1]!);
        if (!target) throw new Error(`${String(ref)}: not in the state`);
        return target.values[m[2]!];
      };

      const [cluster, ...moreClusters] = of('aws_eks_cluster');
      expect(moreClusters).toEqual([]);
      const clusterConfig = Object.values(cleaned.resource.aws_eks_cluster!)[0]!;
      const vpcConfig = clusterConfig.vpc_config as { subnet_ids: string[] };
      expect(cluster!.values).toMatchObject({ name: clusterConfig.name, version: clusterConfig.version });
      const clusterVpc = (cluster!.values.vpc_config as { subnet_ids: string[] }[])[0]!;
      expect([...clusterVpc.subnet_ids].sort()).toEqual(vpcConfig.subnet_ids.map(resolve).sort());

      const groups = Object.entries(cleaned.resource.aws_eks_node_group!);
      expect(groups.length).toBeGreaterThanOrEqual(2); // the system node group and at least one pool
      for (const [name, config] of groups) {
        const applied = byAddress.get(`aws_eks_node_group.${name}`)!;
        expect(applied.values).toMatchObject({
          cluster_name: clusterConfig.name,
          node_group_name: config.node_group_name,
          status: 'ACTIVE',
        });
        const subnets = (config.subnet_ids as string[]).map(resolve) as string[];
        expect(subnets.every((s) => /^subnet-/.test(s))).toBe(true);
        expect([...(applied.values.subnet_ids as string[])].sort()).toEqual([...subnets].sort());
      }

      const [vpc, ...moreVpcs] = of('aws_vpc');
      expect(moreVpcs).toEqual([]);
      for (const subnet of of('aws_subnet')) expect(subnet.values.vpc_id).toBe(vpc!.values.id);
      const described = await ec2((c) =>
        c.send(new DescribeVpcsCommand({ VpcIds: [vpc!.values.id as string] })),
      );
      const blocks = (described.Vpcs?.[0]?.CidrBlockAssociationSet ?? []).map((b) => [
        b.CidrBlock,
        b.CidrBlockState?.State,
      ]);
      const associations = of('aws_vpc_ipv4_cidr_block_association');
      if (secondary) {
        const [association, ...more] = associations;
        expect(more).toEqual([]);
        expect(association!.values).toMatchObject({ vpc_id: vpc!.values.id, cidr_block: secondary.cidr });
        expect(blocks).toContainEqual([secondary.cidr, 'associated']);
        // The second fabric's pool runs in the secondary block, on its own node subnet.
        const nodes = of('aws_subnet').find((s) => s.name.startsWith(`fabric-${secondary.fabric}_nodes`))!;
        const [net, bits] = ipaddr.parseCIDR(String(nodes.values.cidr_block));
        expect(net.match(ipaddr.parseCIDR(secondary.cidr))).toBe(true);
        expect(bits).toBeGreaterThanOrEqual(16);
        const onIt = groups.filter(([name]) =>
          (byAddress.get(`aws_eks_node_group.${name}`)!.values.subnet_ids as string[]).includes(
            nodes.values.id as string,
          ),
        );
        expect(onIt.map(([, g]) => g.node_group_name)).toEqual([secondary.nodeGroup]);
      } else {
        expect(associations).toEqual([]);
        expect(blocks).toEqual([[vpc!.values.cidr_block, 'associated']]);
      }

      const [nat, ...moreNats] = of('aws_nat_gateway');
      expect(moreNats).toEqual([]);
      const [eip] = of('aws_eip');
      const publicSubnet = of('aws_subnet').find((s) => /_public_/.test(s.name))!;
      expect(nat!.values).toMatchObject({ subnet_id: publicSubnet.values.id, allocation_id: eip!.values.id });
      const natRoute = of('aws_route').find((r) => r.values.nat_gateway_id === nat!.values.id)!;
      expect(natRoute.values.destination_cidr_block).toBe('0.0.0.0/0');
      const gateways = await ec2((c) =>
        c.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [nat!.values.id as string] })),
      );
      expect(gateways.NatGateways?.map((g) => g.State)).toEqual(['available']);
    }, 300000);

    test('terraform plan -detailed-exitcode after apply shows no changes', () => {
      expect(state.length).toBeGreaterThan(0);
      const replan = terraform(dir, ['plan', '-detailed-exitcode', '-input=false']);
      if (replan.status !== 0)
        throw new Error(
          `re-plan after apply is not empty (exit ${replan.status}):\n${replan.out.slice(-12000)}`,
        );
      expect(replan.stdout).toContain('No changes.');
    }, 240000);

    test('terraform destroy leaves nothing, in dependency order, and the CLI output is unchanged', async () => {
      expect(state.length).toBeGreaterThan(0);
      const debugLog = join(copyRoot, 'destroy-provider.log');
      // The state was refreshed by the re-plan: destroy need not read everything again.
      const destroy = terraform(dir, ['destroy', '-auto-approve', '-input=false', '-refresh=false'], {
        TF_LOG_PROVIDER: 'DEBUG',
        TF_LOG_PATH: debugLog,
      });
      if (destroy.status !== 0) throw new Error(`terraform destroy failed:\n${destroy.out.slice(-8000)}`);
      expect(destroy.out).not.toMatch(/Error:/);
      expect(destroy.stdout).toContain(`Destroy complete! Resources: ${state.length} destroyed.`);
      // The provider retries DependencyViolation answers silently (deleting a subnet, security group or VPC
      // still in use): its debug log, which records every response body, must show none.
      const providerLog = readFileSync(debugLog, 'utf8');
      expect(providerLog).toContain('HTTP Response Received');
      expect(providerLog.match(/DependencyViolation.{0,200}/g) ?? []).toEqual([]);

      // What must go before what (issue 12): node groups before the node role loses its policies, the
      // cluster before its role loses its policy, the NAT gateway before the internet gateway.
      const order = (first: RegExp, then: RegExp) =>
        expectOrder(destroy.stdout, first, then, 'Destruction complete', 'Destroying');
      order(/^aws_eks_node_group\./, /^aws_iam_role_policy_attachment\.cluster_node-/);
      order(/^aws_eks_cluster\./, /^aws_iam_role_policy_attachment\.cluster_cluster-policy/);
      order(/^aws_eks_node_group\./, /^aws_eks_cluster\./);
      order(/^aws_nat_gateway\./, /^aws_internet_gateway\./);
      if (secondary)
        order(
          new RegExp(`^aws_subnet\\.fabric-${secondary.fabric}_`),
          /^aws_vpc_ipv4_cidr_block_association\./,
        );

      // Nothing is left in the state, ...
      expect(readState(join(copyRoot, 'gigawatt.state', planName, `${stack}.tfstate`))).toEqual([]);
      // ... nor at the emulator.
      const left = await ec2(async (c) => ({
        vpcs: (await c.send(new DescribeVpcsCommand({ Filters: tagged }))).Vpcs,
        subnets: (await c.send(new DescribeSubnetsCommand({ Filters: tagged }))).Subnets,
        nats: (await c.send(new DescribeNatGatewaysCommand({ Filter: tagged }))).NatGateways?.filter(
          (g) => g.State !== 'deleted',
        ),
      }));
      expect(left).toEqual({ vpcs: [], subnets: [], nats: [] });

      expect(sha256s(out)).toEqual(written);
      expect(existsSync(join(base, 'gigawatt.state'))).toBe(false);
    }, 240000);
  });
});
