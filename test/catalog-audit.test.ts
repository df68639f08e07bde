/**
 * Catalog audit against the shared fact catalog (reference/facts-catalog.json beside DESIGN.md, copied to
 * test/fixtures/reference/ so the audit always runs): every figure cites a source the fact catalog knows or that
 * carries its own address; every figure the fact catalog covers has the same value; a figure the fact
 * catalog marks as an estimate, or read only through a secondary copy, is never "official"; a figure no
 * source published is an estimate.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalog, type Figure } from '../pipeline/catalog';
import { ROOT } from './helpers';

interface Fact {
  readonly entity: string;
  readonly category: string;
  readonly attribute: string;
  readonly value: string;
  readonly sources: readonly { key: string; title: string; ref: string }[];
  readonly confidence: 'official' | 'estimate';
  readonly verified_via: 'primary' | 'secondary';
}

const FACTS_FILE = join(ROOT, 'test', 'fixtures', 'reference', 'facts-catalog.json');

function figures(node: unknown, path: string[] = []): { path: string[]; fig: Figure<unknown> }[] {
  if (!node || typeof node !== 'object') return [];
  if ('value' in node && 'sources' in node) return [{ path, fig: node as Figure<unknown> }];
  return Object.entries(node).flatMap(([k, v]) => figures(v, [...path, k]));
}
const all = figures({
  ec2InstanceTypes: catalog.ec2InstanceTypes,
  onPremSystems: catalog.onPremSystems,
  networkDevices: catalog.networkDevices,
  awsLimits: catalog.awsLimits,
  facility: catalog.facility,
});

/** Catalog field (after the entry name) → fact attribute, for EC2 instance types. */
const EC2: Record<string, string> = {
  'accelerator.count': 'accelerator',
  'accelerator.memoryGiB': 'accelerator_memory_GiB',
  vcpus: 'vcpus',
  memoryGiB: 'system_memory_GiB',
  'network.bandwidthGbps': 'network_bandwidth_Gbps',
  'network.networkCards': 'network_cards',
  'network.maxEfaInterfaces': 'max_efa_interfaces',
  'network.maxNetworkInterfaces': 'max_enis_total',
  'network.ipv4PerInterface': 'ipv4_per_eni',
  'network.vpcCniMaxPods': 'vpc_cni_max_pods',
  onDemandUsdPerHour: 'on_demand_usd_per_hr_us_east_1',
};
/** Accelerator model → fact entity of its per-device power. */
const TDP: Record<string, string> = {
  'H100 80GB': 'NVIDIA H100 SXM5 80GB',
  'H200 141GB': 'NVIDIA H200 SXM 141GB',
  'A100 40GB': 'NVIDIA A100 SXM4 (p4d)',
  B200: 'NVIDIA B200 (HGX/DGX B200)',
  'B200 (GB200 NVL72)': 'NVIDIA B200 in GB200 NVL72',
  L40S: 'NVIDIA L40S',
  Trainium2: 'AWS Trainium2',
  Trainium3: 'AWS Trainium3',
};
const SYSTEM: Record<string, [string, string]> = {
  'dgx-h100': ['NVIDIA DGX H100', 'max_system_power_kW'],
  'dgx-h200': ['NVIDIA DGX H200', 'max_system_power_kW'],
  'dgx-b200': ['NVIDIA DGX B200', 'max_system_power_kW'],
  'dgx-b300': ['NVIDIA DGX B300', 'max_system_power_kW'],
  'gb200-nvl72': ['NVIDIA GB200 NVL72 / DGX GB200 rack', 'rack_power_kW'],
};
const DEVICE: Record<string, [string, string]> = {
  'qm9700.ports': ['NVIDIA Quantum-2 QM9700', 'ports'],
  'sn5600.ports': ['NVIDIA Spectrum-4 SN5600', 'ports'],
  'q3400-ra.ports': ['NVIDIA Quantum-X800 Q3400-RA', 'ports'],
  'osfp-800g-sm.powerW': ['NVIDIA LinkX transceivers', 'power_W'],
  'osfp-800g-mm.powerW': ['NVIDIA LinkX transceivers', 'power_W'],
  'osfp-400g-sm.powerW': ['NVIDIA LinkX transceivers', 'power_W'],
};
const OTHER: Record<string, [string, string]> = {
  'awsLimits.capacityBlockMaxInstances': ['Capacity Blocks', 'limits'],
  'awsLimits.capacityBlockMaxInstancesTotal': ['Capacity Blocks', 'limits'],
  'awsLimits.capacityBlockEndHourUtc': ['Capacity Blocks', 'limits'],
  'facility.pueIndustryAverage': ['PUE', 'uptime_industry_average'],
  'facility.pueNewFacilities': ['PUE', 'uptime_new_facilities'],
  'facility.pueAwsGlobal': ['PUE', 'aws_global'],
  'facility.airCooledRackPracticalKW': ['Air vs liquid rack density', 'air_practical_limit_kW'],
};

