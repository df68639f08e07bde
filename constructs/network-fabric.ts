import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { PlacementGroup } from '@cdktf/provider-aws/lib/placement-group';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import type { ResolvedFabric, ResolvedPlan } from '../lib/model';
import { cidrRange, nodeSubnet } from '../lib/model/network';
import { Construct, Fn } from './cdk';
import { validateWithRules } from './validation';

export interface NetworkFabricProps {
  /** The resolved plan the fabric belongs to. */
  readonly plan: ResolvedPlan;
  /** The fabric from the plan (name, vpcCidr, availabilityZone, prefixDelegation, ...). */
  readonly fabric: ResolvedFabric;
  /** AWS region of the site. */
  readonly region: string;
}

/** Gateway and interface endpoints private nodes need (no NAT, no internet). */
export const INTERFACE_ENDPOINTS = ['ec2', 'ecr.api', 'ecr.dkr', 'sts', 'eks', 'eks-auth'] as const;

/**
 * AZ IDs where EKS refuses control-plane subnets (UnsupportedAvailabilityZoneException). Listed by the EKS
 * user guide, "View Amazon EKS networking requirements for VPC and subnets" (subnet requirements:
 * https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html). IDs, not names: AZ names are
 * shuffled per account, IDs are not.
 */
export const EKS_UNSUPPORTED_ZONE_IDS = ['use1-az3', 'usw1-az2', 'cac1-az3'] as const;

const ipAt = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');

/**
 * A VPC for one fabric: the EFA node subnet in the fabric's AZ, sized from the IP-space arithmetic; two
 * small subnets in two AZs for the EKS control-plane interfaces; a route table with the S3 gateway endpoint;
 * interface endpoints for private nodes; the EFA security group with all-traffic ingress and egress to
 * itself; and a cluster placement group per pool that may use one (never a Capacity Block pool).
 */
export class NetworkFabric extends Construct {
  readonly vpc: Vpc;
  readonly nodeSubnet: Subnet;
  readonly controlPlaneSubnets: Subnet[];
  readonly efaSecurityGroup: SecurityGroup;
  /** fabrics[].securityGroups: extra groups attached, after the EFA group, to every pool interface. */
  readonly extraSecurityGroups: SecurityGroup[] = [];
  readonly placementGroups = new Map<string, PlacementGroup>();

