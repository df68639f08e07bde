import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { Ec2TransitGatewayVpcAttachment } from '@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { PlacementGroup } from '@cdktf/provider-aws/lib/placement-group';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcIpv4CidrBlockAssociation } from '@cdktf/provider-aws/lib/vpc-ipv4-cidr-block-association';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { VpnGatewayAttachment } from '@cdktf/provider-aws/lib/vpn-gateway-attachment';
import type { ResolvedFabric, ResolvedPlan } from '../pipeline/model';
import { nodeSubnet, vpcLayout } from '../pipeline/model/network';
import { ownPlacementGroup } from '../pipeline/model/node-groups';
import { Construct, Fn } from './cdk';
import type { INetworkFabric } from './interfaces';
import { validateWithRules } from './validation';

export interface NetworkFabricProps {
  /** The resolved plan the fabric belongs to. */
  readonly plan: ResolvedPlan;
  /** The fabric from the plan (name, vpcCidr, availabilityZone, prefixDelegation, ...). */
  readonly fabric: ResolvedFabric;
  /** AWS region of the site. */
  readonly region: string;
  /**
   * The fabric hosts the site's EKS control plane: it gets the two system-node subnets, and the routes
   * and rules to the on-prem networks of hybrid sites that join the cluster.
   * @default false
   */
  readonly hostsCluster?: boolean;
  /**
   * The site's first fabric, whose VPC this fabric joins: its vpcCidr becomes a secondary block of that
   * VPC (EKS node groups take subnets of the cluster's VPC only), and it shares that fabric's route table,
   * NAT gateway, endpoints and node security group (site.vpcFabrics in the model).
   * @default - none: the fabric makes its own VPC
   */
  readonly host?: NetworkFabric;
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

/**
 * The site's first fabric makes the VPC: the EFA node subnet in the fabric's AZ, sized from the IP-space arithmetic; two
 * small subnets in two AZs for the EKS control-plane interfaces (and, in the cluster's fabric, two for the
 * system nodes); a private route table with the S3 gateway endpoint and, with `egress: nat` (the default),
 * a NAT gateway in a small public subnet; interface endpoints for private nodes; the node security group
 * (EFA: all traffic to and from itself); and a cluster placement group per pool that may use one (never a
 * Capacity Block pool, never an ODCR pool: see placementGroupName). Every other fabric of the site adds its
 * vpcCidr to that VPC as a secondary block and brings its node subnet, extra security groups and placement
 * groups only.
 */
export class NetworkFabric extends Construct implements INetworkFabric {
  readonly vpc: Vpc;
  readonly nodeSubnet: Subnet;
  /** Subnets of the EKS control-plane interfaces (in the fabric that makes the VPC; empty elsewhere). */
  readonly controlPlaneSubnets: Subnet[] = [];
  /** Subnets of the system node group (in the fabric that hosts the cluster; empty elsewhere). */
  readonly systemSubnets: Subnet[] = [];
  readonly routeTable: RouteTable;
  readonly natGateway?: NatGateway;
  readonly efaSecurityGroup: SecurityGroup;
  /** fabrics[].securityGroups: extra groups attached, after the EFA group, to every pool interface. */
  readonly extraSecurityGroups: SecurityGroup[] = [];
  readonly placementGroups = new Map<string, PlacementGroup>();
  /** Security group of the interface endpoints (in the fabric that makes the VPC). */
  readonly endpointsSecurityGroup: SecurityGroup;

  readonly fabricName: string;
  readonly vpcCidr: string;
  readonly availabilityZone: string;

  /**
   * A network the team already has, for a cluster composed in code (`new GpuCluster(scope, id, { network
   * })`): nothing is created; the ids are used as given.
   */
  static fromExisting(scope: Construct, id: string, attrs: ExistingNetworkAttributes): INetworkFabric {
    return new ExistingNetworkFabric(scope, id, attrs);
  }

