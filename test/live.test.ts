/** --live with aws-sdk-client-mock: live numbers replace declared ones; missing access warns, never passes silently. */
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import {
  DescribeCapacityReservationsCommand,
  DescribeInstanceTypeOfferingsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { GetServiceQuotaCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { mockClient } from 'aws-sdk-client-mock';
import { withLiveData } from '../pipeline/live';
import { CLI, check, ROOT } from './helpers';

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

describe('deadlines, concurrency and credentials', () => {
  /** Fake clients: each send waits for `answer` (never, by default) and counts calls in flight. */
  const fake = (o: { answer?: () => Promise<unknown>; credentials?: () => Promise<unknown> } = {}) => {
    const seen = { sends: 0, inFlight: 0, maxInFlight: 0, credentials: 0 };
    const send = async () => {
      seen.sends++;
      seen.inFlight++;
      seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
      try {
        return await (o.answer ? o.answer() : new Promise(() => {}));
      } finally {
        seen.inFlight--;
      }
    };
    const client = { send } as unknown as EC2Client & ServiceQuotasClient;
    return {
      seen,
      clients: {
        ec2: () => client,
        quotas: () => client,
        credentials: async () => {
          seen.credentials++;
          return (o.credentials ?? (async () => ({})))();
        },
      },
    };
  };
  /** 12 EC2 pools in one AZ: 2 quota calls and 12 offering calls. */
  const many = plan.replace(
    /pools:\n[\s\S]*$/,
    `pools:\n${Array.from({ length: 12 }, (_, i) => `  - { name: p${i}, site: ohio, fabric: f, instanceType: p5.48xlarge, instances: 1 }\n`).join('')}`,
  );
  const skippedOf = (r: { diagnostics: readonly { rule: string; message: string }[] }) =>
    r.diagnostics.filter((d) => d.rule === 'GW-LIVE-SKIPPED').map((d) => d.message);

  test('at most `concurrency` calls are in flight, credentials are resolved once, answers apply in plan order', async () => {
    const f = fake({
      answer: () => new Promise((done) => setTimeout(() => done({ Quota: { Value: 2048 } }), 5)),
    });
    const r = await withLiveData(check(many), f.clients, { concurrency: 3 });
    expect(f.seen).toEqual({ sends: 14, inFlight: 0, maxInFlight: 3, credentials: 1 });
    // Every offering answer was empty: one GW-CAP-REGION per pool, in pool order.
    expect(r.diagnostics.filter((d) => d.rule === 'GW-CAP-REGION').map((d) => d.target)).toEqual(
      Array.from({ length: 12 }, (_, i) => `pools.p${i}`),
    );
  });

  test('without credentials nothing is asked and every question says why', async () => {
    const f = fake({
      credentials: () =>
        Promise.reject(
          Object.assign(new Error('Could not load credentials from any providers'), {
            name: 'CredentialsProviderError',
          }),
        ),
    });
    const r = await withLiveData(check(many), f.clients);
    expect(f.seen.sends).toBe(0);
    expect(f.seen.credentials).toBe(1);
    const msgs = skippedOf(r);
    expect(msgs).toHaveLength(14);
    expect(msgs.every((m) => m.endsWith('was not checked: no AWS credentials.'))).toBe(true);
  });

  test('a call that never answers ends at its own deadline, the rest at the overall one', async () => {
    const f = fake();
    const r = await withLiveData(check(many), f.clients, {
      callTimeoutMs: 100,
      deadlineMs: 250,
      concurrency: 2,
    });
    const msgs = skippedOf(r);
    expect(msgs).toHaveLength(14);
    // The first calls hit their 0.1 s deadline; whatever was still queued when 0.25 s passed is not asked.
    expect(msgs[0]).toBe(
      '--live: the on-demand P vCPU quota in us-east-2 was not checked: no answer within 0.1 s.',
    );
    expect(msgs[13]).toBe(
      '--live: whether p5.48xlarge is offered in us-east-2b was not checked: the --live deadline of 0.25 s for all calls passed.',
    );
    expect(f.seen.sends).toBeLessThan(14);
  });

  test('gigawatt validate --live against an endpoint that accepts and never answers ends with the skipped checks', async () => {
    const sockets: Socket[] = [];
    const server = createServer((s) => sockets.push(s));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    try {
      const child = spawn(
        process.execPath,
        [CLI, 'validate', 'examples/p5-efa.yaml', '--live', '--live-deadline', '2', '--fail-on', 'warning'],
        {
          cwd: ROOT,
          env: {
            ...process.env,
            NO_COLOR: '1',
            AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
            AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
            AWS_SECRET_ACCESS_KEY: 'example',
            AWS_REGION: 'us-east-1',
          },
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const status = await new Promise<number | null>((done) => child.on('close', done));
      // It asked the endpoint (so the deadlines, not a refused connection, ended the calls)...
      expect(sockets.length).toBeGreaterThan(0);
      // ...and ended on its own with the documented exit code: 1, warnings at --fail-on warning.
      expect(status).toBe(1);
      expect(stdout).toContain(
        'GW-LIVE-SKIPPED  --live: the on-demand P vCPU quota in us-east-1 was not checked: the --live deadline of 2 s for all calls passed.',
      );
      expect(stdout).toContain(
        'GW-LIVE-SKIPPED  --live: whether p5.48xlarge is offered in us-east-1a was not checked: the --live deadline of 2 s for all calls passed.',
      );
      expect(stdout).toMatch(/✔ examples\/p5-efa\.yaml: 0 errors, 3 warnings/);
      expect(stderr).not.toMatch(/\n\s+at .*:\d+:\d+\)?/);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((done) => server.close(done));
    }
  }, 60000);
});
