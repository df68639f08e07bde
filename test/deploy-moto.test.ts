/**
 * Proof by deployment (issue 12): the Terraform that `gigawatt synth` writes is applied to moto, a local AWS
 * emulator, re-planned without changes and destroyed to an empty state — for examples/p5-efa.yaml and for a
 * plan with two fabrics in one AWS site (the second fabric's vpcCidr is a secondary CIDR block of the site's
 * one VPC).
 *
 * The CLI's output is never touched: each stack directory is copied, and only the copy gets the moto
 * provider override, a cleaned cdk.tf.json without the resource types moto cannot emulate (NOT_EMULATED,
 * with the reason for each) and lifecycle.ignore_changes for the few attributes moto misreports after
 * apply (MISREPORTED). Everything else must apply, read back exactly as synthesized, and destroy in
 * dependency order. What this cannot prove: capacity, EFA, real EKS behaviour (nodes joining, add-ons).
 *
 * Skipped, with the reason, only where terraform, the hashicorp/aws provider mirror or moto_server is
 * missing. Out of the unit loop (jest.unit.config.js: it starts moto_server).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, cpSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  DescribeNatGatewaysCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import ipaddr from 'ipaddr.js';
import { ROOT, runCli, tempDir } from './helpers';
import { MIRROR, TERRAFORM, terraformSkipReason } from './terraform-tool';

const onPath = (bin: string): string | undefined =>
  (process.env.PATH ?? '')
    .split(':')
    .filter(Boolean)
    .map((d) => join(d, bin))
    .find((p) => existsSync(p));
const MOTO = onPath('moto_server');
const skipReason =
  terraformSkipReason ?? (!MOTO ? "no moto_server on PATH (pip install 'moto[server]')" : undefined);
if (skipReason) console.log(`SKIPPED: apply, re-plan and destroy against moto: ${skipReason}`);

/**
 * The AWS service (provider `endpoints` key) of every resource and data type the constructs can emit. The
 * override points exactly the services a stack uses at moto (plus sts, which the provider always calls);
 * a type missing here fails the test instead of reaching for real AWS.
 */
const SERVICE: Record<string, string> = {
  aws_availability_zones: 'ec2',
  aws_vpc: 'ec2',
  aws_vpc_ipv4_cidr_block_association: 'ec2',
  aws_subnet: 'ec2',
  aws_internet_gateway: 'ec2',
  aws_eip: 'ec2',
  aws_nat_gateway: 'ec2',
  aws_route_table: 'ec2',
  aws_route_table_association: 'ec2',
  aws_route: 'ec2',
  aws_security_group: 'ec2',
  aws_vpc_security_group_ingress_rule: 'ec2',
  aws_vpc_security_group_egress_rule: 'ec2',
  aws_vpc_endpoint: 'ec2',
  aws_launch_template: 'ec2',
  aws_placement_group: 'ec2',
  aws_ec2_transit_gateway_vpc_attachment: 'ec2',
  aws_vpn_gateway_attachment: 'ec2',
  aws_eks_cluster: 'eks',
  aws_eks_node_group: 'eks',
  aws_eks_addon: 'eks',
  aws_eks_access_entry: 'eks',
  aws_eks_access_policy_association: 'eks',
  aws_iam_role: 'iam',
  aws_iam_role_policy_attachment: 'iam',
  aws_kms_key: 'kms',
  aws_autoscaling_schedule: 'autoscaling',
};

/**
 * Resource types moto 5.2.1 does not implement (found by applying, and by calling moto_server's routes: the
 * calls answer 404 or 500). They are removed from the copy; a `depends_on` on them is dropped and any other
 * reference to them is replaced by the literal it stands for, or fails the test (see stripUnemulated).
 */
const NOT_EMULATED: Record<string, string> = {
  aws_eks_addon: 'moto has no EKS add-on API: CreateAddon answers 404 (no route)',
  aws_eks_access_entry: 'moto has no EKS access-entry API: CreateAccessEntry answers 404 (no route)',
  aws_eks_access_policy_association:
    'moto has no EKS access-policy API: AssociateAccessPolicy answers 404 (no route)',
  aws_placement_group:
    'moto does not implement EC2 CreatePlacementGroup (answers 500); launch templates keep the group name as a literal',
};

