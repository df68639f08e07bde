/**
 * What constructs need of each other, as interfaces (the aws-cdk pattern: `IVpc`, `ICluster`), so a pool
 * composes with a cluster and a network that gigawatt created or that a team already has.
 */
import type { AcceleratorPool } from './accelerator-pool';
import type { IConstruct, ITerraformDependable } from './cdk';
import type { PoolOptions } from './gpu-cluster';

/** A network the cluster and its pools run in: a VPC, its subnets and the node security groups. */
export interface INetworkFabric extends IConstruct {
  /** The fabric's name in the plan (a DNS label). */
  readonly fabricName: string;
  readonly vpcId: string;
  /** The VPC's IPv4 CIDR block (of the fabric's block, in a VPC of several): the IP-space rules check it. */
  readonly vpcCidr: string;
  /** AZ of the node subnets (EFA traffic stays in one AZ), e.g. us-east-1a. */
  readonly availabilityZone: string;
  /** Subnets of the accelerator node groups (EFA needs them in one AZ). */
  readonly nodeSubnetIds: string[];
  /** Subnets of the EKS control-plane interfaces (two AZs EKS supports). */
  readonly controlPlaneSubnetIds: string[];
  /** Subnets of the untainted system node group. */
  readonly systemSubnetIds: string[];
  /**
   * Security groups of every node interface, first the one with all traffic to and from itself (EFA
   * requires it), then any extra groups.
   */
  readonly nodeSecurityGroupIds: string[];
  /** The cluster placement group of a pool, when the fabric made one for it. */
  placementGroupName(pool: string): string | undefined;
}

/** An EKS cluster that accelerator pools join. */
export interface IGpuCluster extends IConstruct {
  readonly clusterName: string;
  readonly nodeRoleArn: string;
  /** Kubernetes minor version of the control plane; node groups follow it. */
  readonly kubernetesVersion: string;
  /**
   * What node groups in the cluster's stack wait for: the node role's policy attachments and the add-ons
   * a node needs to become Ready (empty for a cluster imported from outside).
   */
  readonly nodeGroupDependencies: ITerraformDependable[];
  /**
   * Add an accelerator pool (launch template and node groups) to a cluster composed in code or imported;
   * its rules run with the cluster's at synth. A cluster built from a plan takes its pools from the plan.
   */
  addPool(id: string, options: PoolOptions): AcceleratorPool;
}
