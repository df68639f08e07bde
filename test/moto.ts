/**
 * The moto harness of the deployment tests (test/deploy-moto.test.ts, test/day2-moto.test.ts): moto_server
 * on a free port, terraform with the offline provider mirror, and a copy of a synthesized stack that
 * applies to moto — the provider override, the resource types moto cannot emulate stripped (NOT_EMULATED,
 * with the reason for each) and lifecycle.ignore_changes for the few attributes moto misreports after
 * apply (MISREPORTED). The CLI's output is never touched: only the copy is changed.
 *
 * motoSkipReason says why the deployment tests cannot run here (no terraform, mirror or moto_server).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, cpSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './helpers';
import { MIRROR, TERRAFORM, terraformSkipReason } from './terraform-tool';

const onPath = (bin: string): string | undefined =>
  (process.env.PATH ?? '')
    .split(':')
    .filter(Boolean)
    .map((d) => join(d, bin))
    .find((p) => existsSync(p));
export const MOTO = onPath('moto_server');
/** The Python that runs test/moto/eks_updates.py (it imports moto). */
export const PYTHON = onPath('python3');
export const motoSkipReason =
  terraformSkipReason ?? (!MOTO ? "no moto_server on PATH (pip install 'moto[server]')" : undefined);

/**
 * The AWS service (provider `endpoints` key) of every resource and data type the constructs can emit. The
 * override points exactly the services a stack uses at moto (plus sts, which the provider always calls);
 * a type missing here fails the test instead of reaching for real AWS.
 */
