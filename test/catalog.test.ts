import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import {
  catalog,
  findInstanceType,
  instanceType,
  system,
  UnknownCatalogEntryError,
  type Figure,
} from '../pipeline/catalog';
import { ROOT } from './helpers';

/** Every {value, sources, confidence} object anywhere in the catalog, with its path. */
function figures(node: unknown, path: string[] = []): { path: string; fig: Figure<unknown> }[] {
  if (!node || typeof node !== 'object') return [];
  if ('value' in node && 'sources' in node) return [{ path: path.join('.'), fig: node as Figure<unknown> }];
  return Object.entries(node).flatMap(([k, v]) => figures(v, [...path, k]));
}

const all = figures({
  ec2InstanceTypes: catalog.ec2InstanceTypes,
  onPremSystems: catalog.onPremSystems,
  networkDevices: catalog.networkDevices,
  awsLimits: catalog.awsLimits,
  facility: catalog.facility,
});

describe('catalog', () => {
  test('the catalog file matches its own schema', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    const schema = JSON.parse(readFileSync(join(ROOT, 'pipeline/catalog/data/catalog.schema.json'), 'utf8'));
    const validate = ajv.compile(schema);
    const ok = validate(catalog);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  test('covers every EC2 type and on-prem system of the reference, plus both Trn3 UltraServer generations', () => {
    const types = [
      'trn1.2xlarge',
      'trn1.32xlarge',
      'trn1n.32xlarge',
      'trn2.48xlarge',
      'trn2u.48xlarge',
      'p4d.24xlarge',
      'p4de.24xlarge',
      'p5.48xlarge',
      'p5e.48xlarge',
      'p5en.48xlarge',
      'p6-b200.48xlarge',
      'p6-b300.48xlarge',
      'p6e-gb200.36xlarge',
      'g6e.48xlarge',
      'inf2.48xlarge',
    ];
    for (const t of types) expect(findInstanceType(t)).toBeDefined();
    for (const s of ['dgx-h100', 'dgx-h200', 'dgx-b200', 'dgx-b300', 'gb200-nvl72'])
      expect(() => system(s)).not.toThrow();
    const trn3 = Object.values(catalog.ec2InstanceTypes).filter((e) => e.accelerator.model === 'Trainium3');
    expect(
      trn3
        .map((e) => e.ultraServer!.instancesPerUltraServer.value[0] * e.accelerator.count.value)
        .sort((a, b) => a - b),
    ).toEqual([64, 144]);
  });

  test('every figure has at least one source that the catalog defines, and a confidence', () => {
    expect(all.length).toBeGreaterThan(250);
    for (const { path, fig } of all) {
      expect({ path, sources: fig.sources.length > 0 }).toEqual({ path, sources: true });
      for (const s of fig.sources)
        expect({ path, source: s, known: s in catalog.sources }).toEqual({ path, source: s, known: true });
      expect(['official', 'estimate']).toContain(fig.confidence);
    }
  });

  test('derived figures are never presented as official', () => {
    for (const { path, fig } of all)
      if (fig.sources.length === 1 && fig.sources[0] === 'derived')
        expect({ path, c: fig.confidence }).toEqual({ path, c: 'estimate' });
  });

  test('figures nobody published are absent, not invented', () => {
    expect(catalog.ec2InstanceTypes['trn2.48xlarge'].onDemandUsdPerHour).toBeUndefined();
    expect(catalog.ec2InstanceTypes['p6e-gb200.36xlarge'].network.maxEfaInterfaces).toBeUndefined();
    expect(catalog.ec2InstanceTypes['p6e-gb200.36xlarge'].network.vpcCniMaxPods).toBeUndefined();
    expect(catalog.ec2InstanceTypes['trn3.48xlarge'].network.networkCards).toBeUndefined();
    expect(catalog.ec2InstanceTypes['inf2.48xlarge'].accelerator.tdpW).toBeUndefined();
    expect(catalog.networkDevices['qm9700'].powerW).toBeUndefined();
  });

  // Spot checks against ../shared/reference/facts-catalog.md
  test.each([
    ['p5.48xlarge', 'network.networkCards', 32, 'official'],
    ['p5.48xlarge', 'vcpus', 192, 'official'],
    ['p5en.48xlarge', 'network.networkCards', 16, 'official'],
    ['p5en.48xlarge', 'network.vpcCniMaxPods', 198, 'official'],
    ['trn2.48xlarge', 'accelerator.memoryGiB', 1536, 'official'],
    ['trn2u.48xlarge', 'network.maxEfaInterfaces', 16, 'estimate'],
    ['trn2u.48xlarge', 'network.vpcCniMaxPods', 100, 'estimate'],
    ['p6-b200.48xlarge', 'network.maxEfaInterfaces', 8, 'official'],
    ['p6-b300.48xlarge', 'network.bandwidthGbps', 6400, 'official'],
    ['p6e-gb200.36xlarge', 'vcpus', 144, 'official'],
    // CPU architecture (DescribeInstanceTypes SupportedArchitectures): Grace is Arm, the rest x86.
    ['p6e-gb200.36xlarge', 'architecture', 'arm64', 'official'],
    ['p5.48xlarge', 'architecture', 'x86_64', 'official'],
    ['trn2u.48xlarge', 'architecture', 'x86_64', 'official'],
    ['trn3.48xlarge', 'architecture', 'x86_64', 'estimate'],
    ['g6e.48xlarge', 'onDemandUsdPerHour', 30.13118, 'official'],
    ['p4d.24xlarge', 'network.maxNetworkInterfaces', 60, 'official'],
    ['inf2.48xlarge', 'accelerator.count', 12, 'official'],
    ['trn1.2xlarge', 'network.maxEfaInterfaces', 0, 'official'],
  ])('%s %s = %p (%s)', (type, path, value, confidence) => {
    const fig = path
      .split('.')
      .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], instanceType(type)) as Figure<unknown>;
    expect(fig.value).toBe(value);
    expect(fig.confidence).toBe(confidence);
  });

  test.each([
    // DGX H100/H200 and B300 figures are NVIDIA's but were read via secondary copies: estimates.
    ['dgx-h100', 10.2, 'estimate'],
    ['dgx-b200', 14.3, 'official'],
    ['dgx-b300', 14.5, 'estimate'],
    ['gb200-nvl72', 132, 'estimate'],
  ])('%s max system power %p kW (%s)', (name, kw, confidence) => {
    expect(system(name).maxSystemKW).toMatchObject({ value: kw, confidence });
  });

  test('an unknown type fails with the nearest names and how to add one', () => {
    expect(() => instanceType('p5.48xlarg')).toThrow(UnknownCatalogEntryError);
    expect(() => instanceType('p5.48xlarg')).toThrow(
      /Unknown EC2 instance type 'p5\.48xlarg'\. Did you mean 'p5\.48xlarge'.*catalog\.json/,
    );
    expect(() => system('dgx-h20')).toThrow(/Did you mean 'dgx-h200'/);
    try {
      instanceType('trn2u.48xl');
    } catch (err) {
      expect((err as UnknownCatalogEntryError).suggestions[0]).toBe('trn2u.48xlarge');
    }
  });
});
