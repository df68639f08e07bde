/**
 * The accelerator catalog: versioned, sourced facts about EC2 instance types, on-prem systems, switches
 * and AWS limits. Every figure carries its sources and whether it is official or an estimate; a figure no
 * source published is absent. Lookups are typed; an unknown name fails with the nearest known names.
 */
import data from './data/catalog.json';
import { nearest } from '../util/suggest';
import type { Catalog, Ec2InstanceType, Figure, NetworkDevice, OnPremSystem } from './types';

export * from './types';

export const catalog: Catalog = data as unknown as Catalog;

/** Thrown by the strict lookups; carries the nearest known names for a "did you mean". */
export class UnknownCatalogEntryError extends Error {
  constructor(
    readonly kind: 'EC2 instance type' | 'on-prem system' | 'network device',
    readonly requested: string,
    readonly suggestions: string[],
  ) {
    super(
      `Unknown ${kind} '${requested}'.` +
        (suggestions.length ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(' or ')}?` : '') +
        ` To add one, add an entry with sourced figures to pipeline/catalog/data/catalog.json (see docs/catalog.md).`,
    );
    this.name = 'UnknownCatalogEntryError';
  }
}

function strict<T>(
  table: Readonly<Record<string, T>>,
  kind: UnknownCatalogEntryError['kind'],
  name: string,
): T {
  const entry = Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
  if (entry === undefined) throw new UnknownCatalogEntryError(kind, name, nearest(name, Object.keys(table)));
  return entry;
}

export const instanceTypeNames = (): string[] => Object.keys(catalog.ec2InstanceTypes);
export const systemNames = (): string[] => Object.keys(catalog.onPremSystems);

export function findInstanceType(name: string): Ec2InstanceType | undefined {
  return Object.prototype.hasOwnProperty.call(catalog.ec2InstanceTypes, name)
    ? catalog.ec2InstanceTypes[name]
    : undefined;
}
export function findSystem(name: string): OnPremSystem | undefined {
  return Object.prototype.hasOwnProperty.call(catalog.onPremSystems, name)
    ? catalog.onPremSystems[name]
    : undefined;
}
export const instanceType = (name: string): Ec2InstanceType =>
  strict(catalog.ec2InstanceTypes, 'EC2 instance type', name);
export const system = (name: string): OnPremSystem => strict(catalog.onPremSystems, 'on-prem system', name);
export const networkDevice = (name: string): NetworkDevice =>
  strict(catalog.networkDevices, 'network device', name);

/** The numeric value of an AWS limit from the catalog. */
export function awsLimit(name: string): number {
  const fig = catalog.awsLimits[name];
  if (!fig || typeof fig.value !== 'number')
    throw new Error(`The catalog has no numeric AWS limit '${name}'.`);
  return fig.value;
}

/** The EKS ECR registry host of an AWS region (add-on and device-plugin images), if the guide lists it. */
export const eksImageRegistry = (region: string): string | undefined =>
  Object.prototype.hasOwnProperty.call(catalog.eksImageRegistries.value, region)
    ? catalog.eksImageRegistries.value[region]
    : undefined;

/**
 * The version of an Amazon EKS add-on that the catalog pins for a Kubernetes minor version, if the EKS
 * user guide's version table lists one.
 */
export function eksAddonVersion(addon: string, kubernetesVersion: string): string | undefined {
  const versions = Object.prototype.hasOwnProperty.call(catalog.eksAddonVersions, addon)
    ? catalog.eksAddonVersions[addon].value
    : {};
  return Object.prototype.hasOwnProperty.call(versions, kubernetesVersion)
    ? versions[kubernetesVersion]
    : undefined;
}

/** "official" / "estimate" plus the source keys, for reports. */
export const describeFigure = (fig: Figure<unknown>): string =>
  `${fig.confidence} [${fig.sources.join(', ')}]`;

/** The EC2 instance family prefix of a type name ("p5en" of "p5en.48xlarge"). */
export const instanceFamilyOf = (type: string): string => type.split('.')[0];
