import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { DataAwsEksAddonVersion } from '@cdktf/provider-aws/lib/data-aws-eks-addon-version';
import { EksAddon, type EksAddonConfig } from '@cdktf/provider-aws/lib/eks-addon';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { eksAddonVersion } from '../pipeline/catalog';
import type { ResolvedPlan, ResolvedSite } from '../pipeline/model';
import { resolvePlan } from '../pipeline/model';
import { validateValue } from '../pipeline/run';
import type {
  ClusterPlan,
  KubernetesSpec,
  PoolSpec,
  ReservationSpec,
  SiteSpec,
} from '../pipeline/schema/plan-schema';
import { PlanSource } from '../pipeline/schema/source';
import { AcceleratorPool } from './accelerator-pool';
import { LABEL_ROLE } from '../pipeline/model/labels';
import { vpcCniEnv } from '../pipeline/model/network';
import { eksClusterName, iamRoleName } from '../pipeline/model/onprem-nodes';
import { Construct, type ITerraformDependable } from './cdk';
import type { IGpuCluster, INetworkFabric } from './interfaces';
import { findingLine, reportFindings, validateWithRules } from './validation';

/** A cluster of a plan (`gigawatt synth`, `buildStacks`): the plan path. */
export interface GpuClusterProps {
  /** The resolved plan (`validate(text).plan` from `gigawatt`) whose rules run on this construct at synth. */
  readonly plan: ResolvedPlan;
  /** The AWS site whose EKS cluster this is. */
  readonly site: ResolvedSite;
  /** The fabric whose control-plane subnets and security group the cluster uses. */
  readonly fabric: INetworkFabric;
}

/**
 * A cluster composed in code, on a network the team has (`NetworkFabric.fromExisting`); pools join it
 * with `addPool`. The construct builds a one-site plan from these options and its pools, and every rule of
 * `gigawatt validate` runs on it at synth, so `cdktf synth` fails with the same rule ids.
 */
export interface GpuClusterOptions {
  /** Name of the cluster (a DNS label); the EKS cluster is `<name>-<site>`. */
  readonly name: string;
  /** AWS region, e.g. us-east-1. */
  readonly region: string;
  /**
   * The site's name in findings and in the EKS cluster name.
   * @default the region
   */
  readonly site?: string;
  /** Kubernetes minor version, e.g. "1.33". */
  readonly kubernetesVersion: string;
  /** The network the cluster and its pools use (`NetworkFabric.fromExisting`, or any `INetworkFabric`). */
  readonly network: INetworkFabric;
  /**
   * Running On-Demand vCPU quotas per instance family (P, G, Trn, Inf) in the region.
   * @default none checked
   */
  readonly quotas?: SiteSpec['quotas'];
  /**
   * Spot vCPU quotas per instance family.
   * @default none checked
   */
  readonly spotQuotas?: SiteSpec['spotQuotas'];
  /**
   * Capacity Blocks and On-Demand Capacity Reservations the pools draw from.
   * @default none
   */
  readonly reservations?: readonly ReservationOptions[];
  /**
   * API endpoint, admins, system node group and the rest of `kubernetes` in a plan (its version is
   * `kubernetesVersion`).
   * @default private endpoint, 2 x m7i/m7a.xlarge system nodes, no admins
   */
  readonly kubernetes?: Omit<KubernetesSpec, 'version'>;
}

/** A pool added with `GpuCluster.addPool`: the fields of a plan's pool, without site and fabric. */
export type PoolOptions = Omit<PoolSpec, 'name' | 'site' | 'fabric'>;

/**
 * A reservation of a cluster composed in code or imported: the fields of a plan's `reservations[]` entry,
 * its `site` optional (the cluster's site, the only one there is).
 */
export type ReservationOptions = Omit<ReservationSpec, 'site'> & { readonly site?: string };

/** Every EKS control-plane log type. */
export const CONTROL_PLANE_LOGS = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];
/**
 * Add-ons every accelerator cluster needs. eks-node-monitoring-agent reports the accelerator health
 * conditions (e.g. AcceleratedHardwareReady) that node auto repair (`node_repair_config`) acts on; without
 * it repair sees only the kubelet's Ready. ai-on-eks installs it in its base stack (infra/base/terraform).
 */
export const ADDONS = [
  'vpc-cni',
  'coredns',
  'kube-proxy',
  'eks-pod-identity-agent',
  'eks-node-monitoring-agent',
];

/**
 * Add-ons created before any node group, as terraform-aws-eks does (main.tf: `aws_eks_addon.before_compute`
 * for vpc-cni and eks-pod-identity-agent): a node is Ready only once the CNI runs on it.
 */
