import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { ResolvedPlan, ResolvedSite } from '../lib/model';
import { Construct } from './cdk';
import type { NetworkFabric } from './network-fabric';
import { validateWithRules } from './validation';

export interface GpuClusterProps {
  readonly plan: ResolvedPlan;
  /** The AWS site whose EKS cluster this is. */
  readonly site: ResolvedSite;
  /** The fabric whose control-plane subnets and security group the cluster uses. */
  readonly fabric: NetworkFabric;
}

/** Every EKS control-plane log type. */
export const CONTROL_PLANE_LOGS = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];
/** Add-ons every accelerator cluster needs. */
export const ADDONS = ['vpc-cni', 'coredns', 'kube-proxy', 'eks-pod-identity-agent'];

/**
 * Add-ons created before any node group, as terraform-aws-eks does (main.tf: `aws_eks_addon.before_compute`
 * for vpc-cni and eks-pod-identity-agent): a node is Ready only once the CNI runs on it.
 */
export const BEFORE_COMPUTE = ['vpc-cni', 'eks-pod-identity-agent'];

const assume = (service: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { Service: service }, Action: ['sts:AssumeRole', 'sts:TagSession'] },
    ],
  });
const managed = (name: string) => `arn:aws:iam::aws:policy/${name}`;

/**
 * The EKS cluster of one AWS site: private endpoint by default (public only with explicit CIDRs), secrets
 * encrypted with a KMS key, every control-plane log type, API authentication, the remote node and pod
 * networks of hybrid on-prem sites with their access entry, IAM roles with AWS managed policies only, and
 * the add-ons the accelerator pools need.
 */
export class GpuCluster extends Construct {
  readonly cluster: EksCluster;
  readonly nodeRole: IamRole;
  /**
   * The node role's policy attachments. Node groups depend on them so that on create no node launches
   * before it may join, and on destroy no policy is detached while EKS still drains and deletes the nodes.
   */
  readonly nodePolicies: IamRolePolicyAttachment[] = [];
  /** Add-ons node groups wait for (see BEFORE_COMPUTE). */
  readonly beforeCompute: EksAddon[] = [];

  constructor(scope: Construct, id: string, props: GpuClusterProps) {
    super(scope, id);
    const { plan, site } = props;
    const name = `${plan.name}-${site.name}`;
    const k8s = plan.kubernetes;
    const key = new KmsKey(this, 'secrets-key', {
      description: `EKS secrets of ${name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    const clusterRole = new IamRole(this, 'cluster-role', {
      name: `${name}-cluster`,
      assumeRolePolicy: assume('eks.amazonaws.com'),
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, 'cluster-policy', {
      role: clusterRole.name,
      policyArn: managed('AmazonEKSClusterPolicy'),
    });
    this.nodeRole = new IamRole(this, 'node-role', {
      name: `${name}-node`,
      assumeRolePolicy: assume('ec2.amazonaws.com'),
    });
    for (const policy of [
      'AmazonEKSWorkerNodePolicy',
      'AmazonEC2ContainerRegistryPullOnly',
      'AmazonEKS_CNI_Policy',
    ])
      this.nodePolicies.push(
        new IamRolePolicyAttachment(this, `node-${policy}`, {
          role: this.nodeRole.name,
          policyArn: managed(policy),
        }),
      );

    const hybrid = plan.sites.filter((s) => s.spec.hybrid?.cluster === site.name);
    const remoteNodes = hybrid.flatMap((s) => s.spec.hybrid!.remoteNodeCidrs);
    const remotePods = hybrid.flatMap((s) => s.spec.hybrid!.remotePodCidrs ?? []);
    const publicEndpoint = k8s.endpoint === 'public' && k8s.publicAccessCidrs.length > 0;
    this.cluster = new EksCluster(this, 'cluster', {
      name,
      version: k8s.version,
      roleArn: clusterRole.arn,
      vpcConfig: {
        subnetIds: props.fabric.controlPlaneSubnets.map((s) => s.id),
        securityGroupIds: [props.fabric.efaSecurityGroup.id],
        endpointPrivateAccess: true,
        endpointPublicAccess: publicEndpoint,
        ...(publicEndpoint ? { publicAccessCidrs: [...k8s.publicAccessCidrs] } : {}),
      },
      kubernetesNetworkConfig: { serviceIpv4Cidr: k8s.serviceCidr, ipFamily: 'ipv4' },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: key.arn } },
      enabledClusterLogTypes: CONTROL_PLANE_LOGS,
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
      ...(remoteNodes.length
        ? {
            remoteNetworkConfig: {
              remoteNodeNetworks: { cidrs: remoteNodes },
              ...(remotePods.length ? { remotePodNetworks: { cidrs: remotePods } } : {}),
            },
          }
        : {}),
      // As terraform-aws-eks (main.tf, aws_eks_cluster.this depends_on the role policy attachments): the
      // policy is attached before EKS assumes the role, and stays attached while EKS deletes the cluster's
      // ENIs and security groups on destroy.
      dependsOn: [clusterRole, clusterPolicy],
    });
    for (const addon of ADDONS) {
      const resource = new EksAddon(this, `addon-${addon}`, {
        clusterName: this.cluster.name,
        addonName: addon,
      });
      if (BEFORE_COMPUTE.includes(addon)) this.beforeCompute.push(resource);
    }
    if (hybrid.length) {
      const hybridRole = new IamRole(this, 'hybrid-node-role', {
        name: `${name}-hybrid`,
        assumeRolePolicy: assume('ssm.amazonaws.com'),
      });
      for (const policy of ['AmazonSSMManagedInstanceCore', 'AmazonEC2ContainerRegistryPullOnly'])
        new IamRolePolicyAttachment(this, `hybrid-${policy}`, {
          role: hybridRole.name,
          policyArn: managed(policy),
        });
      new EksAccessEntry(this, 'hybrid-access', {
        clusterName: this.cluster.name,
        principalArn: hybridRole.arn,
        type: 'HYBRID_LINUX',
      });
    }
    validateWithRules(this, plan, [`sites.${site.name}`, ...hybrid.map((s) => `sites.${s.name}`)]);
  }
}