  constructor(scope: Construct, id: string, props: NetworkFabricProps) {
    super(scope, id);
    const { fabric, region } = props;
    const name = fabric.name;
    const vpcCidr = fabric.spec.vpcCidr!;
    const tags = { Name: name, 'gigawatt.dev/fabric': name };
    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: vpcCidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags,
    });

    const subnet = nodeSubnet(fabric)!;
    this.nodeSubnet = new Subnet(this, 'nodes', {
      vpcId: this.vpc.id,
      cidrBlock: subnet.cidr,
      availabilityZone: fabric.spec.availabilityZone,
      mapPublicIpOnLaunch: false,
      tags: { ...tags, Name: `${name}-nodes` },
    });

    // Control-plane subnets: two /28 blocks at the end of the VPC, in the first two zones of the region.
    const zones = new DataAwsAvailabilityZones(this, 'zones', {
      state: 'available',
      excludeZoneIds: [...EKS_UNSUPPORTED_ZONE_IDS],
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
    });
    const [, last] = cidrRange(vpcCidr);
    this.controlPlaneSubnets = [0, 1].map(
      (i) =>
        new Subnet(this, `control-plane-${i}`, {
          vpcId: this.vpc.id,
          cidrBlock: `${ipAt(last - 15 - 16 * (1 - i))}/28`,
          availabilityZone: Fn.element(zones.names, i),
          mapPublicIpOnLaunch: false,
          tags: { ...tags, Name: `${name}-control-plane-${i}` },
        }),
    );

    const routes = new RouteTable(this, 'routes', { vpcId: this.vpc.id, tags });
    new RouteTableAssociation(this, 'routes-nodes', {
      routeTableId: routes.id,
      subnetId: this.nodeSubnet.id,
    });
    const s3 = new VpcEndpoint(this, 'endpoint-s3', {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: [routes.id],
      tags,
    });

    // EFA traffic only matches rules that reference a security group: all traffic to and from itself.
    this.efaSecurityGroup = new SecurityGroup(this, 'efa', {
      name: `${name}-efa`,
      description: `EFA and node traffic of fabric ${name}`,
      vpcId: this.vpc.id,
      tags,
    });
    new VpcSecurityGroupIngressRule(this, 'efa-self-ingress', {
      securityGroupId: this.efaSecurityGroup.id,
      referencedSecurityGroupId: this.efaSecurityGroup.id,
      ipProtocol: '-1',
      description: 'EFA: all traffic from itself',
    });
    new VpcSecurityGroupEgressRule(this, 'efa-self-egress', {
      securityGroupId: this.efaSecurityGroup.id,
      referencedSecurityGroupId: this.efaSecurityGroup.id,
      ipProtocol: '-1',
      description: 'EFA: all traffic to itself',
    });
    new VpcSecurityGroupEgressRule(this, 'https-vpc', {
      securityGroupId: this.efaSecurityGroup.id,
      cidrIpv4: vpcCidr,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      description: 'HTTPS to VPC endpoints and the EKS control plane',
    });
    new VpcSecurityGroupEgressRule(this, 'https-s3', {
      securityGroupId: this.efaSecurityGroup.id,
      prefixListId: s3.prefixListId,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      description: 'HTTPS to S3 through the gateway endpoint',
    });

    for (const sg of fabric.spec.securityGroups ?? []) {
      const group = new SecurityGroup(this, `sg-${sg.name}`, {
        name: `${name}-${sg.name}`,
        description: `Extra security group ${sg.name} of fabric ${name}`,
        vpcId: this.vpc.id,
        tags,
      });
      this.extraSecurityGroups.push(group);
      if (sg.selfIngressAllTraffic)
        new VpcSecurityGroupIngressRule(this, `sg-${sg.name}-self-ingress`, {
          securityGroupId: group.id,
          referencedSecurityGroupId: group.id,
          ipProtocol: '-1',
          description: `${sg.name}: all traffic from itself`,
        });
      if (sg.selfEgressAllTraffic)
        new VpcSecurityGroupEgressRule(this, `sg-${sg.name}-self-egress`, {
          securityGroupId: group.id,
          referencedSecurityGroupId: group.id,
          ipProtocol: '-1',
          description: `${sg.name}: all traffic to itself`,
        });
      for (const cidr of sg.ingressCidrs ?? [])
        new VpcSecurityGroupIngressRule(this, `sg-${sg.name}-ingress-${cidr.replace(/[./]/g, '-')}`, {
          securityGroupId: group.id,
          cidrIpv4: cidr,
          ipProtocol: '-1',
          description: `${sg.name}: all traffic from ${cidr}`,
        });
    }

    const endpoints = new SecurityGroup(this, 'endpoints', {
      name: `${name}-endpoints`,
      description: `Interface endpoints of fabric ${name}`,
      vpcId: this.vpc.id,
      tags,
    });
    new VpcSecurityGroupIngressRule(this, 'endpoints-https', {
      securityGroupId: endpoints.id,
      cidrIpv4: vpcCidr,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      description: 'HTTPS from the VPC',
    });
    for (const service of INTERFACE_ENDPOINTS)
      new VpcEndpoint(this, `endpoint-${service.replace('.', '-')}`, {
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${region}.${service}`,
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: [this.nodeSubnet.id],
        securityGroupIds: [endpoints.id],
        tags,
      });

    for (const pool of fabric.pools.filter(
      (p) => p.kind === 'ec2' && p.placementGroup && p.capacityType !== 'capacity-block',
    ))
      this.placementGroups.set(
        pool.name,
        new PlacementGroup(this, `placement-${pool.name}`, {
          name: `${props.plan.name}-${pool.name}`,
          strategy: 'cluster',
          tags,
        }),
      );

    validateWithRules(this, props.plan, [`fabrics.${name}`]);
  }
}
