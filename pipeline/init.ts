/**
 * `gigawatt init`: a starter plan from command-line flags. Pure text; the command validates it before
 * writing, so a starter that would fail `gigawatt validate` is never written.
 */
import { stringify } from 'yaml';

export interface InitOptions {
  readonly name: string;
  readonly provider: 'aws' | 'onprem';
  readonly region: string;
  readonly availabilityZone?: string;
  readonly instanceType: string;
  readonly instances: number;
  readonly system: string;
  readonly nodes: number;
  readonly utilityMW: number;
  readonly pue: number;
  readonly racks: number;
  readonly rackKW: number;
  readonly rackUnits: number;
  readonly cooling: 'air' | 'liquid' | 'hybrid';
}

/** The starter plan's YAML text (with a schema line for editors). */
export function starterPlan(o: InitOptions, schemaRef: string): string {
  const site = o.provider === 'aws' ? o.region : 'dc';
  const plan =
    o.provider === 'aws'
      ? {
          apiVersion: 'gigawatt/v1alpha1',
          kind: 'ClusterPlan',
          metadata: { name: o.name },
          sites: [{ name: site, provider: 'aws', region: o.region }],
          fabrics: [
            {
              name: `${site}-efa`,
              site,
              vpcCidr: '10.64.0.0/16',
              availabilityZone: o.availabilityZone ?? `${o.region}a`,
            },
          ],
          pools: [
            {
              name: 'gpu',
              site,
              fabric: `${site}-efa`,
              instanceType: o.instanceType,
              instances: o.instances,
            },
          ],
          kubernetes: { endpoint: 'private' },
        }
      : {
          apiVersion: 'gigawatt/v1alpha1',
          kind: 'ClusterPlan',
          metadata: { name: o.name },
          sites: [
            {
              name: site,
              provider: 'onprem',
              power: { utilityMW: o.utilityMW, redundancy: 'N', feeds: 1, pue: o.pue },
              halls: [
                {
                  name: 'hall-a',
                  racks: o.racks,
                  rackKW: o.rackKW,
                  cooling: o.cooling,
                  rackUnits: o.rackUnits,
                },
              ],
            },
          ],
          fabrics: [
            {
              name: `${site}-ib`,
              site,
              topology: 'rail-optimized-fat-tree',
              linkGbps: 400,
              switchRadix: 64,
              oversubscription: 1,
            },
          ],
          pools: [
            { name: 'gpu', site, fabric: `${site}-ib`, system: o.system, nodes: o.nodes, hall: 'hall-a' },
          ],
        };
  const notes =
    o.provider === 'aws'
      ? [
          '# Next: declare your granted vCPU quotas so gigawatt checks them, e.g.',
          `#   sites[0].quotas: { P: 3072 }   (Service Quotas → EC2 → Running On-Demand P instances)`,
        ]
      : [
          '# Next: replace the power, hall and fabric figures with your site’s (utility MW, PUE, racks,',
          '# rack kW, rack units, switch model or switchKW).',
        ];
  return [
    `# yaml-language-server: $schema=${schemaRef}`,
    `# Starter plan written by \`gigawatt init\`; check it with \`gigawatt validate\`.`,
    ...notes,
    stringify(plan, { lineWidth: 0 }).trimEnd(),
    '',
  ].join('\n');
}