export const BEFORE_COMPUTE = ['vpc-cni', 'eks-pod-identity-agent'];

/** EKS access policy of `kubernetes.admins` entries. */
export const CLUSTER_ADMIN_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

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
export class GpuCluster extends Construct implements IGpuCluster {
  readonly cluster: EksCluster;
  readonly nodeRole: IamRole;
  /**
   * The node role's policy attachments. Node groups depend on them so that on create no node launches
   * before it may join, and on destroy no policy is detached while EKS still drains and deletes the nodes.
   */
  readonly nodePolicies: IamRolePolicyAttachment[] = [];
  /** Add-ons node groups wait for (see BEFORE_COMPUTE). */
  readonly beforeCompute: EksAddon[] = [];
  /**
   * The untainted CPU node group (kubernetes.systemNodes) where CoreDNS, Kueue and operators run: every
   * accelerator node group is tainted, so without it CoreDNS stays Pending and its add-on times out
   * (terraform-aws-eks-blueprints: a `default` node group "for core addons such as CoreDNS").
   */
  readonly systemNodeGroup: EksNodeGroup;

  readonly kubernetesVersion: string;
  private readonly composed?: Composition;

  get clusterName(): string {
    return this.cluster.name;
  }
  get nodeRoleArn(): string {
    return this.nodeRole.arn;
  }
  get nodeGroupDependencies() {
    return [...this.nodePolicies, ...this.beforeCompute];
  }