export const SERVICE: Record<string, string> = {
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
export const NOT_EMULATED: Record<string, string> = {
  aws_eks_addon: 'moto has no EKS add-on API: CreateAddon answers 404 (no route)',
  aws_eks_access_entry: 'moto has no EKS access-entry API: CreateAccessEntry answers 404 (no route)',
  aws_eks_access_policy_association:
    'moto has no EKS access-policy API: AssociateAccessPolicy answers 404 (no route)',
  aws_placement_group:
    'moto does not implement EC2 CreatePlacementGroup (answers 500); launch templates keep the group name as a literal',
};

/** Data sources moto does not implement, removed from the copy (nothing is left that reads them). */
export const NOT_EMULATED_DATA: Record<string, string> = {
  aws_eks_addon_version: 'moto has no EKS DescribeAddonVersions (404); only the stripped add-ons read it',
};

/**
 * Attributes moto reads back differently from what it was given — moto's fault, not the output's, each
 * checked in moto 5.2.1's source; ignored on re-plan (lifecycle.ignore_changes in the copy's override).
 * Nothing else may differ.
 */
export const MISREPORTED: Record<string, { ignore: string[]; when?: (r: Block) => boolean; why: string }> = {
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

export type Block = Record<string, unknown>;
export interface Stack {
  terraform: { backend?: { local?: { path: string } } };
  provider: { aws: [{ region: string }] };
  resource: Record<string, Record<string, Block>>;
  data?: Record<string, Record<string, Block>>;
  output?: Record<string, Block>;
}
export interface StateResource {
  address: string;
  type: string;
  name: string;
  values: Record<string, unknown>;
}
/** The managed resources of a local state file (cdktf output has no count or for_each: one instance each). */
export function readState(file: string): StateResource[] {
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
export function events(log: string): { address: string; event: string; line: number }[] {
  return log.split('\n').flatMap((text, line) => {
    const m = /^(\S+): (Creating\.\.\.|Creation complete|Destroying\.\.\.|Destruction complete)/.exec(text);
    return m ? [{ address: m[1]!, event: m[2]!.replace('...', ''), line }] : [];
  });
}
/** Every resource matching `first` finished (`done`) before any matching `then` began (`start`). */
export function expectOrder(log: string, first: RegExp, then: RegExp, done: string, start: string): void {
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
export function sha256s(dir: string, sub = ''): Record<string, string> {
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

export const REFERENCE = /\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)([^}]*)\}/g;

/** The stack without NOT_EMULATED types; the stripped addresses with the reason. */
export function stripUnemulated(stack: Stack): {
  cleaned: Stack;
  stripped: { address: string; why: string }[];
} {
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
export function providerOverride(stack: Stack, endpoint: string): object {
  const types = [...Object.keys(stack.resource), ...Object.keys(stack.data ?? {})];
  const unknown = types.filter((t) => !SERVICE[t]);
  if (unknown.length) throw new Error(`no AWS service known for ${unknown.join(', ')}: add it to SERVICE`);
  const services = [...new Set(['sts', ...types.map((t) => SERVICE[t]!)])].sort();
  return {
    '//': 'Written by test/moto.ts into a copy of the stack: the AWS provider talks to moto.',
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
export function misreportOverride(stack: Stack): object {
  const resource: Record<string, Record<string, Block>> = {};
  for (const [type, { ignore, when, why }] of Object.entries(MISREPORTED))
    for (const [name, block] of Object.entries(stack.resource[type] ?? {}))
      if (!when || when(block))
        (resource[type] ??= {})[name] = { '//': `moto: ${why}`, lifecycle: { ignore_changes: ignore } };
  return { '//': 'Written by test/moto.ts: attributes moto misreports after apply.', resource };
}

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
export const answers = (url: string): Promise<boolean> =>
  new Promise((resolve) => {
    const req = get(url, { timeout: 1000, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });

/** A running moto_server: its endpoint, its scratch directory (log, terraformrc) and how to stop it. */
export interface Moto {
  readonly endpoint: string;
  readonly work: string;
  stop(): Promise<void>;
}

/**
 * moto_server with EKS DescribeUpdate (test/moto/eks_updates.py): the AWS provider polls it after every
 * in-place node-group update, and moto 5.2.1 keeps no record of the updates it applies.
 */
const EKS_UPDATES = join(__dirname, 'moto', 'eks_updates.py');

/**
 * Start moto_server on a free port and wait until it answers (30 s at most); with eksUpdates, through
 * test/moto/eks_updates.py, which answers DescribeUpdate for node-group updates.
 */
export async function startMoto(options: { eksUpdates?: boolean } = {}): Promise<Moto> {
  const work = tempDir('gigawatt-moto-');
  writeFileSync(
    join(work, 'terraformrc'),
    `provider_installation {\n  filesystem_mirror {\n    path = "${MIRROR}"\n  }\n}\n`,
  );
  const motoLog = join(work, 'moto.log');
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const log = openSync(motoLog, 'a');
  const args = ['-H', '127.0.0.1', '-p', String(port)];
  const [command, argv] = options.eksUpdates ? [PYTHON!, [EKS_UPDATES, ...args]] : [MOTO!, args];
  const moto: ChildProcess = spawn(command, argv, {
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
    stdio: ['ignore', log, log],
    detached: true, // its own process group, stopped as a whole by stop()
  });
  closeSync(log);
  const motoExit = new Promise((resolve) => moto.once('exit', resolve));
  let exited = false;
  void motoExit.then(() => (exited = true));
  const stop = async (): Promise<void> => {
    if (!moto.pid || moto.exitCode !== null || moto.signalCode !== null) return;
    process.kill(-moto.pid, 'SIGTERM'); // the whole process group, by its id
    let timer: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([
      motoExit.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 5000))),
    ]);
    clearTimeout(timer);
    if (!stopped) {
      process.kill(-moto.pid, 'SIGKILL');
      await motoExit;
    }
  };
  const deadline = Date.now() + 30000;
  while (!(await answers(`${endpoint}/moto-api/`))) {
    if (exited) throw new Error(`moto_server exited before answering:\n${readFileSync(motoLog, 'utf8')}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto_server did not answer on ${endpoint} within 30 s`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { endpoint, work, stop };
}

export interface TerraformRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly out: string;
}

/** Run terraform in dir with the offline provider mirror of moto's scratch directory; logs the time taken. */
export function terraformAt(
  moto: Pick<Moto, 'work'>,
  dir: string,
  args: string[],
  extraEnv: Record<string, string> = {},
): TerraformRun {
  const started = Date.now();
  const r = spawnSync(TERRAFORM!, [...args, '-no-color'], {
    cwd: dir,
    env: {
      ...process.env,
      TF_CLI_CONFIG_FILE: join(moto.work, 'terraformrc'), // the offline provider mirror
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
}

/**
 * Copy a synthesized stack directory to copyDir (files only: what terraform wrote into copyDir before
 * stays) and make the copy apply to moto: cdk.tf.json without the NOT_EMULATED types, the provider
 * override and the MISREPORTED ignores. Returns the cleaned stack and what was stripped.
 */
export function copyForMoto(
  stackDir: string,
  copyDir: string,
  endpoint: string,
): { cleaned: Stack; stripped: { address: string; why: string }[] } {
  cpSync(stackDir, copyDir, { recursive: true });
  const synthesized = JSON.parse(readFileSync(join(copyDir, 'cdk.tf.json'), 'utf8')) as Stack;
  const { cleaned, stripped } = stripUnemulated(synthesized);
  writeFileSync(join(copyDir, 'cdk.tf.json'), JSON.stringify(cleaned, null, 2));
  writeFileSync(
    join(copyDir, 'provider_override.tf.json'),
    JSON.stringify(providerOverride(cleaned, endpoint), null, 2),
  );
  writeFileSync(join(copyDir, 'moto_override.tf.json'), JSON.stringify(misreportOverride(cleaned), null, 2));
  return { cleaned, stripped };
}
