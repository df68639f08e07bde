/**
 * `--live`: read vCPU quotas, instance-type offerings and capacity reservations from AWS (SDK v3) and
 * validate with them instead of the plan's declared numbers. Loaded only with --live, so plain
 * `gigawatt validate` never imports the AWS SDK. Whatever could not be read (no credentials, no
 * permission, API error) becomes a GW-LIVE-SKIPPED warning that says what was not checked: never a silent pass.
 */
import {
  DescribeCapacityReservationsCommand,
  DescribeInstanceTypeOfferingsCommand,
  EC2Client,
  type DescribeCapacityReservationsCommandOutput,
  type DescribeInstanceTypeOfferingsCommandOutput,
} from '@aws-sdk/client-ec2';
import {
  GetServiceQuotaCommand,
  ServiceQuotasClient,
  type GetServiceQuotaCommandOutput,
} from '@aws-sdk/client-service-quotas';
import type { QuotaFamily } from '../catalog';
import { resolvePlan } from '../model';
import type { ValidationResult } from '../run';
import { runRules } from '../rules/engine';
import type { ClusterPlan } from '../schema/plan-schema';
import type { Diagnostic } from '../util/diagnostic';

/** Service Quotas codes of the EC2 vCPU quotas per instance family ("Running On-Demand P instances", "All P Spot Instance Requests", ...). */
export const QUOTA_CODES: Record<'onDemand' | 'spot', Record<QuotaFamily, string>> = {
  onDemand: { P: 'L-417A185B', G: 'L-DB2E81BA', Trn: 'L-2C3B7624', Inf: 'L-1945791B' },
  spot: { P: 'L-7212CCBC', G: 'L-3819A6DF', Trn: 'L-6B0D517C', Inf: 'L-B5D1601B' },
};

export interface LiveClients {
  ec2(region: string): Pick<EC2Client, 'send'>;
  quotas(region: string): Pick<ServiceQuotasClient, 'send'>;
  /** Resolve the credentials every client shares, once; absent when the clients need none (tests). */
  credentials?(): Promise<unknown>;
}

/** Deadlines and concurrency of the --live calls. */
export interface LiveOptions {
  /** Deadline of all the calls of a run together (ms); default 60 s. */
  readonly deadlineMs?: number;
  /** Deadline of one call, its retries included (ms); default 10 s, never more than deadlineMs. */
  readonly callTimeoutMs?: number;
  /** Calls in flight at a time; default 8. */
  readonly concurrency?: number;
}

export const LIVE_DEFAULTS = { deadlineMs: 60_000, callTimeoutMs: 10_000, concurrency: 8 } as const;

/**
 * The AWS clients of a run: one per service and region, created on first use, sharing the credential
 * provider of the first one (the SDK's default chain, memoized), so credentials are resolved once per run,
 * not once per call. The per-call deadline is an AbortSignal on each `send` (SDK v3 HttpHandlerOptions);
 * the socket timeouts of the request handler back it up.
 */
export function awsClients(options: LiveOptions = {}): LiveClients {
  const timeout = Math.min(
    options.callTimeoutMs ?? LIVE_DEFAULTS.callTimeoutMs,
    options.deadlineMs ?? LIVE_DEFAULTS.deadlineMs,
  );
  const requestHandler = { connectionTimeout: timeout, requestTimeout: timeout };
  const ec2 = new Map<string, EC2Client>();
  const quotas = new Map<string, ServiceQuotasClient>();
  let first: EC2Client | undefined;
  const shared = () => (first ??= new EC2Client({ requestHandler })).config.credentials;
  return {
    ec2: (region) => {
      if (!ec2.has(region)) ec2.set(region, new EC2Client({ region, requestHandler, credentials: shared() }));
      return ec2.get(region)!;
    },
    quotas: (region) => {
      if (!quotas.has(region))
        quotas.set(region, new ServiceQuotasClient({ region, requestHandler, credentials: shared() }));
      return quotas.get(region)!;
    },
    credentials: () => shared()(),
  };
}

