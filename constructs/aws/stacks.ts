/**
 * One Terraform stack per site: an AWS site gets its fabrics, EKS cluster and pools; an on-prem site gets
 * its power envelope (and joins an AWS cluster as hybrid nodes through that cluster's stack). Construct ids
 * come from plan names, so Terraform addresses never depend on list positions.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { ResolvedPlan } from '../model';
import { AcceleratorPool } from './accelerator-pool';
import { App, LocalBackend, S3Backend, TerraformOutput, TerraformStack } from './cdk';
import { GpuCluster } from './gpu-cluster';
import { NetworkFabric } from './network-fabric';
import { PowerEnvelope } from './power-envelope';

export function buildStacks(app: App, plan: ResolvedPlan): TerraformStack[] {
  const stacks: TerraformStack[] = [];
  const backend = plan.spec.backend;
  for (const site of plan.sites) {
    const stack = new TerraformStack(app, site.name);
    stacks.push(stack);
    if (backend) {
      new S3Backend(stack, {
        bucket: backend.bucket,
        region: backend.region,
        key: `${backend.keyPrefix ?? 'gigawatt'}/${plan.name}/${site.name}.tfstate`,
        encrypt: true,
      });
      if (backend.locking ?? true) stack.addOverride('terraform.backend.s3.use_lockfile', true);
    } else new LocalBackend(stack, { path: `terraform.${site.name}.tfstate` });

    if (site.provider === 'onprem') {
      new PowerEnvelope(stack, 'power', { plan, site });
      continue;
    }
    new AwsProvider(stack, 'aws', {
      region: site.spec.region,
      defaultTags: [{ tags: { 'gigawatt.dev/plan': plan.name, 'gigawatt.dev/site': site.name } }],
    });
    const fabrics = new Map(
      site.fabrics
        .filter((f) => f.spec.vpcCidr)
        .map((f) => [
          f.name,
          new NetworkFabric(stack, `fabric-${f.name}`, { plan, fabric: f, region: site.spec.region! }),
        ]),
    );
    const first = [...fabrics.values()][0];
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
      new AcceleratorPool(stack, `pool-${pool.name}`, { plan, pool, cluster, fabric });
    }
  }
  return stacks;
}
