import type { Finding, Rule } from '../rule';
import { poolTarget } from '../rule';
import { awsPools } from '../select';

/** The instance type is offered where the pool runs, for its purchase path. */
export const capRegion: Rule = {
  id: 'GW-CAP-REGION',
  severity: 'error',
  category: 'capacity',
  title: 'The instance type is offered in the site region (and zone) for the pool’s purchase path',
  explanation:
    'AWS sells accelerator types in few regions, and Capacity Blocks in even fewer (P6e-GB200 only in the Dallas Local Zone). The catalog lists the Capacity Block regions and zones AWS documents; a Capacity Block outside them is an error. On-demand region lists are incomplete in public documents, so an unlisted region is a warning ("availability unknown"), never a silent pass. With --live the EC2 instance-type offerings replace the catalog.',
  relatedIds: ['ParallelCluster InstanceTypeValidator'],
  check(plan) {
    const out: Finding[] = [];
    for (const p of awsPools(plan)) {
      const region = p.site!.spec.region;
      if (!region) continue;
      const regions = p.instance!.regions;
      const target = poolTarget(p.name);
      const path = ['pools', p.index, 'instanceType'];
      if (p.capacityType === 'capacity-block') {
        const cb = regions?.capacityBlocks?.value;
        if (!cb)
          out.push({
            path,
            target,
            severity: 'warning',
            message: `Pool '${p.name}': no documented Capacity Block regions for ${p.typeName}; availability in ${region} is unknown.`,
            hint: 'Confirm with DescribeCapacityBlockOfferings (or run with --live).',
          });
        else if (!cb.includes(region))
          out.push({
            path,
            target,
            message: `Pool '${p.name}': ${p.typeName} Capacity Blocks are offered in ${cb.join(', ')}, not in ${region}.`,
            hint: `Move the pool to a site in ${cb.join(' or ')}.`,
          });
        const zones = regions?.capacityBlockZones?.value;
        const az = p.spec.capacity?.availabilityZone ?? p.fabric?.spec.availabilityZone;
        if (
          zones &&
          p.instance!.ultraServer &&
          az &&
          !zones.includes(az) &&
          zones.some((z) => z.startsWith(region))
        )
          out.push({
            path: ['pools', p.index, 'capacity'],
            target,
            message: `Pool '${p.name}': ${p.typeName} UltraServer Capacity Blocks are offered only in ${zones.join(', ')}, not ${az}.`,
            hint: `Use availabilityZone ${zones.filter((z) => z.startsWith(`${region}-`)).join(' or ')} (Local Zones need opt-in).`,
          });
      } else {
        // Offered in the region: listed for on-demand, sold there as Capacity Blocks, or priced in us-east-1.
        const known = [
          ...(regions?.onDemand?.value ?? []),
          ...(regions?.capacityBlocks?.value ?? []),
          ...(p.instance!.onDemandUsdPerHour ? ['us-east-1'] : []),
        ];
        if (!p.instance!.purchase?.capacityBlockOnly?.value && !known.includes(region))
          out.push({
            path,
            target,
            severity: 'warning',
            message: `Pool '${p.name}': availability of ${p.typeName} in ${region} is not documented in the catalog; not checked.`,
            hint: 'Confirm with DescribeInstanceTypeOfferings for the AZ (or run with --live).',
          });
      }
    }
    return out;
  },
};
