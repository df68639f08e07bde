/** One VPC per AWS site: GW-NET-SITE-VPC and the synthesized secondary CIDR blocks. */
import { synthesizeTerraform } from '../constructs/synth';
import { secondaryCidrRestriction } from '../pipeline/model/network';
import { check, errorIds } from './helpers';

const NOW = new Date('2026-11-22T00:00:00Z');
type Fabric = { cidr: string; egress?: string };
const plan = (fabrics: Fabric[]) => `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: vpc }
sites:
  - { name: east, provider: aws, region: us-east-2, quotas: { P: 1000000 } }
fabrics:
${fabrics
  .map(
    (f, i) =>
      `  - { name: f${i}, site: east, vpcCidr: ${f.cidr}, availabilityZone: us-east-2a${f.egress ? `, egress: ${f.egress}` : ''} }`,
  )
  .join('\n')}
pools:
${fabrics
  .map(
    (_, i) =>
      `  - { name: p${i}, site: east, fabric: f${i}, instanceType: p5.48xlarge, instances: 2, capacity: { type: on-demand }, efa: true }`,
  )
  .join('\n')}
kubernetes: { version: '1.33' }
`;
const findings = (fabrics: Fabric[]) =>
  check(plan(fabrics), NOW).diagnostics.filter((d) => d.rule === 'GW-NET-SITE-VPC');
const blocks = (n: number): Fabric[] => Array.from({ length: n }, (_, i) => ({ cidr: `10.${i}.0.0/16` }));

describe('secondary CIDR blocks (Amazon VPC user guide, association restrictions)', () => {
  test('a block of another RFC 1918 range than the primary is refused', () => {
    expect(secondaryCidrRestriction('10.64.0.0/16', '172.20.0.0/16')).toBeDefined();
    expect(secondaryCidrRestriction('172.16.0.0/16', '192.168.0.0/16')).toBeDefined();
    expect(secondaryCidrRestriction('10.64.0.0/16', '10.65.0.0/16')).toBeUndefined();
  });
});

describe('GW-NET-SITE-VPC', () => {
  test('disjoint blocks of the primary range pass', () => {
    expect(findings([{ cidr: '10.1.0.0/16' }, { cidr: '10.2.0.0/16' }])).toEqual([]);
  });
  test('a second fabric that overlaps the first is an error on its vpcCidr line', () => {
    const [d, ...rest] = findings([{ cidr: '10.1.0.0/16' }, { cidr: '10.1.128.0/17' }]);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ severity: 'error', line: 8 });
    expect(d.message).toContain("overlaps 10.1.0.0/16 of fabric 'f0'");
  });
  test('a 172.x block on a 10.x primary is refused by AWS', () => {
    const [d] = findings([{ cidr: '10.64.0.0/16' }, { cidr: '172.20.0.0/16' }]);
    expect(d).toMatchObject({ severity: 'error' });
    expect(d.message).toContain("AWS cannot add 172.20.0.0/16 to the VPC of fabric 'f0' (10.64.0.0/16)");
  });
  test('fabrics of one VPC ask for one egress', () => {
    const [d] = findings([{ cidr: '10.1.0.0/16' }, { cidr: '10.2.0.0/16', egress: 'none' }]);
    expect(d.message).toContain("asks for egress: none, but it shares the route table of fabric 'f0'");
  });
  test('5 blocks pass, 6 warn of the default quota, 51 exceed the maximum of 50', () => {
    expect(findings(blocks(5))).toEqual([]);
    const [six] = findings(blocks(6));
    expect(six).toMatchObject({ severity: 'warning' });
    expect(six.message).toContain('6 IPv4 CIDR blocks');
    expect(findings(blocks(50)).map((d) => d.severity)).toEqual(['warning']);
    const [many] = findings(blocks(51));
    expect(many).toMatchObject({ severity: 'error' });
    expect(many.message).toContain('a VPC holds at most 50');
  });
});

describe('synthesis', () => {
  type Tf = { resource: Record<string, Record<string, Record<string, unknown>>> };
  const r = check(plan([{ cidr: '10.1.0.0/16' }, { cidr: '10.2.0.0/16' }]), NOW);
  const tf: Tf = JSON.parse(synthesizeTerraform(r.plan!).get('terraform/stacks/east/cdk.tf.json')!);
  const of = (type: string) => Object.entries(tf.resource[type] ?? {});

  test('plans validate', () => expect(errorIds(r)).toEqual([]));
  test('the site has one VPC; the second fabric is its secondary CIDR block', () => {
    expect(of('aws_vpc')).toHaveLength(1);
    const [[, block], ...more] = of('aws_vpc_ipv4_cidr_block_association');
    expect(more).toEqual([]);
    expect(block.cidr_block).toBe('10.2.0.0/16');
    expect(block.vpc_id).toMatch(/^\$\{aws_vpc\.fabric-f0_vpc_[0-9A-F]+\.id\}$/);
  });
  test("the second fabric's node subnet is in the cluster's VPC, through the association", () => {
    const subnet = of('aws_subnet').find(([id]) => id.startsWith('fabric-f1_nodes'))![1];
    expect(subnet.vpc_id).toMatch(
      /^\$\{aws_vpc_ipv4_cidr_block_association\.fabric-f1_cidr-block_[0-9A-F]+\.vpc_id\}$/,
    );
    expect(String(subnet.cidr_block)).toMatch(/^10\.2\./);
  });
  test('only the first fabric makes a NAT gateway and interface endpoints', () => {
    expect(of('aws_nat_gateway')).toHaveLength(1);
    expect(of('aws_vpc_endpoint').every(([id]) => id.startsWith('fabric-f0_'))).toBe(true);
  });
  test("the second pool's node group takes the second fabric's subnet", () => {
    const groups = of('aws_eks_node_group').filter(([id]) => id.startsWith('pool-p1_'));
    expect(groups.length).toBeGreaterThan(0);
    for (const [, g] of groups) expect(JSON.stringify(g.subnet_ids)).toContain('aws_subnet.fabric-f1_nodes');
  });
});