/** The fact a catalog figure restates, when the fact catalog covers it. */
function factKey(path: string[]): [string, string] | undefined {
  const [table, name, ...rest] = path;
  const field = rest.join('.');
  if (table === 'ec2InstanceTypes' && EC2[field]) return [name, EC2[field]];
  if ((table === 'ec2InstanceTypes' || table === 'onPremSystems') && field === 'accelerator.tdpW') {
    const entry = catalog[table][name];
    const entity = TDP[entry.accelerator.model];
    return entity ? [entity, 'tdp_W'] : undefined;
  }
  if (table === 'onPremSystems' && field === 'maxSystemKW') return SYSTEM[name];
  if (table === 'networkDevices') return DEVICE[`${name}.${field}`];
  return OTHER[`${table}.${name}`];
}

/** Every number written in a fact's value ("1536 (16 x 96)" → 1536, 16, 96; "11:30" stays a string). */
const numbersIn = (value: unknown): number[] =>
  [
    ...String(value)
      .replace(/(\d),(\d{3})/g, '$1$2')
      .matchAll(/\d+(?:\.\d+)?/g),
  ].map((m) => Number(m[0]));
const notFound = (f: Fact) => /NOT FOUND/.test(String(f.value));
/**
 * Official figures whose fact row is marked secondary for another part of the row, with the reason. The
 * p6e-gb200 row is secondary because of its EFAv4 per-UltraServer remark (AWS blog via a summary); the
 * 3,200 Gbps instance total itself is read from the instance-types page (aws-ac, primary).
 */
const PRIMARY_DESPITE_ROW: Record<string, string> = {
  'ec2InstanceTypes.p6e-gb200.36xlarge.network.bandwidthGbps': 'aws-ac',
};

/**
 * Figures that deliberately depart from the fact catalog's value because a primary source found later
 * supersedes it, with that source (which must be cited by the figure and carry its own address).
 * GB200 NVL72 rack power: the fact row gives ~120 kW (press report) and the SuperPOD RA's 1.2 MW per 8
 * racks; NVIDIA's DPS device spec gives 6,667 W per compute tray, so 18 trays alone reach 120 kW before the
 * NVLink switch trays (issue 16): the catalog carries the ~132 kW maximum as an estimate.
 */
const SUPERSEDED: Record<string, string> = {
  'onPremSystems.gb200-nvl72.maxSystemKW': 'nv-dps-devspec',
};