/** Data sources moto does not implement, removed from the copy (nothing is left that reads them). */
const NOT_EMULATED_DATA: Record<string, string> = {
  aws_eks_addon_version: 'moto has no EKS DescribeAddonVersions (404); only the stripped add-ons read it',
};

/**
 * Attributes moto reads back differently from what it was given — moto's fault, not the output's, each
 * checked in moto 5.2.1's source; ignored on re-plan (lifecycle.ignore_changes in the copy's override).
 * Nothing else may differ.
 */
const MISREPORTED: Record<string, { ignore: string[]; when?: (r: Block) => boolean; why: string }> = {
  aws_eks_cluster: {
    ignore: ['access_config'],
    why: 'DescribeCluster returns no accessConfig: bootstrap_cluster_creator_admin_permissions would force a replacement',
  },
  aws_eks_node_group: {
    ignore: ['remote_access', 'update_config', 'node_repair_config'],
    why: 'DescribeNodegroup invents remoteAccess {ec2SshKey: eksKeypair} (forces a replacement) and returns no updateConfig or nodeRepairConfig',
  },
  aws_launch_template: {
    ignore: ['tag_specifications'],
    why: "CreateLaunchTemplate's own tags (resource type launch-template) come back as a tag specification of the template data",
  },
  aws_vpc_security_group_ingress_rule: {
    ignore: ['description'],
    when: (r) => r.referenced_security_group_id !== undefined || r.prefix_list_id !== undefined,
    why: 'moto keeps rule descriptions only on CIDR rules, not on rules that reference a security group or prefix list',
  },
  aws_vpc_security_group_egress_rule: {
    ignore: ['description'],
    when: (r) => r.referenced_security_group_id !== undefined || r.prefix_list_id !== undefined,
    why: 'moto keeps rule descriptions only on CIDR rules, not on rules that reference a security group or prefix list',
  },
};

type Block = Record<string, unknown>;
interface Stack {
  terraform: { backend?: { local?: { path: string } } };
  provider: { aws: [{ region: string }] };
  resource: Record<string, Record<string, Block>>;
  data?: Record<string, Record<string, Block>>;
  output?: Record<string, Block>;
}
interface StateResource {
  address: string;
  type: string;
  name: string;
  values: Record<string, unknown>;
}
/** The managed resources of a local state file (cdktf output has no count or for_each: one instance each). */
function readState(file: string): StateResource[] {
  const state = JSON.parse(readFileSync(file, 'utf8')) as {
    resources: {
      mode: string;
      type: string;
      name: string;
      instances: { attributes: Record<string, unknown> }[];
    }[];
  };
  return state.resources
    .filter((r) => r.mode === 'managed')
    .map((r) => {
      expect(r.instances).toHaveLength(1);
      return {
        address: `${r.type}.${r.name}`,
        type: r.type,
        name: r.name,
        values: r.instances[0]!.attributes,
      };
    });
}

/** `address: Creating...` / `Creation complete` (or Destroying / Destruction complete) lines, in order. */
function events(log: string): { address: string; event: string; line: number }[] {
  return log.split('\n').flatMap((text, line) => {
    const m = /^(\S+): (Creating\.\.\.|Creation complete|Destroying\.\.\.|Destruction complete)/.exec(text);
    return m ? [{ address: m[1]!, event: m[2]!.replace('...', ''), line }] : [];
  });
}
/** Every resource matching `first` finished (`done`) before any matching `then` began (`start`). */
function expectOrder(log: string, first: RegExp, then: RegExp, done: string, start: string): void {
  const all = events(log);
  const lines = (address: RegExp, event: string) =>
    all.filter((e) => address.test(e.address) && e.event === event).map((e) => e.line);
  const finished = lines(first, done);
  const started = lines(then, start);
  const ok = finished.length > 0 && started.length > 0 && Math.max(...finished) < Math.min(...started);
  if (!ok)
    throw new Error(
      `expected every ${first} "${done}" before any ${then} "${start}":\n` +
        all
          .filter((e) => first.test(e.address) || then.test(e.address))
          .map((e) => `  ${e.line}: ${e.address} ${e.event}`)
          .join('\n'),
    );
}

