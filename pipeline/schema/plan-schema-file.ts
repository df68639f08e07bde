/**
 * The published copy of the plan schema, for editors (yaml-language-server `$schema`): the validator's
 * schema plus what the CLI checks after it, so an editor rejects what `gigawatt validate` rejects —
 * instance types and systems from the catalog (with a description each, for completion), a region on
 * every AWS site, and an instanceType or system on every pool (GW-PLAN-POOL-TYPE).
 */
import { resolve } from 'node:path';
import { catalog } from '../catalog';
import { PROJECT_ROOT } from '../util/paths';
import { planSchema } from './plan-schema';

/** schemas/cluster-plan.v1alpha1.schema.json, relative to the project root (works from src and dist). */
export const PLAN_SCHEMA_FILE = resolve(PROJECT_ROOT, 'schemas', 'cluster-plan.v1alpha1.schema.json');

type Node = Record<string, unknown> & { properties?: Record<string, Node>; items?: Node };

/** The editor schema: planSchema with catalog enums and the CLI's conditions added. */
export function editorSchema(): Node {
  const s = structuredClone(planSchema) as unknown as Node;
  const props = s.properties!;
  const site = props.sites!.items!;
  const pool = props.pools!.items!;
  const types = Object.entries(catalog.ec2InstanceTypes).map(([name, e]) => ({
    const: name,
    description: `${e.accelerator.count.value} × ${e.accelerator.model} (EC2, catalog ${catalog.catalogVersion})`,
  }));
  const systems = Object.entries(catalog.onPremSystems).map(([name, e]) => ({
    const: name,
    description: `${e.accelerator.count.value} × ${e.accelerator.model}, ${e.maxSystemKW.value} kW (${e.maxSystemKW.confidence}), ${e.cooling.value}-cooled`,
  }));
  pool.properties!.instanceType = { ...pool.properties!.instanceType, oneOf: types };
  pool.properties!.system = { ...pool.properties!.system, oneOf: systems };
  const reservations = props.reservations?.items;
  if (reservations?.properties?.instanceType)
    reservations.properties.instanceType = { ...reservations.properties.instanceType, oneOf: types };
  site.allOf = [
    ...((site.allOf as unknown[]) ?? []),
    {
      description: 'An AWS site names its region (GW-PLAN-POOL-TYPE: "AWS site has no region").',
      if: { properties: { provider: { const: 'aws' } }, required: ['provider'] },
      then: { required: ['region'] },
    },
  ];
  pool.allOf = [
    ...((pool.allOf as unknown[]) ?? []),
    {
      description: 'A pool names an EC2 instanceType (AWS sites) or an on-prem system (GW-PLAN-POOL-TYPE).',
      anyOf: [{ required: ['instanceType'] }, { required: ['system'] }],
    },
  ];
  return s;
}

export const planSchemaJson = (): string => JSON.stringify(editorSchema(), null, 2) + '\n';
