/**
 * A cdktf app that composes a gigawatt accelerator cluster on a VPC the team already has, through the
 * package's public API only (`gigawatt/constructs`). `cdktf synth` runs every rule of `gigawatt validate`
 * on the cluster and its pools and fails with the same rule ids (try `instances: 48` for the H100 pool:
 * the P quota; or 14 for the Trainium pool: not a whole number of UltraServers).
 *
 *   npm install gigawatt cdktf @cdktf/provider-aws constructs
 *   npx cdktf synth        # with the cdktf.json beside this file
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { GpuCluster, NetworkFabric } from 'gigawatt/constructs';

const app = new App();
const stack = new TerraformStack(app, 'training');
new AwsProvider(stack, 'aws', { region: 'us-east-2' });

// The network exists already (another team's Terraform): gigawatt creates nothing in it but node groups.
const network = NetworkFabric.fromExisting(stack, 'network', {
  vpcId: 'vpc-0a1b2c3d4e5f60718',
  vpcCidr: '10.80.0.0/16',
  availabilityZone: 'us-east-2b',
  nodeSubnetIds: ['subnet-0a1b2c3d4e5f60711'],
  controlPlaneSubnetIds: ['subnet-0a1b2c3d4e5f60712', 'subnet-0a1b2c3d4e5f60713'],
  nodeSecurityGroupIds: ['sg-0a1b2c3d4e5f60714'],
});

const cluster = new GpuCluster(stack, 'cluster', {
  name: 'training',
  region: 'us-east-2',
  kubernetesVersion: '1.33',
  network,
  // Running On-Demand vCPUs in the region: 32 x p5.48xlarge, 16 x trn2u.48xlarge.
  quotas: { P: 6144, Trn: 3072 },
  // A Capacity Block of four Trn2 UltraServers (trn2u Capacity Blocks are sold in us-east-2 only).
  reservations: [
    {
      id: 'cr-0abc1234def567890',
      type: 'capacity-block',
      instanceType: 'trn2u.48xlarge',
      instances: 16,
      availabilityZone: 'us-east-2b',
      start: '2027-01-04T11:30:00Z',
      end: '2027-01-18T11:30:00Z',
    },
  ],
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
const trainium = cluster.addPool('trn2-ultra', {
  instanceType: 'trn2u.48xlarge',
  instances: 16, // four UltraServers of 4 instances
  capacity: { type: 'capacity-block', reservationId: 'cr-0abc1234def567890' },
});

new TerraformOutput(stack, 'cluster_name', { value: cluster.clusterName });
new TerraformOutput(stack, 'node_groups', {
  value: [...h100.nodeGroups, ...trainium.nodeGroups].map((g) => g.nodeGroupName),
});
app.synth();
