/** --live with aws-sdk-client-mock: live numbers replace declared ones; missing access warns, never passes silently. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  DescribeCapacityReservationsCommand,
  DescribeInstanceTypeOfferingsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { GetServiceQuotaCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { mockClient } from 'aws-sdk-client-mock';
import { withLiveData } from '../pipeline/live';
import { check, ROOT } from './helpers';

const plan = `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: live }
sites: [{ name: ohio, provider: aws, region: us-east-2, quotas: { P: 100000 } }]
fabrics: [{ name: f, site: ohio, vpcCidr: 10.0.0.0/16, availabilityZone: us-east-2b }]
pools:
  - { name: h100, site: ohio, fabric: f, instanceType: p5.48xlarge, instances: 16 }
  - { name: cb, site: ohio, fabric: f, instanceType: p5.48xlarge, instances: 8, capacity: { type: capacity-block, reservationId: cr-0123456789abcdef0, instances: 8 } }
`;

const ec2 = mockClient(EC2Client);
const sq = mockClient(ServiceQuotasClient);
const clients = {
  ec2: () => new EC2Client({ region: 'us-east-2' }),
  quotas: () => new ServiceQuotasClient({ region: 'us-east-2' }),
};
beforeEach(() => {
  ec2.reset();
  sq.reset();
});

test('the live quota replaces the declared one, and the whole plan is checked against it', async () => {
  sq.on(GetServiceQuotaCommand).resolves({ Quota: { Value: 2048 } });
  ec2
    .on(DescribeInstanceTypeOfferingsCommand)
    .resolves({ InstanceTypeOfferings: [{ InstanceType: 'p5.48xlarge', Location: 'us-east-2b' }] });
  ec2.on(DescribeCapacityReservationsCommand).resolves({
    CapacityReservations: [
      { InstanceType: 'p5.48xlarge', AvailabilityZone: 'us-east-2b', TotalInstanceCount: 4 },
    ],
  });
  const r = await withLiveData(check(plan), clients);
  const msgs = r.diagnostics.map((d) => `${d.rule}: ${d.message}`);
  expect(msgs).toContainEqual(
    expect.stringMatching(
      /GW-CAP-QUOTA: .*on-demand P instances need 3,072 vCPUs \(h100 3,072\) but the quota is 2,048/,
    ),
  );
  expect(msgs).toContainEqual(
    expect.stringMatching(/GW-CAP-BLOCK: Pool 'cb': 8 instances but the Capacity Block holds 4/),
  );
  expect(
    sq
      .commandCalls(GetServiceQuotaCommand)
      .map((c) => c.args[0].input.QuotaCode)
      .sort(),
  ).toEqual(['L-417A185B', 'L-7212CCBC']);
});

test('a type not offered in the AZ is an error', async () => {
  sq.on(GetServiceQuotaCommand).resolves({ Quota: { Value: 100000 } });
  ec2.on(DescribeInstanceTypeOfferingsCommand).resolves({ InstanceTypeOfferings: [] });
  ec2.on(DescribeCapacityReservationsCommand).resolves({
    CapacityReservations: [
      { InstanceType: 'p5.48xlarge', AvailabilityZone: 'us-east-2b', TotalInstanceCount: 8 },
    ],
  });
  const r = await withLiveData(check(plan), clients);
  expect(
    r.diagnostics.filter((d) => d.rule === 'GW-CAP-REGION' && d.severity === 'error').map((d) => d.message),
  ).toContain(
    "Pool 'h100': AWS does not offer p5.48xlarge in us-east-2b (live DescribeInstanceTypeOfferings).",
  );
});

test('missing credentials or permissions give warnings naming what was not checked', async () => {
  sq.on(GetServiceQuotaCommand).rejects(
    Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    }),
  );
  ec2
    .on(DescribeInstanceTypeOfferingsCommand)
    .rejects(Object.assign(new Error('You are not authorized'), { name: 'UnauthorizedOperation' }));
  ec2
    .on(DescribeCapacityReservationsCommand)
    .rejects(Object.assign(new Error('You are not authorized'), { name: 'UnauthorizedOperation' }));
  const r = await withLiveData(check(plan), clients);
  const skipped = r.diagnostics.filter((d) => d.rule === 'GW-LIVE-SKIPPED');
  expect(skipped.every((d) => d.severity === 'warning')).toBe(true);
  expect(skipped.map((d) => d.message)).toEqual(
    expect.arrayContaining([
      '--live: the on-demand P vCPU quota in us-east-2 was not checked: no AWS credentials.',
      '--live: whether p5.48xlarge is offered in us-east-2b was not checked: permission denied (UnauthorizedOperation).',
      "--live: capacity reservation cr-0123456789abcdef0 of pool 'cb' was not checked: permission denied (UnauthorizedOperation).",
    ]),
  );
});

test('gigawatt validate without --live never loads cdktf, Pulumi or the AWS SDK', () => {
  const r = spawnSync(
    process.execPath,
    [
      '-r',
      join(ROOT, 'test/fixtures/load-hook.js'),
      join(ROOT, 'bin/gigawatt'),
      'validate',
      'examples/frontier.yaml',
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  expect(r.status).toBe(0);
  const loaded: string[] = JSON.parse(r.stderr.split('LOADED ')[1]);
  expect(loaded.length).toBeGreaterThan(10);
  expect(loaded.filter((m) => /cdktf|@pulumi|@aws-sdk|constructs$/.test(m))).toEqual([]);
});