describe('catalog audit against the fact catalog', () => {
  const facts: Fact[] = JSON.parse(readFileSync(FACTS_FILE, 'utf8'));
  const byKey = new Map(facts.map((f) => [`${f.entity}|${f.attribute}`, f]));
  const factSources = new Map(facts.flatMap((f) => f.sources.map((s) => [s.key, s] as const)));
  /** Source keys that every fact citing them read through a secondary copy. */
  const secondaryOnly = new Set(
    [...factSources.keys()].filter((k) =>
      facts.filter((f) => f.sources.some((s) => s.key === k)).every((f) => f.verified_via === 'secondary'),
    ),
  );
  const problems = (check: (path: string, fig: Figure<unknown>, fact?: Fact) => string | undefined) =>
    all
      .map(({ path, fig }) => {
        const key = factKey(path);
        return check(path.join('.'), fig, key ? byKey.get(key.join('|')) : undefined);
      })
      .filter((p): p is string => p !== undefined);

  test('the audit covers the figures the fact catalog has', () => {
    const mapped = all.filter(({ path }) => factKey(path) && byKey.has(factKey(path)!.join('|')));
    expect(mapped.length).toBeGreaterThan(150);
    // Every mapping names a fact that exists.
    const dangling = all
      .map(({ path }) => factKey(path))
      .filter((k): k is [string, string] => !!k && !byKey.has(k.join('|')))
      .map((k) => k.join('|'));
    expect([...new Set(dangling)].filter((k) => !k.startsWith('trn3'))).toEqual([]);
  });

  test('every figure has a source, and every source is in the fact catalog or cites its own address', () => {
    expect(
      problems((path, fig) =>
        fig.sources.length === 0
          ? `${path}: no source`
          : fig.sources
              .filter((s) => !factSources.has(s) && !catalog.sources[s]?.url)
              .map((s) => `${path}: source '${s}' is neither in the fact catalog nor cited with an address`)
              .join('; ') || undefined,
      ),
    ).toEqual([]);
  });

  test('a source shared with the fact catalog points at the same document', () => {
    const strip = (u: string) => u.replace(/^https?:\/\//, '').replace(/\/$/, '');
    const differing = Object.entries(catalog.sources)
      .filter(([k, s]) => factSources.has(k) && s.url && factSources.get(k)!.ref !== 'n/a')
      .filter(([k, s]) => !strip(factSources.get(k)!.ref).includes(strip(s.url!).split(' ')[0]))
      .map(([k, s]) => `${k}: ${s.url} vs ${factSources.get(k)!.ref}`);
    expect(differing).toEqual([]);
  });

  test('every figure the fact catalog covers has the value the fact catalog gives', () => {
    expect(
      problems((path, fig, fact) => {
        if (!fact || notFound(fact)) return undefined;
        const by = SUPERSEDED[path];
        if (by)
          return fig.sources.includes(by) && catalog.sources[by]?.url && fig.confidence === 'estimate'
            ? undefined
            : `${path}: departs from the fact catalog but does not cite '${by}' as an estimate`;
        const v = fig.value;
        if (typeof v === 'number')
          return numbersIn(fact.value).includes(v)
            ? undefined
            : `${path}: ${v} but the fact says '${fact.value}'`;
        if (typeof v === 'string')
          return String(fact.value).includes(v)
            ? undefined
            : `${path}: '${v}' but the fact says '${fact.value}'`;
        return undefined;
      }),
    ).toEqual([]);
  });

  test('a figure no source published is an estimate, never official', () => {
    expect(
      problems((path, fig, fact) =>
        fact && notFound(fact) && fig.confidence === 'official'
          ? `${path}: official, but the fact catalog found no published figure`
          : undefined,
      ),
    ).toEqual([]);
  });

  test('an estimate in the fact catalog is an estimate here too', () => {
    expect(
      problems((path, fig, fact) =>
        fact?.confidence === 'estimate' && fig.confidence === 'official'
          ? `${path}: official, but the fact catalog marks '${fact.value}' as an estimate`
          : undefined,
      ),
    ).toEqual([]);
  });

  test('an official figure cites a primary source, not only secondary copies', () => {
    expect(
      problems((path, fig, fact) => {
        if (fig.confidence !== 'official') return undefined;
        if (fact?.verified_via === 'secondary' && !fig.sources.includes(PRIMARY_DESPITE_ROW[path]))
          return `${path}: official, but the fact catalog read it only through a secondary copy`;
        if (fig.sources.every((s) => secondaryOnly.has(s)))
          return `${path}: official, but cites only secondary copies (${fig.sources.join(', ')})`;
        return undefined;
      }),
    ).toEqual([]);
  });
});