/** Relative path → sha256 of every file under dir. */
function sha256s(dir: string, sub = ''): Record<string, string> {
  const sums: Record<string, string> = {};
  for (const e of readdirSync(join(dir, sub), { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  )) {
    const rel = join(sub, e.name);
    if (e.isDirectory()) Object.assign(sums, sha256s(dir, rel));
    else
      sums[rel] = createHash('sha256')
        .update(readFileSync(join(dir, rel)))
        .digest('hex');
  }
  return sums;
}

const REFERENCE = /\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)([^}]*)\}/g;

/** The stack without NOT_EMULATED types; the stripped addresses with the reason. */
function stripUnemulated(stack: Stack): { cleaned: Stack; stripped: { address: string; why: string }[] } {
  const gone = new Map<string, Block>();
  const resource: Stack['resource'] = {};
  for (const [type, blocks] of Object.entries(stack.resource)) {
    if (NOT_EMULATED[type]) for (const [name, b] of Object.entries(blocks)) gone.set(`${type}.${name}`, b);
    else resource[type] = blocks;
  }
  const data: Record<string, unknown> = {};
  for (const [type, blocks] of Object.entries((stack as { data?: Record<string, Block> }).data ?? {}))
    if (NOT_EMULATED_DATA[type]) for (const name of Object.keys(blocks)) gone.set(`data.${type}.${name}`, {});
    else data[type] = blocks;
  let text = JSON.stringify({ ...stack, resource, data }, (key, value) =>
    key === 'depends_on' ? (value as string[]).filter((d) => !gone.has(d)) : value,
  );
  text = text.replace(REFERENCE, (whole, type: string, name: string, attr: string, rest: string) => {
    const target = gone.get(`${type}.${name}`);
    if (!target) return whole;
    // The only reference into a stripped resource the constructs make: a launch template's
    // placement.group_name = the placement group's name, an argument known at synth time.
    if (rest === '' && typeof target[attr] === 'string') return target[attr] as string;
    throw new Error(
      `${whole}: a reference into a resource moto cannot emulate, with no literal to stand for it`,
    );
  });
  for (const address of gone.keys())
    if (text.includes(`${address}.`)) throw new Error(`${address} is still referenced after stripping`);
  const stripped = [...gone.keys()].map((address) => ({
    address,
    why: address.startsWith('data.')
      ? NOT_EMULATED_DATA[address.split('.')[1]!]!
      : NOT_EMULATED[address.split('.')[0]!]!,
  }));
  return { cleaned: JSON.parse(text) as Stack, stripped };
}

/** provider_override.tf.json: every service the stack uses, at moto. */
function providerOverride(stack: Stack, endpoint: string): object {
  const types = [...Object.keys(stack.resource), ...Object.keys(stack.data ?? {})];
  const unknown = types.filter((t) => !SERVICE[t]);
  if (unknown.length) throw new Error(`no AWS service known for ${unknown.join(', ')}: add it to SERVICE`);
  const services = [...new Set(['sts', ...types.map((t) => SERVICE[t]!)])].sort();
  return {
    '//': 'Written by test/deploy-moto.test.ts into a copy of the stack: the AWS provider talks to moto.',
    provider: {
      aws: {
        access_key: 'test',
        secret_key: 'test',
        skip_credentials_validation: true,
        // moto answers GetCallerIdentity; true would make referenced_security_group_id read back as
        // `<account>/sg-…`, a permanent diff.
        skip_requesting_account_id: false,
        skip_metadata_api_check: true,
        s3_use_path_style: true,
        // The provider makes this the maximum number of attempts. The default (25) retries moto's 500 for
        // a call it does not implement for minutes; 1 (no retry at all) failed a re-plan here when a
        // keep-alive connection to moto closed mid-response ("use of closed network connection", which the
        // SDK retries). 3 attempts fail an unimplemented call within seconds and ride out the transport.
        max_retries: 3,
        endpoints: [Object.fromEntries(services.map((s) => [s, endpoint]))],
      },
    },
  };
}

