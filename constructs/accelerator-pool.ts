import { AutoscalingSchedule } from '@cdktf/provider-aws/lib/autoscaling-schedule';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { PlacementGroup } from '@cdktf/provider-aws/lib/placement-group';
import type { ResolvedPlan, ResolvedPool } from '../pipeline/model';
import { capacityBlockScaling } from '../pipeline/model/capacity-block';
import { efaInterfaceLayout } from '../pipeline/model/efa';
import { acceleratorKind, poolNodeLabels, poolNodeTaints } from '../pipeline/model/labels';
import { nodeGroupSizes, ownPlacementGroup } from '../pipeline/model/node-groups';
import { Construct, TerraformStack } from './cdk';
import type { IGpuCluster, INetworkFabric } from './interfaces';
import { validateWithRules } from './validation';

export interface AcceleratorPoolProps {
  /** The resolved plan (`validate(text).plan` from `gigawatt`) whose rules run on this construct at synth. */
  readonly plan: ResolvedPlan;
  /** The pool from the plan (type, count, capacity, EFA, placement). */
  readonly pool: ResolvedPool;
  /** The cluster whose node groups these are (`GpuCluster`, or an imported cluster). */
  readonly cluster: IGpuCluster;
  /** The network whose node subnets, security groups and placement the node groups use. */
  readonly fabric: INetworkFabric;
  /**
   * Root volume size (GiB).
   * @default 500
   */
  readonly rootVolumeGiB?: number;
  /**
   * Report the rules' findings about the pool at synth; false when the construct that adds the pool
   * validates the whole plan (`GpuCluster.addPool`).
   * @default true
   */
  readonly validate?: boolean;
  /**
   * The instant (epoch ms) the Terraform will be applied from: a Capacity Block pool gets the sizes and the
   * scheduled actions of that instant (`capacityBlockScaling`), since AWS rejects actions in the past.
   * @default - the plan's `asOf`; without one, before every block (both scheduled actions)
   */
  readonly at?: number;
}

/** nodeadm user data (MIME multipart, merged by EKS with its own) that sets the kubelet's max pods. */
export function maxPodsUserData(maxPods: number): string {
  const doc = [
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="//"',
    '',
    '--//',
    'Content-Type: application/node.eks.aws',
    '',
    '---',
    'apiVersion: node.eks.aws/v1alpha1',
    'kind: NodeConfig',
    'spec:',
    '  kubelet:',
    '    config:',
    `      maxPods: ${maxPods}`,
    '',
    '--//--',
    '',
  ].join('\n');
  return Buffer.from(doc).toString('base64');
}

/**
 * EKS AMI type for the pool's accelerator and the CPU architecture the catalog gives its instance type
 * (EKS AMI types: AL2023_x86_64_NEURON is the only Neuron one; NVIDIA has x86-64 and ARM-64).
 */
export function amiType(pool: ResolvedPool): string {
  if (acceleratorKind(pool) === 'neuron') return 'AL2023_x86_64_NEURON';
  return pool.architecture === 'arm64' ? 'AL2023_ARM_64_NVIDIA' : 'AL2023_x86_64_NVIDIA';
}

/** The placement group an ODCR pool's reservation was created in (reservations[].placementGroup). */
function odcrPlacementGroup(plan: ResolvedPlan, pool: ResolvedPool): string | undefined {
  const id = pool.spec.capacity?.reservationId;
  return pool.capacityType === 'odcr' && id ? plan.reservationById.get(id)?.spec?.placementGroup : undefined;
}

/**
 * One accelerator pool: a launch template with the type's EFA interface layout (primary ENA on card 0,
 * one efa-only interface per network card), IMDSv2 only with a hop limit of 1 (pods use EKS Pod Identity,
 * not the node's metadata), an encrypted gp3 root volume, the capacity reservation or Capacity Block
 * market, and managed node groups of at most 450 nodes carrying the pool's labels and taints.
 */
export class AcceleratorPool extends Construct {
  readonly launchTemplate: LaunchTemplate;
  readonly nodeGroups: EksNodeGroup[] = [];

