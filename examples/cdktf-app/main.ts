/**
 * A cdktf app that composes a gigawatt accelerator cluster on a VPC the team already has, through the
 * package's public API only (`gigawatt/constructs`). `cdktf synth` runs every rule of `gigawatt validate`
 * on the cluster and its pools and fails with the same rule ids (try `instances: 48`: the P quota).
 *
 *   npm install gigawatt cdktf @cdktf/provider-aws constructs
 *   npx cdktf synth        # with the cdktf.json beside this file
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { GpuCluster, NetworkFabric } from 'gigawatt/constructs';

const app = new App();
const stack = new TerraformStack(app, 'training');
new AwsProvider(stack, 'aws', { region: 'us-east-1' });

// The network exists already (another team's Terraform): gigawatt creates nothing in it but node groups.
const network = NetworkFabric.fromExisting(stack, 'network', {
  vpcId: 'vpc-0a1b2c3d4e5f60718',
  vpcCidr: '10.80.0.0/16',
  availabilityZone: 'us-east-1a',
  nodeSubnetIds: ['subnet-0a1b2c3d4e5f60711'],
  controlPlaneSubnetIds: ['subnet-0a1b2c3d4e5f60712', 'subnet-0a1b2c3d4e5f60713'],
  nodeSecurityGroupIds: ['sg-0a1b2c3d4e5f60714'],
});

const cluster = new GpuCluster(stack, 'cluster', {
  name: 'training',
  region: 'us-east-1',
  kubernetesVersion: '1.33',
  network,
  quotas: { P: 6144 }, // running On-Demand P vCPUs in the region: 32 x p5.48xlarge
  kubernetes: { admins: ['arn:aws:iam::111122223333:role/platform-admin'] },
});
const h100 = cluster.addPool('h100', {
  instanceType: 'p5.48xlarge',
  instances: 16,
  maxInstances: 32,
  capacity: { type: 'on-demand' },
  efa: true,
  labels: { team: 'research' },
});

new TerraformOutput(stack, 'cluster_name', { value: cluster.clusterName });
new TerraformOutput(stack, 'node_groups', { value: h100.nodeGroups.map((g) => g.nodeGroupName) });
app.synth();
