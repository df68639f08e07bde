/**
 * On-prem node registration (kubernetes/<cluster>/nodes/) against the objects that select on it, as a user
 * gets them from `gigawatt synth`: every ResourceFlavor's nodeLabels, every Topology level and every
 * DaemonSet node affinity must match the labels the rack's nodes register with, and the flavors' and
 * DaemonSets' tolerations must tolerate their taints. Also the default LocalQueue of every team namespace.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse, parseAllDocuments } from 'yaml';
import { ROOT, runCli, tempDir } from './helpers';

type Labels = Record<string, string>;
interface Taint {
  key: string;
  value: string;
  effect: string;
}
interface Rack {
  rack: string;
  site: string;
  hall: string;
  pool: string;
  scalableUnit: string;
  systems: { first: string; last: string };
  kubernetesNodes: number;
  labels: Labels;
  taints: Taint[];
  kubeletFlags: string[];
  nodeConfig?: {
    apiVersion: string;
    kind: string;
    spec: { cluster: { name: string; region?: string }; kubelet: { flags: string[] } };
  };
}
interface RacksFile {
  cluster: string;
  topology: { name: string; levels: string[] };
  racks: Rack[];
}
interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}
interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}
interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

/** A node selector term's matchExpressions (Kubernetes NodeSelectorRequirement semantics). */
const matchesExpressions = (reqs: readonly Requirement[], labels: Labels): boolean =>
  reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.operator) {
      case 'In':
        return has && r.values!.includes(labels[r.key]!);
      case 'NotIn':
        return !has || !r.values!.includes(labels[r.key]!);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        throw new Error(`operator ${r.operator}`);
    }
  });

/** Whether a toleration tolerates a taint (core/v1 Toleration.ToleratesTaint). */
const tolerates = (t: Toleration, taint: Taint): boolean =>
  (!t.effect || t.effect === taint.effect) &&
  (t.key === undefined || t.key === '' ? t.operator === 'Exists' : t.key === taint.key) &&
  (t.operator === 'Exists' || (t.value ?? '') === taint.value);