/** Why a call failed, in words. */
const why = (err: unknown): string => {
  const e = err as { name?: string; message?: string };
  if (e?.name === 'CredentialsProviderError' || /credential/i.test(e?.message ?? ''))
    return 'no AWS credentials';
  if (/AccessDenied|UnauthorizedOperation|not authorized/i.test(`${e?.name} ${e?.message}`))
    return `permission denied (${e?.name})`;
  return `${e?.name ?? 'error'}: ${(e?.message ?? String(err)).split('\n')[0]}`;
};

/** One AWS question: what it asks (for a skipped warning), the call, and what its answer changes. */
interface Call {
  readonly what: string;
  readonly path: string;
  readonly send: (signal: AbortSignal) => Promise<unknown>;
  /** Applies the answer to the plan; may add findings. Throws to skip (a missing reservation). */
  readonly apply: (answer: never) => void;
}

/** Run `jobs` with at most `limit` in flight; results in job order. */
async function bounded<T>(jobs: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array<T>(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, jobs.length)) }, worker));
  return out;
}

const seconds = (ms: number) => `${ms / 1000} s`;

/**
 * Validate with live AWS numbers. Every call has a deadline (`callTimeoutMs`) and all of them together one
 * more (`deadlineMs`); at most `concurrency` are in flight; credentials are resolved once, before any call,
 * and when they cannot be every question is reported as not checked without asking. A call that fails or
 * passes its deadline becomes a GW-LIVE-SKIPPED warning naming what was not checked. Answers are applied in
 * plan order, whatever order they arrive in, so the output is deterministic.
 */