  get vpcId(): string {
    return this.vpc.id;
  }
  get nodeSubnetIds(): string[] {
    return [this.nodeSubnet.id];
  }
  get controlPlaneSubnetIds(): string[] {
    return this.controlPlaneSubnets.map((s) => s.id);
  }
  get systemSubnetIds(): string[] {
    return this.systemSubnets.map((s) => s.id);
  }
  get nodeSecurityGroupIds(): string[] {
    return [this.efaSecurityGroup, ...this.extraSecurityGroups].map((g) => g.id);
  }
  placementGroupName(pool: string): string | undefined {
    return this.placementGroups.get(pool)?.name;
  }

  constructor(scope: Construct, id: string, props: NetworkFabricProps) {
    super(scope, id);
    const { fabric, region } = props;
    this.fabricName = fabric.name;
    const name = fabric.name;
    const vpcCidr = fabric.spec.vpcCidr!;
    this.vpcCidr = vpcCidr;
    this.availabilityZone = fabric.spec.availabilityZone!;
    const tags = { Name: name, 'gigawatt.dev/fabric': name };
    const host = props.host;
    const block = host
      ? new VpcIpv4CidrBlockAssociation(this, 'cidr-block', { vpcId: host.vpc.id, cidrBlock: vpcCidr })
      : undefined;
    this.vpc =
      host?.vpc ??
      new Vpc(this, 'vpc', {
        cidrBlock: vpcCidr,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags,
      });
    // Subnets of a secondary block name the VPC through the association, so they wait for it.
    const vpcId = block?.vpcId ?? this.vpc.id;

    const subnet = nodeSubnet(fabric)!;
    this.nodeSubnet = new Subnet(this, 'nodes', {
      vpcId,
      cidrBlock: subnet.cidr,
      availabilityZone: fabric.spec.availabilityZone,
      mapPublicIpOnLaunch: false,
      tags: { ...tags, Name: `${name}-nodes` },
    });

    if (host) {
      this.routeTable = host.routeTable;
      this.natGateway = host.natGateway;
      this.efaSecurityGroup = host.efaSecurityGroup;
      this.endpointsSecurityGroup = host.endpointsSecurityGroup;
      new RouteTableAssociation(this, 'routes-nodes', {
        routeTableId: host.routeTable.id,
        subnetId: this.nodeSubnet.id,
      });
      // The endpoints live in the first fabric's subnet; nodes of this block reach them over HTTPS.
      new VpcSecurityGroupIngressRule(this, 'endpoints-https', {
        securityGroupId: host.endpointsSecurityGroup.id,
        cidrIpv4: vpcCidr,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        description: `HTTPS from fabric ${name}`,
      });
      this.extraGroupsAndPlacement(props, vpcId, tags);
      validateWithRules(this, props.plan, [`fabrics.${name}`]);
      return;
    }

    // Control-plane subnets: two /28 blocks at the end of the VPC, in the first two zones of the region;
    // the system nodes' two /27 blocks just before them, in the same zones (model/network.ts vpcLayout).
    const layout = vpcLayout(vpcCidr);
    const zones = new DataAwsAvailabilityZones(this, 'zones', {
      state: 'available',
      excludeZoneIds: [...EKS_UNSUPPORTED_ZONE_IDS],
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
    });
    this.controlPlaneSubnets = layout.controlPlane.map(
      (cidrBlock, i) =>
        new Subnet(this, `control-plane-${i}`, {
          vpcId: this.vpc.id,
          cidrBlock,
          availabilityZone: Fn.element(zones.names, i),
          mapPublicIpOnLaunch: false,
          tags: { ...tags, Name: `${name}-control-plane-${i}` },
        }),
    );
    if (props.hostsCluster)
      this.systemSubnets = layout.system.map(
        (cidrBlock, i) =>
          new Subnet(this, `system-${i}`, {
            vpcId: this.vpc.id,
            cidrBlock,
            availabilityZone: Fn.element(zones.names, i),
            mapPublicIpOnLaunch: false,
            tags: { ...tags, Name: `${name}-system-${i}` },
          }),
      );

    const routes = new RouteTable(this, 'routes', { vpcId: this.vpc.id, tags });
    this.routeTable = routes;
    new RouteTableAssociation(this, 'routes-nodes', {
      routeTableId: routes.id,
      subnetId: this.nodeSubnet.id,
    });
    const associate = (id: string, subnet: Subnet) =>
      new RouteTableAssociation(this, `routes-${id}`, { routeTableId: routes.id, subnetId: subnet.id });
    this.controlPlaneSubnets.forEach((subnet, i) => associate(`control-plane-${i}`, subnet));
    this.systemSubnets.forEach((subnet, i) => associate(`system-${i}`, subnet));

    // egress: nat (default) — the device-plugin images live on nvcr.io and public.ecr.aws, which no VPC
    // endpoint serves: a NAT gateway in a public /28 with an internet gateway, as awslabs/ai-on-eks
    // (infra/base/terraform/vpc.tf) and terraform-aws-eks-blueprints do. egress: none keeps the VPC
    // private (patterns/fully-private-cluster) and GW-NET-IMAGE-PULL then requires ECR-only images.
    if ((fabric.spec.egress ?? 'nat') === 'nat') {
      const igw = new InternetGateway(this, 'internet', { vpcId: this.vpc.id, tags });
      const publicSubnet = new Subnet(this, 'public', {
        vpcId: this.vpc.id,
        cidrBlock: layout.public,
        availabilityZone: fabric.spec.availabilityZone,
        mapPublicIpOnLaunch: false,
        tags: { ...tags, Name: `${name}-public` },
      });
      const publicRoutes = new RouteTable(this, 'routes-public', {
        vpcId: this.vpc.id,
        tags: { ...tags, Name: `${name}-public` },
      });
      new Route(this, 'public-default', {
        routeTableId: publicRoutes.id,
        destinationCidrBlock: '0.0.0.0/0',
        gatewayId: igw.id,
      });
      new RouteTableAssociation(this, 'routes-public-subnet', {
        routeTableId: publicRoutes.id,
        subnetId: publicSubnet.id,
      });
      const ip = new Eip(this, 'nat-ip', { domain: 'vpc', tags, dependsOn: [igw] });
      this.natGateway = new NatGateway(this, 'nat', {
        allocationId: ip.id,
        subnetId: publicSubnet.id,
        tags,
        dependsOn: [igw],
      });
      new Route(this, 'nat-default', {
        routeTableId: routes.id,
        destinationCidrBlock: '0.0.0.0/0',
        natGatewayId: this.natGateway.id,
      });
    }
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

    if (this.natGateway)
      new VpcSecurityGroupEgressRule(this, 'https-internet', {
        securityGroupId: this.efaSecurityGroup.id,
        cidrIpv4: '0.0.0.0/0',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        description: 'HTTPS to image registries through the NAT gateway',
      });

    // Hybrid nodes (EKS Hybrid Nodes): the control plane and the nodes reach the remote node and pod
    // networks through the plan's gateway, and accept all traffic from them (terraform-aws-eks
    // examples/eks-hybrid-nodes: cluster security-group rules from the remote CIDRs, routes to on-prem).
    if (props.hostsCluster)
      for (const site of props.plan.sites.filter((s) => s.spec.hybrid?.cluster === fabric.site?.name)) {
        const hybrid = site.spec.hybrid!;
        const remote = [...hybrid.remoteNodeCidrs, ...(hybrid.remotePodCidrs ?? [])];
        for (const cidr of remote)
          new VpcSecurityGroupIngressRule(this, `hybrid-${site.name}-${cidr.replace(/[./]/g, '-')}`, {
            securityGroupId: this.efaSecurityGroup.id,
            cidrIpv4: cidr,
            ipProtocol: '-1',
            description: `Hybrid nodes of ${site.name}: all traffic from ${cidr}`,
          });
        const gw = hybrid.gatewayId;
        if (!gw) continue;
        const attachment = gw.startsWith('tgw-')
          ? new Ec2TransitGatewayVpcAttachment(this, `hybrid-${site.name}-attachment`, {
              transitGatewayId: gw,
              vpcId: this.vpc.id,
              subnetIds: this.controlPlaneSubnets.map((s) => s.id),
              tags,
            })
          : new VpnGatewayAttachment(this, `hybrid-${site.name}-attachment`, {
              vpnGatewayId: gw,
              vpcId: this.vpc.id,
            });
        for (const cidr of remote)
          new Route(this, `hybrid-${site.name}-route-${cidr.replace(/[./]/g, '-')}`, {
            routeTableId: routes.id,
            destinationCidrBlock: cidr,
            ...(gw.startsWith('tgw-') ? { transitGatewayId: gw } : { gatewayId: gw }),
            dependsOn: [attachment],
          });
      }

    const endpoints = new SecurityGroup(this, 'endpoints', {
      name: `${name}-endpoints`,
      description: `Interface endpoints of fabric ${name}`,
      vpcId: this.vpc.id,
      tags,
    });
    this.endpointsSecurityGroup = endpoints;
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

    this.extraGroupsAndPlacement(props, this.vpc.id, tags);
    validateWithRules(this, props.plan, [`fabrics.${name}`]);
  }

