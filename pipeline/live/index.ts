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
} from '@aws-sdk/client-ec2';
import { GetServiceQuotaCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
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
}

const defaultClients: LiveClients = {
  ec2: (region) => new EC2Client({ region }),
  quotas: (region) => new ServiceQuotasClient({ region }),
};

const why = (err: unknown): string => {
  const e = err as { name?: string; message?: string };
  if (e?.name === 'CredentialsProviderError' || /credential/i.test(e?.message ?? ''))
    return 'no AWS credentials';
  if (/AccessDenied|UnauthorizedOperation|not authorized/i.test(`${e?.name} ${e?.message}`))
    return `permission denied (${e?.name})`;
  return `${e?.name ?? 'error'}: ${(e?.message ?? String(err)).split('\n')[0]}`;
};

export async function withLiveData(
  result: ValidationResult,
  clients: LiveClients = defaultClients,
): Promise<ValidationResult> {
  const plan = result.plan;
  if (!plan) return result;
  const spec = structuredClone(plan.spec) as ClusterPlan;
  const extra: Diagnostic[] = [];
  const skipped = (what: string, err: unknown, path = '(plan)') =>
    extra.push({
      rule: 'GW-LIVE-SKIPPED',
      severity: 'warning',
      path,
      file: result.file,
      message: `--live: ${what} was not checked: ${why(err)}.`,
      hint: 'Provide credentials with servicequotas:GetServiceQuota, ec2:DescribeInstanceTypeOfferings and ec2:DescribeCapacityReservations, or drop --live to use the plan’s declared numbers.',
    });

  for (const [siteIndex, site] of spec.sites.entries()) {
    if (site.provider !== 'aws' || !site.region) continue;
    const region = site.region;
    const pools = plan.pools.filter((p) => p.site?.index === siteIndex && p.kind === 'ec2');
    const families = [...new Set(pools.map((p) => p.instance!.quotaFamily))].sort();
    for (const market of ['onDemand', 'spot'] as const) {
      const key = market === 'spot' ? 'spotQuotas' : 'quotas';
      for (const fam of families) {
        try {
          const r = await clients
            .quotas(region)
            .send(new GetServiceQuotaCommand({ ServiceCode: 'ec2', QuotaCode: QUOTA_CODES[market][fam] }));
          const value = r.Quota?.Value;
          if (value !== undefined) site[key] = { ...(site[key] ?? {}), [fam]: Math.floor(value) };
        } catch (err) {
          skipped(
            `the ${market === 'spot' ? 'spot' : 'on-demand'} ${fam} vCPU quota in ${region}`,
            err,
            `sites[${siteIndex}].${key}`,
          );
        }
      }
    }
    for (const pool of pools) {
      const az = pool.spec.capacity?.availabilityZone ?? pool.fabric?.spec.availabilityZone;
      if (az) {
        try {
          const r = await clients.ec2(region).send(
            new DescribeInstanceTypeOfferingsCommand({
              LocationType: 'availability-zone',
              Filters: [
                { Name: 'instance-type', Values: [pool.typeName!] },
                { Name: 'location', Values: [az] },
              ],
            }),
          );
          if (!(r.InstanceTypeOfferings ?? []).length) {
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
          }
        } catch (err) {
          skipped(`whether ${pool.typeName} is offered in ${az}`, err, `pools[${pool.index}]`);
        }
      }
      const id = pool.spec.capacity?.reservationId;
      if (!id) continue;
      try {
        const r = await clients
          .ec2(region)
          .send(new DescribeCapacityReservationsCommand({ CapacityReservationIds: [id] }));
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
      } catch (err) {
        skipped(`capacity reservation ${id} of pool '${pool.name}'`, err, `pools[${pool.index}].capacity`);
      }
    }
  }
  const live = resolvePlan(spec, plan.source);
  return { file: result.file, plan: live, diagnostics: [...runRules(live), ...extra] };
}