/** moto_override.tf.json: lifecycle.ignore_changes for the MISREPORTED attributes only. */
function misreportOverride(stack: Stack): object {
  const resource: Record<string, Record<string, Block>> = {};
  for (const [type, { ignore, when, why }] of Object.entries(MISREPORTED))
    for (const [name, block] of Object.entries(stack.resource[type] ?? {}))
      if (!when || when(block))
        (resource[type] ??= {})[name] = { '//': `moto: ${why}`, lifecycle: { ignore_changes: ignore } };
  return { '//': 'Written by test/deploy-moto.test.ts: attributes moto misreports after apply.', resource };
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
const answers = (url: string): Promise<boolean> =>
  new Promise((resolve) => {
    const req = get(url, { timeout: 1000, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });

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
  let work = '';
  const terraform = (dir: string, args: string[], extraEnv: Record<string, string> = {}) => {
    const started = Date.now();
    const r = spawnSync(TERRAFORM!, [...args, '-no-color'], {
      cwd: dir,
      env: {
        ...process.env,
        TF_CLI_CONFIG_FILE: join(work, 'terraformrc'), // the offline provider mirror
        TF_IN_AUTOMATION: '1',
        CHECKPOINT_DISABLE: '1',
        ...extraEnv,
      },
      encoding: 'utf8',
      timeout: 240000,
      maxBuffer: 256 * 1024 * 1024,
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`terraform ${args[0]} in ${dir}: exit ${r.status} after ${seconds} s`);
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, out: `${r.stdout}\n${r.stderr}` };
  };

  let moto: ChildProcess | undefined;
  let motoExit: Promise<unknown> | undefined;
  let endpoint = '';
  beforeAll(async () => {
    work = tempDir('gigawatt-moto-');
    writeFileSync(
      join(work, 'terraformrc'),
      `provider_installation {\n  filesystem_mirror {\n    path = "${MIRROR}"\n  }\n}\n`,
    );
    const motoLog = join(work, 'moto.log');
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    const log = openSync(motoLog, 'a');
    moto = spawn(MOTO!, ['-H', '127.0.0.1', '-p', String(port)], {
      env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
      stdio: ['ignore', log, log],
      detached: true, // its own process group, stopped as a whole in afterAll
    });
    closeSync(log);
    motoExit = new Promise((resolve) => moto!.once('exit', resolve));
    let exited = false;
    void motoExit.then(() => (exited = true));
    const deadline = Date.now() + 30000;
    while (!(await answers(`${endpoint}/moto-api/`))) {
      if (exited) throw new Error(`moto_server exited before answering:\n${readFileSync(motoLog, 'utf8')}`);
      if (Date.now() > deadline) throw new Error(`moto_server did not answer on ${endpoint} within 30 s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 60000);

  afterAll(async () => {
    if (!moto?.pid || moto.exitCode !== null || moto.signalCode !== null) return;
    process.kill(-moto.pid, 'SIGTERM'); // the whole process group, by its id
    let timer: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([
      motoExit!.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 5000))),
    ]);
    clearTimeout(timer);
    if (!stopped) {
      process.kill(-moto.pid, 'SIGKILL');
      await motoExit;
    }
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
      const r = runCli(['synth', file, '--out', out]);
      if (diagnostics) {
        const printed = [...r.stderr.matchAll(/^\S+:\d+:\d+ +(\w+) +(GW-[A-Z0-9-]+) /gm)].map(
          (m) => `${m[1]} ${m[2]}`,
        );
        expect({ status: r.status, printed }).toEqual({ status: 0, printed: diagnostics });
      } else expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
      written = sha256s(out);
      expect(Object.keys(written)).toContain(`terraform/stacks/${stack}/cdk.tf.json`);
      expect(readdirSync(join(out, 'terraform/stacks'))).toEqual(stacks ?? [stack]);

      cpSync(join(out, 'terraform/stacks', stack), dir, { recursive: true });
      const synthesized = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) as Stack;
      const { cleaned: c, stripped } = stripUnemulated(synthesized);
      cleaned = c;
      region = cleaned.provider.aws[0].region;
      console.log(
        `${planName}: not exercised on moto (stripped from the copy):\n` +
          stripped.map((s) => `  ${s.address}: ${s.why}`).join('\n'),
      );
      writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(cleaned, null, 2));
      writeFileSync(
        join(dir, 'provider_override.tf.json'),
        JSON.stringify(providerOverride(cleaned, endpoint), null, 2),
      );
      writeFileSync(join(dir, 'moto_override.tf.json'), JSON.stringify(misreportOverride(cleaned), null, 2));
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