  constructor(scope: Construct, id: string, props: GpuClusterProps | GpuClusterOptions) {
    super(scope, id);
    let composed: Composition | undefined;
    if (!('plan' in props)) {
      composed = new Composition(this, props, props.name);
      this.composed = composed;
    }
    const plan = composed ? composed.resolve() : (props as GpuClusterProps).plan;
    const site = plan.sites.find((s) => s.name === (composed?.site ?? (props as GpuClusterProps).site.name))!;
    const fabric = composed ? composed.network : (props as GpuClusterProps).fabric;
    this.kubernetesVersion = plan.kubernetes.version;
    const name = eksClusterName(plan, site.name);
    const k8s = plan.kubernetes;
    const key = new KmsKey(this, 'secrets-key', {
      description: `EKS secrets of ${name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    const clusterRole = new IamRole(this, 'cluster-role', {
      name: iamRoleName(plan, site.name, 'cluster'),
      assumeRolePolicy: assume('eks.amazonaws.com'),
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, 'cluster-policy', {
      role: clusterRole.name,
      policyArn: managed('AmazonEKSClusterPolicy'),
    });
    this.nodeRole = new IamRole(this, 'node-role', {
      name: iamRoleName(plan, site.name, 'node'),
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
        subnetIds: fabric.controlPlaneSubnetIds,
        securityGroupIds: [fabric.nodeSecurityGroupIds[0]],
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
    for (const addon of BEFORE_COMPUTE)
      this.beforeCompute.push(
        this.addon(addon, k8s.version, {
          ...(addon === 'vpc-cni'
            ? { configurationValues: JSON.stringify({ env: vpcCniEnv(site.fabrics) }) }
            : {}),
        }),
      );

    const systemTemplate = new LaunchTemplate(this, 'system-launch-template', {
      name: `${name}-system`,
      description: `gigawatt system nodes of ${name}`,
      updateDefaultVersion: true,
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: { volumeSize: 100, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' },
        },
      ],
      // The fabric's node security group, as the accelerator nodes have: nodes, pods and the control plane
      // reach each other (DNS to CoreDNS, webhooks) through its all-traffic rule to itself.
      vpcSecurityGroupIds: [fabric.nodeSecurityGroupIds[0]],
      tags: { [LABEL_ROLE]: 'system' },
    });
    const system = k8s.systemNodes;
    this.systemNodeGroup = new EksNodeGroup(this, 'system-nodes', {
      clusterName: this.cluster.name,
      nodeGroupName: 'system',
      nodeRoleArn: this.nodeRole.arn,
      subnetIds: fabric.systemSubnetIds,
      version: k8s.version,
      amiType: 'AL2023_x86_64_STANDARD',
      instanceTypes: [...system.instanceTypes],
      capacityType: 'ON_DEMAND',
      scalingConfig: { minSize: system.count, desiredSize: system.count, maxSize: system.count + 1 },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: systemTemplate.id, version: `${systemTemplate.latestVersion}` },
      labels: { [LABEL_ROLE]: 'system' },
      dependsOn: [...this.nodePolicies, ...this.beforeCompute],
    });
    // The other add-ons run pods: they wait for the system nodes (terraform-aws-eks main.tf, aws_eks_addon
    // .this depends on the node groups), or CoreDNS stays Pending and its add-on times out.
    for (const addon of ADDONS.filter((a) => !BEFORE_COMPUTE.includes(a)))
      this.addon(addon, k8s.version, { dependsOn: [this.systemNodeGroup] });

    for (const arn of k8s.admins) {
      const id = `admin-${arn.replace(/[^A-Za-z0-9]+/g, '-')}`;
      const entry = new EksAccessEntry(this, id, {
        clusterName: this.cluster.name,
        principalArn: arn,
        type: 'STANDARD',
      });
      new EksAccessPolicyAssociation(this, `${id}-policy`, {
        clusterName: this.cluster.name,
        principalArn: entry.principalArn,
        policyArn: CLUSTER_ADMIN_POLICY,
        accessScope: { type: 'cluster' },
      });
    }
    if (hybrid.length) {
      const hybridRole = new IamRole(this, 'hybrid-node-role', {
        name: iamRoleName(plan, site.name, 'hybrid'),
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
    if (!composed)
      validateWithRules(this, plan, [`sites.${site.name}`, ...hybrid.map((s) => `sites.${s.name}`)]);
  }

  /**
   * Add an accelerator pool to a cluster composed in code (`GpuClusterOptions`): its launch template and
   * node groups, in the cluster's network. Its rules run with the cluster's at synth.
   */
  addPool(id: string, options: PoolOptions): AcceleratorPool {
    if (!this.composed)
      throw new Error(
        `GpuCluster ${this.node.path} was built from a plan: add pools to the plan, not with addPool.`,
      );
    return this.composed.addPool(this, id, options);
  }

  /**
   * An EKS cluster the team already has, for pools to join (`addPool`): nothing of the cluster is created
   * or changed; its pools' node groups name it and its node role. The pools and these attributes make a
   * one-site plan whose every rule runs at synth, as for a cluster composed with `GpuClusterOptions`.
   */
  static fromClusterAttributes(scope: Construct, id: string, attrs: GpuClusterAttributes): IGpuCluster {
    return new ImportedGpuCluster(scope, id, attrs);
  }

  /**
   * An EKS add-on at the version the catalog pins for the cluster's Kubernetes version (the EKS user
   * guide's version tables), or else at the version EKS makes the default for it, read at plan time as
   * terraform-aws-eks does (`data "aws_eks_addon_version"`). Either way a Kubernetes bump updates the add-on
   * with the control plane. gigawatt owns these add-ons on a cluster it creates, so conflicts with the
   * self-managed copies EKS installs at creation are overwritten, on create and on update.
   */
  private addon(name: string, kubernetesVersion: string, config: Partial<EksAddonConfig>): EksAddon {
    const pinned = eksAddonVersion(name, kubernetesVersion);
    const version =
      pinned ??
      new DataAwsEksAddonVersion(this, `addon-${name}-version`, { addonName: name, kubernetesVersion })
        .version;
    return new EksAddon(this, `addon-${name}`, {
      clusterName: this.cluster.name,
      addonName: name,
      addonVersion: version,
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      ...config,
    });
  }
}

/** An EKS cluster gigawatt did not create (`GpuCluster.fromClusterAttributes`). */
export interface GpuClusterAttributes {
  /** Name of the EKS cluster, as EKS knows it. */
  readonly clusterName: string;
  /** ARN of the IAM role the pools' nodes run as (it needs the EKS worker, CNI and ECR pull policies). */
  readonly nodeRoleArn: string;
  /** Kubernetes minor version of the control plane, e.g. "1.33": the node groups follow it. */
  readonly kubernetesVersion: string;
  /** AWS region of the cluster, e.g. us-east-1. */
  readonly region: string;
  /** The network whose node subnets and security groups the pools use (`NetworkFabric.fromExisting`). */
  readonly network: INetworkFabric;
  /**
   * Name of the plan the pools make (a DNS label): findings and launch-template names use it.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * The site's name in findings.
   * @default the region
   */
  readonly site?: string;
  /**
   * Running On-Demand vCPU quotas per instance family (P, G, Trn, Inf) in the region.
   * @default none checked
   */
  readonly quotas?: SiteSpec['quotas'];
  /**
   * Spot vCPU quotas per instance family.
   * @default none checked
   */
  readonly spotQuotas?: SiteSpec['spotQuotas'];
  /**
   * Capacity Blocks and On-Demand Capacity Reservations the pools draw from.
   * @default none
   */
  readonly reservations?: readonly ReservationOptions[];
}

/** What a one-site plan composed in code is made of (GpuClusterOptions, GpuClusterAttributes). */
type CompositionOptions = Pick<
  GpuClusterOptions,
  | 'region'
  | 'site'
  | 'kubernetesVersion'
  | 'network'
  | 'quotas'
  | 'spotQuotas'
  | 'reservations'
  | 'kubernetes'
>;

/**
 * The one-site plan a cluster composed in code or imported stands for; `addPool` adds its pools. Every rule
 * runs on the whole plan, pools included, once they are all added: a validation on the cluster construct.
 */
class Composition {
  readonly spec: ClusterPlan;
  readonly site: string;
  readonly network: INetworkFabric;

  constructor(
    private readonly owner: Construct,
    o: CompositionOptions,
    name: string,
  ) {
    this.site = o.site ?? o.region;
    this.network = o.network;
    this.spec = {
      apiVersion: 'gigawatt/v1alpha1',
      kind: 'ClusterPlan',
      metadata: { name },
      sites: [
        {
          name: this.site,
          provider: 'aws',
          region: o.region,
          ...(o.quotas ? { quotas: o.quotas } : {}),
          ...(o.spotQuotas ? { spotQuotas: o.spotQuotas } : {}),
        },
      ],
      fabrics: [
        {
          name: o.network.fabricName,
          site: this.site,
          vpcCidr: o.network.vpcCidr,
          availabilityZone: o.network.availabilityZone,
        },
      ],
      ...(o.reservations ? { reservations: o.reservations.map((r) => ({ site: this.site, ...r })) } : {}),
      pools: [],
      kubernetes: { ...o.kubernetes, version: o.kubernetesVersion },
    } as ClusterPlan;
    owner.node.addValidation({ validate: () => this.findings() });
  }

  resolve(): ResolvedPlan {
    return resolvePlan(this.spec, new PlanSource('<construct>'));
  }

  addPool(cluster: IGpuCluster, id: string, options: PoolOptions): AcceleratorPool {
    this.spec.pools.push({ ...options, name: id, site: this.site, fabric: this.network.fabricName });
    const plan = this.resolve();
    const pool = plan.pools.find((p) => p.name === id)!;
    return new AcceleratorPool(this.owner, `pool-${id}`, {
      plan,
      pool,
      cluster,
      fabric: this.network,
      validate: false,
    });
  }

  /**
   * The unwaived errors of the composed plan, as `[RULE] where: message Fix: hint` (what `cdktf synth`
   * reports; its warnings become warning annotations), `where` in the words of the props and `addPool`
   * calls rather than of the plan built from them.
   */
  private findings(): string[] {
    const r = validateValue(this.spec, `${this.owner.constructor.name} ${this.owner.node.path}`);
    return reportFindings(this.owner, r.diagnostics, (d) => {
      // Schema messages start with their plan path: say it once, in the props' words.
      const message =
        d.path && d.message.startsWith(`${d.path}: `) ? d.message.slice(d.path.length + 2) : d.message;
      const where = d.path && d.path !== '(plan)' ? `${this.propPath(d.path)}: ` : '';
      return findingLine(d, `${where}${message}`);
    });
  }

  /** A path of the composed plan as the props that made it: `addPool('h100').instances`, `quotas.P`. */
  private propPath(path: string): string {
    const pool = /^pools\[(\d+)\]/.exec(path);
    if (pool) {
      const name = this.spec.pools[Number(pool[1])]?.name;
      return name === undefined ? path : `addPool('${name}')${path.slice(pool[0].length)}`;
    }
    return (
      path
        .replace(/^sites\[0\]\.?/, '')
        .replace(/^fabrics\[0\]/, 'network')
        .replace(/^metadata\.name$/, 'name')
        .replace(/^kubernetes\.version$/, 'kubernetesVersion') || path
    );
  }
}

/** An EKS cluster gigawatt did not create: its attributes as given, and the pools added to it. */
class ImportedGpuCluster extends Construct implements IGpuCluster {
  readonly clusterName: string;
  readonly nodeRoleArn: string;
  readonly kubernetesVersion: string;
  /** The cluster's node role and add-ons are not in this app: nothing to wait for. */
  readonly nodeGroupDependencies: ITerraformDependable[] = [];
  private readonly composition: Composition;

  constructor(scope: Construct, id: string, attrs: GpuClusterAttributes) {
    super(scope, id);
    this.clusterName = attrs.clusterName;
    this.nodeRoleArn = attrs.nodeRoleArn;
    this.kubernetesVersion = attrs.kubernetesVersion;
    this.composition = new Composition(this, attrs, attrs.name ?? id);
  }

  addPool(id: string, options: PoolOptions): AcceleratorPool {
    return this.composition.addPool(this, id, options);
  }
}