export async function withLiveData(
  result: ValidationResult,
  clients: LiveClients = awsClients(),
  options: LiveOptions = {},
): Promise<ValidationResult> {
  const plan = result.plan;
  if (!plan) return result;
  const deadlineMs = options.deadlineMs ?? LIVE_DEFAULTS.deadlineMs;
  const callMs = Math.min(options.callTimeoutMs ?? LIVE_DEFAULTS.callTimeoutMs, deadlineMs);
  const spec = structuredClone(plan.spec) as ClusterPlan;
  const extra: Diagnostic[] = [];
  const skipped = (what: string, reason: string, path = '(plan)') =>
    extra.push({
      rule: 'GW-LIVE-SKIPPED',
      severity: 'warning',
      path,
      file: result.file,
      message: `--live: ${what} was not checked: ${reason}.`,
      hint: 'Provide credentials with servicequotas:GetServiceQuota, ec2:DescribeInstanceTypeOfferings and ec2:DescribeCapacityReservations, or drop --live to use the plan’s declared numbers.',
    });

  const calls: Call[] = [];
  for (const [siteIndex, site] of spec.sites.entries()) {
    if (site.provider !== 'aws' || !site.region) continue;
    const region = site.region;
    const pools = plan.pools.filter((p) => p.site?.index === siteIndex && p.kind === 'ec2');
    const families = [...new Set(pools.map((p) => p.instance!.quotaFamily))].sort();
    for (const market of ['onDemand', 'spot'] as const) {
      const key = market === 'spot' ? 'spotQuotas' : 'quotas';
      for (const fam of families)
        calls.push({
          what: `the ${market === 'spot' ? 'spot' : 'on-demand'} ${fam} vCPU quota in ${region}`,
          path: `sites[${siteIndex}].${key}`,
          send: (abortSignal) =>
            clients
              .quotas(region)
              .send(new GetServiceQuotaCommand({ ServiceCode: 'ec2', QuotaCode: QUOTA_CODES[market][fam] }), {
                abortSignal,
              }),
          apply: (r: GetServiceQuotaCommandOutput) => {
            const value = r.Quota?.Value;
            if (value !== undefined) site[key] = { ...(site[key] ?? {}), [fam]: Math.floor(value) };
          },
        });
    }
    for (const pool of pools) {
      const az = pool.spec.capacity?.availabilityZone ?? pool.fabric?.spec.availabilityZone;
      if (az)
        calls.push({
          what: `whether ${pool.typeName} is offered in ${az}`,
          path: `pools[${pool.index}]`,
          send: (abortSignal) =>
            clients.ec2(region).send(
              new DescribeInstanceTypeOfferingsCommand({
                LocationType: 'availability-zone',
                Filters: [
                  { Name: 'instance-type', Values: [pool.typeName!] },
                  { Name: 'location', Values: [az] },
                ],
              }),
              { abortSignal },
            ),
          apply: (r: DescribeInstanceTypeOfferingsCommandOutput) => {
            if ((r.InstanceTypeOfferings ?? []).length) return;
            const at = plan.source.locate(['pools', pool.index, 'instanceType']);
            extra.push({
              rule: 'GW-CAP-REGION',
              severity: 'error',
              path: `pools[${pool.index}].instanceType`,
              target: `pools.${pool.name}`,
              file: result.file,
              line: at?.line,
              col: at?.col,
              message: `Pool '${pool.name}': AWS does not offer ${pool.typeName} in ${az} (live DescribeInstanceTypeOfferings).`,
              hint: 'Choose an AZ where the type is offered.',
            });
          },
        });
      const id = pool.spec.capacity?.reservationId;
      if (!id) continue;
      calls.push({
        what: `capacity reservation ${id} of pool '${pool.name}'`,
        path: `pools[${pool.index}].capacity`,
        send: (abortSignal) =>
          clients
            .ec2(region)
            .send(new DescribeCapacityReservationsCommand({ CapacityReservationIds: [id] }), { abortSignal }),
        apply: (r: DescribeCapacityReservationsCommandOutput) => {
          const cr = r.CapacityReservations?.[0];
          if (!cr)
            throw Object.assign(new Error(`reservation ${id} not found`), {
              name: 'InvalidCapacityReservationId.NotFound',
            });
          // A declared reservation is described once (reservations[]); an older plan's inline one on the pool.
          const declared = pool.reservation?.declared ? pool.reservation.index! : undefined;
          const capacity: {
            instanceType?: string;
            availabilityZone?: string;
            instances?: number;
            start?: string;
            end?: string;
          } = declared !== undefined ? spec.reservations![declared] : spec.pools[pool.index].capacity!;
          if (cr.InstanceType) capacity.instanceType = cr.InstanceType;
          if (cr.AvailabilityZone) capacity.availabilityZone = cr.AvailabilityZone;
          if (cr.TotalInstanceCount !== undefined) capacity.instances = cr.TotalInstanceCount;
          if (cr.StartDate) capacity.start = new Date(cr.StartDate).toISOString();
          if (cr.EndDate) capacity.end = new Date(cr.EndDate).toISOString();
        },
      });
    }
  }

  const overall = AbortSignal.timeout(deadlineMs);
  const lateReason = `the --live deadline of ${seconds(deadlineMs)} for all calls passed`;
  const callReason = `no answer within ${seconds(callMs)}`;
  /** Run `f` under the overall deadline and one of its own; the reason when a deadline ended it. */
  const timed = async <T>(f: (signal: AbortSignal) => Promise<T>) => {
    const own = AbortSignal.timeout(callMs);
    const signal = AbortSignal.any([overall, own]);
    const deadline = () => (overall.aborted ? lateReason : own.aborted ? callReason : undefined);
    // The race ends the wait even if a client ignores the signal.
    const aborted = new Promise<never>((_, reject) =>
      signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
    );
    try {
      return { ok: true as const, value: await Promise.race([f(signal), aborted]) };
    } catch (error) {
      return { ok: false as const, error, deadline: deadline() };
    }
  };

  let noCredentials: string | undefined;
  if (calls.length && clients.credentials) {
    const c = await timed(() => clients.credentials!());
    if (!c.ok) noCredentials = c.deadline ? `${c.deadline} resolving AWS credentials` : why(c.error);
  }
  const answers = noCredentials
    ? calls.map(() => ({ ok: false as const, error: undefined, deadline: noCredentials }))
    : await bounded(
        calls.map(
          (c) => () =>
            overall.aborted
              ? Promise.resolve({ ok: false as const, error: undefined, deadline: lateReason })
              : timed(c.send),
        ),
        options.concurrency ?? LIVE_DEFAULTS.concurrency,
      );
  calls.forEach((call, i) => {
    const a = answers[i];
    try {
      if (!a.ok) throw a.error;
      (call.apply as (answer: unknown) => void)(a.value);
    } catch (err) {
      skipped(call.what, a.ok ? why(err) : (a.deadline ?? why(err)), call.path);
    }
  });
  const live = resolvePlan(spec, plan.source);
  return { file: result.file, plan: live, diagnostics: [...runRules(live), ...extra] };
}
