/**
 * One Terraform stack per site: an AWS site gets its fabrics, EKS cluster and pools; an on-prem site gets
 * its power envelope (and joins an AWS cluster as hybrid nodes through that cluster's stack). Construct ids
 * come from plan names, so Terraform addresses never depend on list positions.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { ResolvedPlan } from '../pipeline/model';
import { LOCAL_STATE_DIR, poolStackId, stateLocation } from '../pipeline/model/stacks';
import { AcceleratorPool } from './accelerator-pool';
import { App, LocalBackend, S3Backend, TerraformOutput, TerraformStack } from './cdk';
import { GpuCluster } from './gpu-cluster';
import { NetworkFabric } from './network-fabric';
import { PowerEnvelope } from './power-envelope';

export interface StackOptions {
  /**
   * Directory of the local Terraform state files (`<stack>.tfstate`), relative to each stack's directory.
   * It lies outside the synthesized output, so that re-synthesizing, synthesizing another plan, or the
   * cdktf CLI deleting orphaned stack directories never touches state; every stack directory is at the
   * same depth, so a pool stack's remote-state reference resolves to the site stack's file. Unused with
   * an S3 backend (`spec.backend`).
   * @default `../../../gigawatt.state/<plan name>`: beside the `cdktf.out` of a cdktf app
   */
  readonly localStateDir?: string;
  /**
   * The instant (epoch ms) the Terraform will be applied from: Capacity Block pools are sized for it
   * (`gigawatt synth --at`, default now).
   * @default - the plan's `asOf`; without one, before every Capacity Block
   */
  readonly at?: number;
  /**
   * Build only these sites' stacks (each with its pools' own stacks); a site's stacks refer to no other
   * site's, so synthesizing the sites apart writes the same files as synthesizing them together.
   * @default - every site of the plan
   */
  readonly sites?: readonly string[];
}

/** `localStateDir` for a stack written to `<out>/terraform/stacks/<id>/` (`gigawatt synth --out <out>`). */
export const gigawattStateDir = (planName: string) => `../../../../${LOCAL_STATE_DIR}/${planName}`;

function newStack(
  app: App,
  plan: ResolvedPlan,
  options: StackOptions,
  id: string,
  region?: string,
): TerraformStack {
  const stack = new TerraformStack(app, id);
  const state = stateLocation(plan, id);
  if (state.backend === 's3') {
    new S3Backend(stack, { bucket: state.bucket, region: state.region, key: state.key, encrypt: true });
    if (plan.spec.backend?.locking ?? true) stack.addOverride('terraform.backend.s3.use_lockfile', true);
  } else {
    // The stack's directory is <output>/stacks/<id>/, three levels below the directory state.path is from.
    const path =
      options.localStateDir !== undefined
        ? `${options.localStateDir}/${id}.tfstate`
        : `../../../${state.path}`;
    new LocalBackend(stack, { path });
  }
  if (region)
    new AwsProvider(stack, 'aws', {
      region,
      defaultTags: [{ tags: { 'gigawatt.dev/plan': plan.name, 'gigawatt.dev/stack': id } }],
    });
  return stack;
}

export function buildStacks(app: App, plan: ResolvedPlan, options: StackOptions = {}): TerraformStack[] {
  const stacks: TerraformStack[] = [];
  const only = options.sites && new Set(options.sites);
  for (const site of plan.sites) {
    if (only && !only.has(site.name)) continue;
    const stack = newStack(
      app,
      plan,
      options,
      site.name,
      site.provider === 'aws' ? site.spec.region : undefined,
    );
    stacks.push(stack);
    if (site.provider === 'onprem') {
      new PowerEnvelope(stack, 'power', { plan, site });
      continue;
    }
    // One VPC per site, the cluster's: the first fabric makes it, the others join it (site.vpcFabrics).
    const fabrics = new Map<string, NetworkFabric>();
    let first: NetworkFabric | undefined;
    for (const f of site.vpcFabrics) {
      const fabric = new NetworkFabric(stack, `fabric-${f.name}`, {
        plan,
        fabric: f,
        region: site.spec.region!,
        hostsCluster: !first,
        host: first,
      });
      first ??= fabric;
      fabrics.set(f.name, fabric);
    }
    if (!first) continue;
    const cluster = new GpuCluster(stack, 'cluster', { plan, site, fabric: first });
    new TerraformOutput(stack, 'cluster_name', {
      value: cluster.cluster.name,
      description: 'Name of the EKS cluster',
    });
    new TerraformOutput(stack, 'cluster_endpoint', {
      value: cluster.cluster.endpoint,
      description: 'Private API endpoint of the EKS cluster',
    });
    new TerraformOutput(stack, 'cluster_certificate_authority_data', {
      value: cluster.cluster.certificateAuthority.get(0).data,
      description: 'Base64 CA certificate of the EKS API (kubeconfig certificate-authority-data)',
    });
    new TerraformOutput(stack, 'cluster_security_group_id', {
      value: cluster.cluster.vpcConfig.clusterSecurityGroupId,
      description: 'Security group EKS created for the cluster',
    });
    new TerraformOutput(stack, 'node_security_group_id', {
      value: first.efaSecurityGroup.id,
      description:
        'Security group of the nodes and the control-plane interfaces (EFA: all traffic to itself)',
    });
    new TerraformOutput(stack, 'node_role_arn', {
      value: cluster.nodeRole.arn,
      description: 'IAM role of every node group of the cluster',
    });
    new TerraformOutput(stack, 'cluster_region', {
      value: site.spec.region!,
      description: 'AWS region of the cluster',
    });
    new TerraformOutput(stack, 'kubeconfig_command', {
      value: `aws eks update-kubeconfig --region ${site.spec.region!} --name ${cluster.cluster.name}`,
      description: 'Writes a kubeconfig entry for the cluster (needs an access entry: kubernetes.admins)',
    });
    for (const [name, f] of fabrics) {
      new TerraformOutput(stack, `vpc_${name.replace(/-/g, '_')}_id`, {
        value: f.vpc.id,
        description: `VPC of fabric ${name}`,
      });
      new TerraformOutput(stack, `subnet_${name.replace(/-/g, '_')}_nodes_id`, {
        value: f.nodeSubnet.id,
        description: `Node subnet of fabric ${name}`,
      });
    }
    for (const pool of site.pools.filter((p) => p.kind === 'ec2')) {
      const fabric = (pool.fabric && fabrics.get(pool.fabric.name)) ?? first;
      // A pool with `stack: own` gets a stack of its own; cdktf passes the cluster and subnet ids between
      // stacks as outputs and remote state, and the pool stack depends on the site stack.
      const id = poolStackId(pool);
      const scope = id === site.name ? stack : newStack(app, plan, options, id, site.spec.region);
      if (scope !== stack) stacks.push(scope);
      new AcceleratorPool(scope, `pool-${pool.name}`, { plan, pool, cluster, fabric, at: options.at });
    }
  }
  return stacks;
}