  /** fabrics[].securityGroups and the pools' cluster placement groups, in the fabric's VPC. */
  private extraGroupsAndPlacement(
    props: NetworkFabricProps,
    vpcId: string,
    tags: Record<string, string>,
  ): void {
    const { fabric } = props;
    const name = fabric.name;
    for (const sg of fabric.spec.securityGroups ?? []) {
      const group = new SecurityGroup(this, `sg-${sg.name}`, {
        name: `${name}-${sg.name}`,
        description: `Extra security group ${sg.name} of fabric ${name}`,
        vpcId,
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

    // An On-Demand Capacity Reservation places instances only in the placement group it was created in
    // (EC2 user guide, capacity reservations in cluster placement groups): such pools use the group the
    // plan names on the reservation (reservations[].placementGroup) and get none of their own.
    for (const pool of fabric.pools.filter(ownPlacementGroup))
      this.placementGroups.set(
        pool.name,
        new PlacementGroup(this, `placement-${pool.name}`, {
          name: `${props.plan.name}-${pool.name}`,
          strategy: 'cluster',
          tags,
        }),
      );
  }
}

/** The network of `NetworkFabric.fromExisting`. */
export interface ExistingNetworkAttributes {
  /**
   * The fabric's name in the plan the cluster builds (a DNS label: findings name it).
   * @default the construct id
   */
  readonly name?: string;
  readonly vpcId: string;
  /** The VPC's IPv4 CIDR block: the IP-space rules check that the pools' nodes and pods fit in it. */
  readonly vpcCidr: string;
  /** AZ of the node subnets (EFA traffic stays in one AZ), e.g. us-east-1a. */
  readonly availabilityZone: string;
  readonly nodeSubnetIds: string[];
  /** Subnets in two AZs EKS supports, for the control-plane interfaces. */
  readonly controlPlaneSubnetIds: string[];
  /**
   * Subnets of the system node group.
   * @default controlPlaneSubnetIds
   */
  readonly systemSubnetIds?: string[];
  /** Node security groups, the first with all traffic to and from itself (EFA requires it). */
  readonly nodeSecurityGroupIds: string[];
  /**
   * A cluster placement group per pool name, already created.
   * @default none
   */
  readonly placementGroups?: Readonly<Record<string, string>>;
}

/** A network gigawatt did not create (see `NetworkFabric.fromExisting`). */
export class ExistingNetworkFabric extends Construct implements INetworkFabric {
  readonly fabricName: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly availabilityZone: string;
  readonly nodeSubnetIds: string[];
  readonly controlPlaneSubnetIds: string[];
  readonly systemSubnetIds: string[];
  readonly nodeSecurityGroupIds: string[];
  private readonly placementGroups: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, attrs: ExistingNetworkAttributes) {
    super(scope, id);
    this.fabricName = attrs.name ?? id;
    this.vpcId = attrs.vpcId;
    this.vpcCidr = attrs.vpcCidr;
    this.availabilityZone = attrs.availabilityZone;
    this.nodeSubnetIds = [...attrs.nodeSubnetIds];
    this.controlPlaneSubnetIds = [...attrs.controlPlaneSubnetIds];
    this.systemSubnetIds = [...(attrs.systemSubnetIds ?? attrs.controlPlaneSubnetIds)];
    this.nodeSecurityGroupIds = [...attrs.nodeSecurityGroupIds];
    this.placementGroups = { ...(attrs.placementGroups ?? {}) };
  }

  placementGroupName(pool: string): string | undefined {
    return Object.prototype.hasOwnProperty.call(this.placementGroups, pool)
      ? this.placementGroups[pool]
      : undefined;
  }
}