/** Labels and taints the kubelet registers with, read back from its flags. */
function fromFlags(flags: readonly string[]): { labels: Labels; taints: Taint[] } {
  const value = (name: string) => flags.find((f) => f.startsWith(`--${name}=`))?.slice(name.length + 3);
  const labels = Object.fromEntries(
    (value('node-labels') ?? '')
      .split(',')
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  const taints = (value('register-with-taints') ?? '')
    .split(',')
    .filter(Boolean)
    .map((s) => {
      const [kv, effect] = s.split(':');
      const [key, v] = kv!.split('=');
      return { key: key!, value: v!, effect: effect! };
    });
  return { labels, taints };
}

interface Synth {
  readonly out: string;
  readonly clusters: string[];
  racks(cluster: string): RacksFile;
  objects(cluster: string): Obj[];
}

function synth(planFile: string): Synth {
  const out = join(tempDir(), 'out');
  const r = runCli(['synth', planFile, '--out', out]);
  expect(r.stderr).toMatch(/: 0 errors/);
  expect(r.status).toBe(0);
  const clusters = readdirSync(join(out, 'kubernetes')).sort();
  return {
    out,
    clusters,
    racks: (c) => parse(readFileSync(join(out, 'kubernetes', c, 'nodes/racks.yaml'), 'utf8')) as RacksFile,
    objects: (c) => {
      const kust = parse(readFileSync(join(out, 'kubernetes', c, 'kustomization.yaml'), 'utf8')) as {
        resources: string[];
      };
      return kust.resources.flatMap((f) =>
        parseAllDocuments(readFileSync(join(out, 'kubernetes', c, f), 'utf8')).map((d) => d.toJS() as Obj),
      );
    },
  };
}

const of = (objects: Obj[], kind: string) => objects.filter((o) => o.kind === kind);

/** The consistency checks every on-prem cluster must pass. */
function checkCluster(s: Synth, cluster: string): void {
  const file = s.racks(cluster);
  const objects = s.objects(cluster);
  expect(file.cluster).toBe(cluster);
  expect(file.racks.length).toBeGreaterThan(0);
  const racksOf = (pool: string) => file.racks.filter((r) => r.pool === pool);
  const pools = [...new Set(file.racks.map((r) => r.pool))];

  // The kubelet flags register exactly the labels and taints listed.
  for (const r of file.racks)
    expect({ rack: r.rack, ...fromFlags(r.kubeletFlags) }).toEqual({
      rack: r.rack,
      labels: r.labels,
      taints: r.taints,
    });

  // Every flavor of an on-prem pool selects every node of its racks and none of another pool's.
  const flavors = of(objects, 'ResourceFlavor').filter((f) => pools.includes(f.metadata.name));
  expect(flavors.map((f) => f.metadata.name).sort()).toEqual([...pools].sort());
  for (const f of flavors) {
    const nodeLabels = f.spec.nodeLabels as Labels;
    expect(Object.keys(nodeLabels).length).toBeGreaterThan(0);
    for (const r of file.racks) {
      const selected = Object.entries(nodeLabels).every(([k, v]) => r.labels[k] === v);
      expect({ flavor: f.metadata.name, rack: r.rack, selected }).toEqual({
        flavor: f.metadata.name,
        rack: r.rack,
        selected: r.pool === f.metadata.name,
      });
    }
    for (const r of racksOf(f.metadata.name)) {
      // The flavor's nodeTaints are the nodes' taints, and its tolerations tolerate every one of them.
      expect(f.spec.nodeTaints).toEqual(r.taints);
      for (const t of r.taints)
        expect((f.spec.tolerations as Toleration[]).some((tol) => tolerates(tol, t))).toBe(true);
    }
    // Every level of the flavor's Topology but the host name (the kubelet's own) is on every node.
    const topology = of(objects, 'Topology').find((t) => t.metadata.name === f.spec.topologyName);
    expect(topology).toBeDefined();
    const levels = (topology!.spec.levels as { nodeLabel: string }[]).map((l) => l.nodeLabel);
    expect(file.topology).toEqual({ name: topology!.metadata.name, levels });
    expect(levels[levels.length - 1]).toBe('kubernetes.io/hostname');
    for (const r of racksOf(f.metadata.name))
      for (const level of levels.slice(0, -1))
        expect({ rack: r.rack, level, set: level in r.labels }).toEqual({ rack: r.rack, level, set: true });
  }

  // Levels nest: a scalable unit lies in one hall, a rack in one scalable unit (racks are listed once).
  expect(new Set(file.racks.map((r) => r.rack)).size).toBe(file.racks.length);
  const hallOfSu = new Map<string, string>();
  for (const r of file.racks) {
    expect(r.labels['gigawatt.dev/scalable-unit']).toBe(r.scalableUnit);
    expect(r.labels['gigawatt.dev/rack']).toBe(r.rack);
    expect(r.labels['gigawatt.dev/hall']).toBe(r.hall);
    expect(r.labels['gigawatt.dev/pool']).toBe(r.pool);
    expect(hallOfSu.get(r.scalableUnit) ?? r.hall).toBe(r.hall);
    hallOfSu.set(r.scalableUnit, r.hall);
  }

  // Every DaemonSet pinned to pools reaches every node of those pools and tolerates its taints; the NVIDIA
  // device plugin reaches every NVIDIA rack.
  const daemonSets = of(objects, 'DaemonSet');
  const nodeAffinity = (ds: Obj) =>
    ds.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution
      .nodeSelectorTerms as { matchExpressions: Requirement[] }[];
  for (const ds of daemonSets) {
    const terms = nodeAffinity(ds);
    const targets = terms.flatMap((t) =>
      t.matchExpressions.filter((e) => e.key === 'gigawatt.dev/pool').flatMap((e) => e.values ?? []),
    );
    expect(targets.length).toBeGreaterThan(0);
    for (const r of file.racks.filter((x) => targets.includes(x.pool))) {
      const reached = terms.some((t) => matchesExpressions(t.matchExpressions, r.labels));
      expect({ ds: ds.metadata.name, rack: r.rack, reached }).toEqual({
        ds: ds.metadata.name,
        rack: r.rack,
        reached: true,
      });
      for (const t of r.taints)
        expect((ds.spec.template.spec.tolerations as Toleration[]).some((tol) => tolerates(tol, t))).toBe(
          true,
        );
    }
  }
  const nvidia = daemonSets.find((d) => d.metadata.name === 'nvidia-device-plugin');
  for (const r of file.racks.filter((x) => x.labels['gigawatt.dev/accelerator'] === 'nvidia'))
    expect(nodeAffinity(nvidia!).some((t) => matchesExpressions(t.matchExpressions, r.labels))).toBe(true);
}

describe.each(['examples/frontier.yaml', 'examples/mining-site-dgx.yaml'])('synth %s', (plan) => {
  let s: Synth;
  beforeAll(() => {
    s = synth(plan);
  });

  test('every on-prem node label and taint matches the flavors, the Topology and the device plugins', () => {
    const onprem = s.clusters.filter((c) => readdirSync(join(s.out, 'kubernetes', c)).includes('nodes'));
    expect(onprem).toEqual(plan.includes('frontier') ? ['abilene'] : ['west-texas']);
    for (const c of onprem) checkCluster(s, c);
    // An AWS cluster has no node registration: its node groups set the labels.
    for (const c of s.clusters.filter((x) => !onprem.includes(x)))
      expect(readdirSync(join(s.out, 'kubernetes', c))).not.toContain('nodes');
  });

  test('the nodes/ files stay out of the kustomization, and the cluster README points at them', () => {
    for (const c of s.clusters.filter((x) => readdirSync(join(s.out, 'kubernetes', x)).includes('nodes'))) {
      const kust = readFileSync(join(s.out, 'kubernetes', c, 'kustomization.yaml'), 'utf8');
      expect(kust).not.toContain('nodes/');
      expect(readFileSync(join(s.out, 'kubernetes', c, 'README.md'), 'utf8')).toContain('`nodes/README.md`');
      const guide = readFileSync(join(s.out, 'kubernetes', c, 'nodes/README.md'), 'utf8');
      const first = s.racks(c).racks[0]!;
      expect(guide).toContain(
        `kubectl label node <host> --overwrite ${Object.entries(first.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`,
      );
    }
  });

  test('default LocalQueue per team namespace, pointing at a ClusterQueue that admits the namespace', () => {
    const spec = parse(readFileSync(join(ROOT, plan), 'utf8')) as {
      pools: { name: string }[];
      kubernetes: { queues: { teams: { name: string; namespace?: string; pools?: string[] }[] } };
    };
    for (const c of s.clusters) {
      const objects = s.objects(c);
      const queues = of(objects, 'ClusterQueue');
      const local = of(objects, 'LocalQueue');
      // No LocalQueue name stands for two queues in a namespace.
      const keys = local.map((q) => `${q.metadata.namespace}/${q.metadata.name}`);
      expect(new Set(keys).size).toBe(keys.length);
      for (const team of spec.kubernetes.queues.teams) {
        const ns = team.namespace ?? team.name;
        const available = (team.pools ?? spec.pools.map((p) => p.name)).filter((p) =>
          queues.some((q) => q.metadata.name === p),
        );
        const dflt = local.find((q) => q.metadata.namespace === ns && q.metadata.name === 'default');
        if (!available.length) {
          expect(dflt).toBeUndefined();
          continue;
        }
        expect(dflt?.spec.clusterQueue).toBe(available[0]);
        const cq = queues.find((q) => q.metadata.name === dflt!.spec.clusterQueue)!;
        const selector = cq.spec.namespaceSelector as { matchExpressions: Requirement[] };
        expect(matchesExpressions(selector.matchExpressions, { 'kubernetes.io/metadata.name': ns })).toBe(
          true,
        );
      }
    }
  });
});

test('each rack lists the systems inventory/racks.csv places in it', () => {
  const s = synth('examples/mining-site-dgx.yaml');
  const inv = join(tempDir(), 'inv');
  expect(runCli(['inventory', 'examples/mining-site-dgx.yaml', '--out', inv]).status).toBe(0);
  const rows = parseCsv(readFileSync(join(inv, 'inventory/racks.csv'), 'utf8'), { columns: true }) as {
    node: string;
    pool: string;
    hall: string;
    rack: string;
  }[];
  const file = s.racks('west-texas');
  const hostsPerSystem: Record<string, number> = { h200: 1, b200: 1, gb200: 18 };
  const byRack = new Map<string, string[]>();
  for (const row of rows) byRack.set(row.rack, [...(byRack.get(row.rack) ?? []), row.node]);
  expect(file.racks.map((r) => r.rack).sort()).toEqual([...byRack.keys()].sort());
  for (const r of file.racks) {
    const nodes = byRack.get(r.rack)!;
    expect({ rack: r.rack, first: r.systems.first, last: r.systems.last, hosts: r.kubernetesNodes }).toEqual({
      rack: r.rack,
      first: nodes[0],
      last: nodes[nodes.length - 1],
      hosts: nodes.length * hostsPerSystem[r.pool]!,
    });
  }
  // GB200 NVL72: one rack per system, eight racks per scalable unit (the SuperPOD SU).
  const gb = file.racks.filter((r) => r.pool === 'gb200');
  expect(gb.filter((r) => r.scalableUnit === 'gb200-su001').map((r) => r.rack)).toEqual(
    gb.slice(0, 8).map((r) => r.rack),
  );
});

test('EKS Hybrid Nodes get the same labels as a nodeadm NodeConfig of the EKS cluster they join', () => {
  const planFile = join(tempDir(), 'hybrid.yaml');
  writeFileSync(
    planFile,
    readFileSync(join(ROOT, 'examples/frontier.yaml'), 'utf8').replace(
      '    provider: onprem\n',
      '    provider: onprem\n    hybrid: { cluster: ohio, remoteNodeCidrs: [192.168.0.0/16] }\n',
    ),
  );
  const s = synth(planFile);
  expect(s.clusters).toEqual(['ohio']);
  checkCluster(s, 'ohio');
  const tf = JSON.parse(readFileSync(join(s.out, 'terraform/stacks/ohio/cdk.tf.json'), 'utf8')) as {
    resource: { aws_eks_cluster: Record<string, { name: string }> };
  };
  const eks = Object.values(tf.resource.aws_eks_cluster).map((c) => c.name);
  for (const r of s.racks('ohio').racks) {
    expect(r.nodeConfig).toEqual({
      apiVersion: 'node.eks.aws/v1alpha1',
      kind: 'NodeConfig',
      spec: { cluster: { name: eks[0], region: 'us-east-2' }, kubelet: { flags: r.kubeletFlags } },
    });
  }
  expect(eks).toEqual(['frontier-ohio']);
  expect(readFileSync(join(s.out, 'kubernetes/ohio/nodes/README.md'), 'utf8')).toContain('spec.hybrid.ssm');
});

test('a pool named default is its own default queue', () => {
  const planFile = join(tempDir(), 'default-pool.yaml');
  writeFileSync(
    planFile,
    readFileSync(join(ROOT, 'examples/mining-site-dgx.yaml'), 'utf8')
      .replace('{ name: b200,', '{ name: default,')
      .replace('pools: [b200, gb200]', 'pools: [gb200, default]'),
  );
  const s = synth(planFile);
  const local = of(s.objects('west-texas'), 'LocalQueue').filter((q) => q.metadata.namespace === 'tenant-b');
  expect(local.map((q) => [q.metadata.name, q.spec.clusterQueue]).sort()).toEqual([
    ['default', 'default'],
    ['gb200', 'gb200'],
  ]);
});
