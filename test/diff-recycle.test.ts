/**
 * `gigawatt diff` names what Terraform will do to each changed resource and warns about every change that
 * takes accelerator nodes away; `--fail-on-recycle` fails CI on it. Spawned as a user runs it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempDir } from './helpers';

const p5 = readFileSync(join(ROOT, 'examples', 'p5-efa.yaml'), 'utf8');
const dir = tempDir();
const plan = (name: string, text: string) => {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
};
const base = plan('base', p5);
// 33 × 192 vCPUs exceed the example's P quota of 6,144 (GW-CAP-QUOTA): --fail-on none keeps that out.
const diff = (head: string, ...flags: string[]) =>
  runCli(['diff', base, head, '--fail-on', 'none', ...flags]);

test('scaling by one updates the node group in place and recycles nothing: exit 0 even with the flag', () => {
  const r = diff(
    plan('plus-one', p5.replace('    instances: 32\n', '    instances: 33\n')),
    '--fail-on-recycle',
  );
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('0 added, 1 updated in place, 0 replaced, 0 destroyed.');
  expect(r.stdout).toMatch(/✏️ updated `virginia:aws_eks_node_group\.pool-h100_node-group-h100-1_[0-9A-F]+`/);
  expect(r.stdout).not.toContain('recycle nodes');
});

test('renaming a pool destroys its node group: warned, and exit 1 only with --fail-on-recycle', () => {
  const head = plan('renamed', p5.replace('  - name: h100\n', '  - name: h100-ft\n'));
  const r = diff(head);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('⚠️ **');
  expect(r.stdout).toMatch(
    /> - `virginia:aws_eks_node_group\.pool-h100_node-group-h100-1_[0-9A-F]+`: destroyed \(removed or renamed in the plan\)/,
  );
  expect(diff(head, '--fail-on-recycle').status).toBe(1);
});

test('a Kubernetes version bump rolls every node group, system nodes included', () => {
  const r = diff(plan('k8s', p5.replace("  version: '1.33'", "  version: '1.34'")), '--fail-on-recycle');
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(
    /`virginia:aws_eks_node_group\.pool-h100_[^`]+`: rolling update of every node: version changes/,
  );
  expect(r.stdout).toMatch(
    /`virginia:aws_eks_node_group\.cluster_system-nodes_[^`]+`: rolling update of every node: version/,
  );
});

test('growing past maxInstances replaces the node subnet', () => {
  const r = diff(
    plan(
      'grow',
      p5.replace('    instances: 32\n    maxInstances: 64', '    instances: 32\n    maxInstances: 200'),
    ),
    '--fail-on-recycle',
  );
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(
    /`virginia:aws_subnet\.fabric-virginia-efa_nodes_[^`]+`: replaced: cidr_block cannot change in place/,
  );
});

test('a replaced node subnet updates the interface endpoints on it in place, as Terraform plans', () => {
  const head = plan(
    'grow-endpoints',
    p5.replace('    instances: 32\n    maxInstances: 64', '    instances: 32\n    maxInstances: 200'),
  );
  const json = JSON.parse(runCli(['diff', base, head, '--fail-on', 'none', '--format', 'json']).stdout);
  const strip = (list: string[]) => list.map((a) => a.replace(/_[0-9A-F]+$/, '')).sort();
  // Terraform 1.x with provider 5.100.0 plans exactly these: subnet_ids = [the new subnet's id] is unknown
  // until apply. The gateway endpoint (s3) sits on the route table, which stays.
  expect(strip(json.terraform.updated)).toEqual(
    ['ec2', 'ecr-api', 'ecr-dkr', 'eks', 'eks-auth', 'sts'].map(
      (s) => `virginia:aws_vpc_endpoint.fabric-virginia-efa_endpoint-${s}`,
    ),
  );
  expect(strip(json.terraform.replaced)).toEqual([
    'virginia:aws_eks_node_group.pool-h100_node-group-h100-1',
    'virginia:aws_route_table_association.fabric-virginia-efa_routes-nodes',
    'virginia:aws_subnet.fabric-virginia-efa_nodes',
  ]);
});

test('a launch-template change rolls the node groups that follow it', () => {
  const head = plan(
    'sg',
    p5.replace(
      '    availabilityZone: us-east-1a\n',
      '    availabilityZone: us-east-1a\n    securityGroups: [{ name: extra, selfIngressAllTraffic: true, selfEgressAllTraffic: true }]\n',
    ),
  );
  const r = diff(head, '--fail-on-recycle');
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(
    /`virginia:aws_eks_node_group\.pool-h100_[^`]+`: rolling update of every node: new version of aws_launch_template\.pool-h100_launch-template_[0-9A-F]+ \(network_interfaces\)/,
  );
  const json = JSON.parse(runCli(['diff', base, head, '--fail-on', 'none', '--format', 'json']).stdout);
  expect(json.terraform.recycles.map((x: { address: string }) => x.address)).toEqual([
    expect.stringMatching(/^virginia:aws_eks_node_group\.pool-h100_/),
  ]);
});

test('a replaced subnet replaces the node groups, NAT gateway and route associations on it', () => {
  const head = plan('az', p5.replace('availabilityZone: us-east-1a', 'availabilityZone: us-east-1b'));
  const r = diff(head, '--fail-on-recycle');
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(
    /`virginia:aws_eks_node_group\.pool-h100_[^`]+`: replaced: subnet_ids references aws_subnet\.fabric-virginia-efa_nodes_[0-9A-F]+, which is replaced/,
  );
  const json = JSON.parse(runCli(['diff', base, head, '--fail-on', 'none', '--format', 'json']).stdout);
  const replaced = (json.terraform.replaced as string[]).map((a) => a.replace(/_[0-9A-F]+$/, ''));
  expect(replaced).toEqual(
    expect.arrayContaining([
      'virginia:aws_eks_node_group.pool-h100_node-group-h100-1',
      'virginia:aws_nat_gateway.fabric-virginia-efa_nat',
      'virginia:aws_route_table_association.fabric-virginia-efa_routes-nodes',
      'virginia:aws_subnet.fabric-virginia-efa_nodes',
    ]),
  );
  expect(json.terraform.updated).not.toContainEqual(expect.stringMatching(/aws_eks_node_group/));
});

describe('a change of where state lives', () => {
  const stackResources = (r: { stdout: string }) =>
    Number(/(\d+) added, 0 updated in place, 0 replaced, 0 destroyed\./.exec(r.stdout)?.[1]);

  test('renaming the plan moves every stack to new, empty state: all added, none destroyed, a recycle', () => {
    const head = plan('plan-renamed', p5.replace('  name: h100-efa\n', '  name: h100-efa-2\n'));
    const r = diff(head, '--fail-on-recycle');
    expect(r.status).toBe(1);
    // Nothing compared by address: the head's resources are all new to Terraform in the new state.
    const added = stackResources(r);
    expect(added).toBeGreaterThan(40);
    expect(r.stdout).toContain(
      `> - \`virginia\`: state moves from ../../../../gigawatt.state/h100-efa/virginia.tfstate to ../../../../gigawatt.state/h100-efa-2/virginia.tfstate: Terraform starts the stack from empty state and creates its ${added} resources beside the ${added} the old state keeps running`,
    );
    expect(r.stdout).not.toMatch(/♻️ replaced|🗑/);
  });

  test('a new S3 key prefix moves the state too; the same backend and name move nothing', () => {
    const s3 = (prefix: string) =>
      p5.replace(
        'kubernetes:\n',
        `backend: { bucket: tf-state-bucket, region: us-east-1, keyPrefix: ${prefix} }\nkubernetes:\n`,
      );
    const from = plan('s3-a', s3('fleet'));
    const same = runCli(['diff', from, plan('s3-a2', s3('fleet')), '--fail-on', 'none', '--fail-on-recycle']);
    expect(same.status).toBe(0);
    expect(same.stdout).not.toContain('state moves');
    const r = runCli(['diff', from, plan('s3-b', s3('fleet-v2')), '--fail-on', 'none']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      '`virginia`: state moves from s3://tf-state-bucket/fleet/h100-efa/virginia.tfstate to s3://tf-state-bucket/fleet-v2/h100-efa/virginia.tfstate',
    );
  });
});