  constructor(scope: Construct, id: string, props: AcceleratorPoolProps) {
    super(scope, id);
    const { pool, cluster, fabric } = props;
    const instance = pool.instance!;
    const cap = pool.spec.capacity;
    const layout = pool.efa
      ? efaInterfaceLayout(instance)
      : [{ networkCardIndex: 0, deviceIndex: 0, interfaceType: 'interface' as const }];
    // The fabric's group for the pool; on a network gigawatt did not create, the pool makes its own.
    const placement =
      fabric.placementGroupName(pool.name) ??
      odcrPlacementGroup(props.plan, pool) ??
      (ownPlacementGroup(pool)
        ? new PlacementGroup(this, 'placement', {
            name: `${props.plan.name}-${pool.name}`,
            strategy: 'cluster',
            tags: { 'gigawatt.dev/pool': pool.name },
          }).name
        : undefined);
    const reservation =
      cap?.reservationId && (cap.type === 'capacity-block' || cap.type === 'odcr')
        ? cap.reservationId
        : undefined;
    this.launchTemplate = new LaunchTemplate(this, 'launch-template', {
      name: `${props.plan.name}-${pool.name}`,
      // Nothing in a launch template may vary with the pool's size: any change creates a new version, which
      // node groups following latest_version roll node by node (terraform-provider-aws #22264, #43559).
      description: `gigawatt pool ${pool.name}: ${pool.typeName}`,
      updateDefaultVersion: true,
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: {
            volumeSize: props.rootVolumeGiB ?? 500,
            volumeType: 'gp3',
            encrypted: 'true',
            deleteOnTermination: 'true',
          },
        },
      ],
      networkInterfaces: layout.map((slot) => ({
        networkCardIndex: slot.networkCardIndex,
        deviceIndex: slot.deviceIndex,
        interfaceType: slot.interfaceType === 'efa-only' ? 'efa-only' : undefined,
        securityGroups: fabric.nodeSecurityGroupIds,
        deleteOnTermination: 'true',
        associatePublicIpAddress: 'false',
      })),
      ...(reservation
        ? {
            capacityReservationSpecification: {
              capacityReservationTarget: { capacityReservationId: reservation },
            },
          }
        : {}),
      ...(cap?.type === 'capacity-block' ? { instanceMarketOptions: { marketType: 'capacity-block' } } : {}),
      ...(placement ? { placement: { groupName: placement } } : {}),
      ...(pool.fabric?.spec.maxPodsPerNode
        ? { userData: maxPodsUserData(pool.fabric.spec.maxPodsPerNode) }
        : {}),
      tagSpecifications: [{ resourceType: 'instance', tags: { 'gigawatt.dev/pool': pool.name } }],
      tags: { 'gigawatt.dev/pool': pool.name },
    });
    const capacityType =
      cap?.type === 'capacity-block' ? 'CAPACITY_BLOCK' : cap?.type === 'spot' ? 'SPOT' : 'ON_DEMAND';
    const sizes = nodeGroupSizes(pool);
    // Node groups wait for the node role's policies (create) and go before them (destroy). A pool in a
    // stack of its own is applied after the site stack, which already holds the attachments.
    const sameStack = TerraformStack.of(this) === TerraformStack.of(cluster);
    const dependsOn = sameStack ? cluster.nodeGroupDependencies : [];
    // A Capacity Block pool is sized by its window as of the apply instant (the model decides: desired 0
    // before the block, its size once active, 0 from the scale-down time); Terraform ignores desired_size
    // so that it never fights the scheduled actions.
    const scaling = capacityBlockScaling(props.plan, pool, props.at ?? props.plan.asOf);
    sizes.forEach((size, i) => {
      // Always numbered: growing past one node group adds <pool>-2 and never renames <pool>-1.
      const name = `${pool.name}-${i + 1}`;
      const group = new EksNodeGroup(this, `node-group-${name}`, {
        clusterName: cluster.clusterName,
        nodeGroupName: name,
        nodeRoleArn: cluster.nodeRoleArn,
        subnetIds: fabric.nodeSubnetIds,
        amiType: amiType(pool),
        // Node groups follow the cluster's Kubernetes version (terraform-aws-eks sets version =
        // var.kubernetes_version): a version bump upgrades the nodes too, one at a time.
        version: cluster.kubernetesVersion,
        // EKS node auto repair replaces nodes whose GPU or Neuron health checks fail
        // (terraform-aws-eks-blueprints patterns set node_repair_config); the eks-node-monitoring-agent
        // add-on a gigawatt cluster installs reports those checks (an imported cluster needs its own).
        nodeRepairConfig: { enabled: true },
        instanceTypes: [pool.typeName!],
        capacityType,
        // Accelerator capacity is static: the reservation or quota decides the size, not an autoscaler.
        // EKS needs maxSize >= 1: a group not yet filled on a plan date is min = desired = 0, max 1.
        scalingConfig: scaling
          ? {
              minSize: scaling.groups[i]!.minSize,
              maxSize: scaling.groups[i]!.maxSize,
              desiredSize: scaling.groups[i]!.desiredSize,
            }
          : { minSize: size, maxSize: Math.max(size, 1), desiredSize: size },
        ...(scaling ? { lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] } } : {}),
        // One node at a time: scarce GPU capacity has no spare instances to surge into.
        updateConfig: { maxUnavailable: 1 },
        launchTemplate: { id: this.launchTemplate.id, version: `${this.launchTemplate.latestVersion}` },
        labels: poolNodeLabels(pool),
        taint: poolNodeTaints(pool).map((t) => ({
          key: t.key,
          value: t.value,
          effect:
            t.effect === 'NoSchedule'
              ? 'NO_SCHEDULE'
              : t.effect === 'NoExecute'
                ? 'NO_EXECUTE'
                : 'PREFER_NO_SCHEDULE',
        })),
        tags: { 'gigawatt.dev/pool': pool.name },
        ...(dependsOn.length ? { dependsOn } : {}),
      });
      this.nodeGroups.push(group);
      if (!scaling) return;
      const asg = group.resources.get(0).autoscalingGroups.get(0).name;
      for (const action of scaling.groups[i]!.actions)
        new AutoscalingSchedule(this, `schedule-${name}-${action.id}`, {
          autoscalingGroupName: asg,
          scheduledActionName: `${name}-${action.id}`,
          startTime: action.at,
          minSize: action.minSize,
          maxSize: action.maxSize,
          desiredCapacity: action.desired,
        });
    });
    if (props.validate ?? true) validateWithRules(this, props.plan, [`pools.${pool.name}`]);
  }
}
