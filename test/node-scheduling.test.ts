/**
 * Would the generated objects find the nodes the generated files describe? For every example, `gigawatt synth`
 * is run and each Kubernetes cluster's nodes are built the way Kubernetes would register them:
 *
 * - on-prem racks (kubernetes/<cluster>/nodes/racks.yaml): the labels and taints of the kubelet's
 *   --node-labels and --register-with-taints (or the nodeadm NodeConfig's spec.kubelet.flags, which nodeadm
 *   appends to the kubelet's), plus the kubernetes.io/hostname and kubernetes.io/os labels the kubelet sets
 *   itself; one node per rack stands for all of the rack's nodes, which differ only by host name;
 * - EKS managed node groups (terraform/stacks/<cluster>/cdk.tf.json, aws_eks_node_group): the group's
 *   `labels` and `taint` (EKS API Taint effects NO_SCHEDULE, NO_EXECUTE, PREFER_NO_SCHEDULE are the
 *   Kubernetes NoSchedule, NoExecute, PreferNoSchedule), plus what EKS sets: kubernetes.io/hostname,
 *   node.kubernetes.io/instance-type, eks.amazonaws.com/nodegroup and the network topology labels
 *   topology.k8s.aws/network-node-layer-1..N of the instance type ("Amazon EKS exposes each node's position in
 *   that hierarchy as node labels", https://docs.aws.amazon.com/eks/latest/userguide/ml-workload-topology.html;
 *   N per type from the EC2 topology prerequisites, pipeline/kubernetes/kueue.ts EC2_TOPOLOGY_LAYERS).
 *
 * Against those nodes, with kubernetes-sigs/kueue v0.19.2 semantics (the tag of test/fixtures/vendor/kueue)
 * and kube-scheduler's (test/kube-scheduler.ts):
 * (a) each ResourceFlavor's nodeLabels select nodes, exactly the nodes of its pool, whose taints its
 *     tolerations tolerate;
 * (b) each level of the flavor's Topology is a label of every node of the pool: Kueue's TAS cache lists only
 *     nodes that carry the flavor's nodeLabels and every level label (pkg/cache/scheduler/tas_nodes_cache.go
 *     find, l. 106-118, calling pkg/util/tas/node.go NodeMatchesFlavor, l. 21-33: "contains all required
 *     topology levels"), so a node without one offers no capacity;
 * (c) each DaemonSet (device plugins, DCGM exporter, Neuron monitor, node problem detector, EFA plugin) runs
 *     on exactly the nodes that need it, and every extended resource a ClusterQueue covers is advertised on
 *     the pool's nodes by a device plugin that runs there;
 * (d) a representative training pod set and each smoke-test Job are admitted through the LocalQueue they name
 *     (test/kueue-evaluator.ts) and, with what Kueue adds at admission, are schedulable on every node of the
 *     pool: pkg/podset/podset.go FromAssignment (l. 58-92) copies the assigned flavor's spec.nodeLabels into
 *     the pod set's nodeSelector and appends its spec.tolerations, and Merge (l. 181-213) merges them into the
 *     pod template (a nodeSelector key with a different value is a conflict); TAS then filters nodes with the
 *     pod's tolerations plus the flavor's (pkg/cache/scheduler/tas_flavor_snapshot.go l. 961).
 *
 * Every mismatch is reported with the cluster, pool, rack or node group, and label or taint concerned.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { EC2_TOPOLOGY_LAYERS } from '../pipeline/kubernetes/kueue';
import type { ResolvedPlan } from '../pipeline/model';
import { acceleratorKind } from '../pipeline/model/labels';
import { resultAt, validateFile } from '../pipeline/run';
import {
  kubeletMaySet,
  requirementMatches,
  unschedulableReason,
  type PodPlacement,
  type Requirement,
} from './kube-scheduler';
import { exampleFiles, ROOT, runCli, tempDir } from './helpers';
import {
  admit,
  claimRequests,
  deviceClassMappings,
  isDraPool,
  quantity,
  tolerates,
  trainingPodSet,
  type NodeView,
  type Quantity,
  type Taint,
  type Toleration,
} from './kueue-evaluator';

type Labels = Record<string, string>;
interface Obj {
  [key: string]: unknown;
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Labels };
  spec: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}
/** A registered node, standing for `count` identical nodes (a rack, or a node group at its maximum size). */
interface Node extends NodeView {
  readonly name: string;
  /** Where it comes from, for messages: `rack hall-a-r0001` or `node group trn2-ultra-1`. */
  readonly source: string;
  readonly pool?: string;
  readonly count: number;
}
interface RacksFile {
  racks: {
    rack: string;
    pool: string;
    systems: { first: string };
    kubernetesNodes: number;
    kubeletFlags: string[];
    nodeConfig?: { spec: { kubelet: { flags: string[] } } };
  }[];
}
interface NodeGroup {
  node_group_name: string;
  instance_types: string[];
  labels?: Labels;
  taint?: { key: string; value?: string; effect: string }[];
  scaling_config: { max_size: number };
}
interface Cluster {
  name: string;
  nodes: Node[];
  /** Every object of the cluster's YAML files (kustomization resources and smoke-tests.yaml). */
  objects: Obj[];
  smokeJobs: Obj[];
}

const LABEL_POOL = 'gigawatt.dev/pool';
const LABEL_ACCELERATOR = 'gigawatt.dev/accelerator';
const HOSTNAME = 'kubernetes.io/hostname';
const EKS_EFFECT: Record<string, Taint['effect']> = {
  NO_SCHEDULE: 'NoSchedule',
  NO_EXECUTE: 'NoExecute',
  PREFER_NO_SCHEDULE: 'PreferNoSchedule',
};

/** The kubelet's --node-labels and --register-with-taints (key=value:effect, or key:effect). */
function registration(flags: readonly string[]): { labels: Labels; taints: Taint[] } {
  const value = (name: string) =>
    flags
      .filter((f) => f.startsWith(`--${name}=`))
      .map((f) => f.slice(name.length + 3))
      .join(',');
  const labels: Labels = {};
  for (const kv of value('node-labels').split(',').filter(Boolean)) {
    const i = kv.indexOf('=');
    labels[i < 0 ? kv : kv.slice(0, i)] = i < 0 ? '' : kv.slice(i + 1);
  }
  const taints = value('register-with-taints')
    .split(',')
    .filter(Boolean)
    .map((s) => {
      const [kv, effect] = [s.slice(0, s.lastIndexOf(':')), s.slice(s.lastIndexOf(':') + 1)];
      const i = kv.indexOf('=');
      return {
        key: i < 0 ? kv : kv.slice(0, i),
        value: i < 0 ? '' : kv.slice(i + 1),
        effect: effect as Taint['effect'],
      };
    });
  return { labels, taints };
}

function rackNodes(file: RacksFile): Node[] {
  return file.racks.map((r) => {
    const flags = r.nodeConfig?.spec.kubelet.flags ?? r.kubeletFlags;
    const { labels, taints } = registration(flags);
    const name = `${r.systems.first}-1`;
    return {
      name,
      source: `rack ${r.rack}`,
      pool: labels[LABEL_POOL],
      count: r.kubernetesNodes,
      labels: { ...labels, [HOSTNAME]: name, 'kubernetes.io/os': 'linux' },
      taints,
    };
  });
}

function nodeGroupNodes(groups: readonly NodeGroup[]): Node[] {
  return groups.map((g) => {
    const type = g.instance_types[0]!;
    const layers = EC2_TOPOLOGY_LAYERS[type] ?? 0;
    const name = `${g.node_group_name}-1`;
    const labels: Labels = {
      ...(g.labels ?? {}),
      [HOSTNAME]: name,
      'kubernetes.io/os': 'linux',
      'node.kubernetes.io/instance-type': type,
      'eks.amazonaws.com/nodegroup': g.node_group_name,
    };
    for (let n = 1; n <= layers; n++) labels[`topology.k8s.aws/network-node-layer-${n}`] = `nn-${n}`;
    return {
      name,
      source: `node group ${g.node_group_name}`,
      pool: g.labels?.[LABEL_POOL],
      count: g.scaling_config.max_size,
      labels,
      taints: (g.taint ?? []).map((t) => ({
        key: t.key,
        value: t.value ?? '',
        effect: EKS_EFFECT[t.effect]!,
      })),
    };
  });
}

/** Synthesize a plan with the CLI and read every Kubernetes cluster with its nodes. */
function synthClusters(planFile: string, at?: string): Cluster[] {
  const out = join(tempDir(), 'out');
  const r = runCli(['synth', planFile, '--out', out, ...(at ? ['--at', at] : [])]);
  expect({ planFile, status: r.status, stderr: r.status ? r.stderr : '' }).toEqual({
    planFile,
    status: 0,
    stderr: '',
  });
  return readdirSync(join(out, 'kubernetes'))
    .sort()
    .map((name) => {
      const dir = join(out, 'kubernetes', name);
      const read = (f: string) =>
        parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as Obj);
      const kust = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
      const smokeJobs = existsSync(join(dir, 'smoke-tests.yaml')) ? read('smoke-tests.yaml') : [];
      const racks = join(dir, 'nodes/racks.yaml');
      const tf = join(out, 'terraform/stacks', name, 'cdk.tf.json');
      const groups = existsSync(tf)
        ? Object.values(
            (
              JSON.parse(readFileSync(tf, 'utf8')) as {
                resource?: { aws_eks_node_group?: Record<string, NodeGroup> };
              }
            ).resource?.aws_eks_node_group ?? {},
          )
        : [];
      return {
        name,
        objects: [...kust.resources.flatMap(read), ...smokeJobs],
        smokeJobs,
        nodes: [
          ...(existsSync(racks) ? rackNodes(parse(readFileSync(racks, 'utf8')) as RacksFile) : []),
          ...nodeGroupNodes(groups),
        ],
      };
    });
}

const matchLabels = (sel: Labels, labels: Readonly<Labels>) =>
  Object.entries(sel).every(([k, v]) => labels[k] === v);
const fmtTaint = (t: Taint) => `${t.key}=${t.value ?? ''}:${t.effect}`;
const blocking = (t: Taint) => t.effect === 'NoSchedule' || t.effect === 'NoExecute';

/** Extended resources a ClusterQueue may cover → the DaemonSets that advertise them on a node. */
const ADVERTISERS: Record<string, readonly string[]> = {
  // NVIDIA/k8s-device-plugin registers nvidia.com/gpu.
  'nvidia.com/gpu': ['nvidia-device-plugin'],
  // aws-neuron k8s-neuron-device-plugin registers aws.amazon.com/neuron, neuroncore and neurondevice.
  'aws.amazon.com/neuron': ['neuron-device-plugin'],
  'aws.amazon.com/neuroncore': ['neuron-device-plugin'],
  // aws/eks-charts aws-efa-k8s-device-plugin registers vpc.amazonaws.com/efa.
  'vpc.amazonaws.com/efa': ['efa-device-plugin', 'efa-device-plugin-neuron'],
};
/** Health DaemonSets each accelerator kind's nodes need (the "per pool kind"). */
const HEALTH: Record<string, readonly string[]> = {
  nvidia: ['dcgm-exporter', 'node-problem-detector'],
  neuron: ['neuron-monitor', 'node-problem-detector'],
};

const requestsOf = (spec: { containers: { resources?: { requests?: Record<string, Quantity> } }[] }) => {
  const out: Record<string, number> = {};
  for (const c of spec.containers)
    for (const [k, v] of Object.entries(c.resources?.requests ?? {})) out[k] = (out[k] ?? 0) + quantity(v);
  return out;
};

/**
 * Every way the cluster's objects miss its nodes. `dra` names pools whose Neuron devices come from the
 * Neuron DRA driver, which gigawatt does not install (GW-CAP-NEURON-DEVICES): no device plugin, Neuron monitor
 * or smoke test is expected there.
 */
function problems(plan: ResolvedPlan, c: Cluster, dra: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const of = (kind: string) => c.objects.filter((o) => o.kind === kind);
  const flavors = of('ResourceFlavor');
  const queues = of('ClusterQueue');
  const daemonSets = of('DaemonSet');
  const nodesOf = (pool: string) => c.nodes.filter((n) => n.pool === pool);
  // A pool of a later phase keeps its flavor and ClusterQueue with zero quota and has no nodes yet.
  const quota = (pool: string): number =>
    (
      (queues.find((q) => q.metadata.name === pool)?.spec.resourceGroups ?? []) as {
        flavors: { resources: { name: string; nominalQuota: Quantity }[] }[];
      }[]
    )
      .flatMap((g) => g.flavors.flatMap((f) => f.resources))
      .filter((r) => r.name.includes('/'))
      .reduce((s, r) => s + quantity(r.nominalQuota), 0);
  const where = (n: Node) => `${c.name} ${n.source} (pool ${n.pool ?? '-'})`;

  // The kubelet registers only keys it may set.
  for (const n of c.nodes.filter((x) => x.source.startsWith('rack ')))
    for (const k of Object.keys(n.labels).filter((x) => !kubeletMaySet(x)))
      out.push(`${where(n)}: the kubelet refuses to set label ${k}`);

  // (a) flavors against nodes.
  for (const f of flavors) {
    const name = f.metadata.name;
    const sel = (f.spec.nodeLabels ?? {}) as Labels;
    const selected = c.nodes.filter((n) => matchLabels(sel, n.labels));
    if (!selected.length && quota(name) > 0)
      out.push(`${c.name} flavor ${name}: nodeLabels ${JSON.stringify(sel)} match no node`);
    for (const n of nodesOf(name)) {
      for (const [k, v] of Object.entries(sel))
        if (n.labels[k] !== v) out.push(`${where(n)}: lacks ${k}=${v} of flavor ${name}`);
      for (const t of n.taints.filter(blocking))
        if (!((f.spec.tolerations ?? []) as Toleration[]).some((x) => tolerates(x, t)))
          out.push(`${where(n)}: taint ${fmtTaint(t)} not tolerated by flavor ${name}`);
    }
    for (const n of selected.filter((x) => x.pool !== name))
      out.push(`${where(n)}: selected by flavor ${name} of another pool`);
    if (!nodesOf(name).length && quota(name) > 0)
      out.push(`${c.name} flavor ${name}: no node of pool ${name}`);
    if (nodesOf(name).length && quota(name) === 0) out.push(`${c.name} flavor ${name}: nodes, but no quota`);
  }
  for (const n of c.nodes.filter((x) => x.labels[LABEL_ACCELERATOR]))
    if (!flavors.some((f) => f.metadata.name === n.pool))
      out.push(`${where(n)}: no ResourceFlavor for its pool`);

  // (b) Topology levels on every node of the flavor's pool.
  for (const f of flavors.filter((x) => x.spec.topologyName)) {
    const topology = of('Topology').find((t) => t.metadata.name === f.spec.topologyName);
    if (!topology) {
      out.push(`${c.name} flavor ${f.metadata.name}: Topology ${f.spec.topologyName} missing`);
      continue;
    }
    const levels = (topology.spec.levels as { nodeLabel: string }[]).map((l) => l.nodeLabel);
    for (const n of nodesOf(f.metadata.name))
      for (const level of levels.filter((l) => !(l in n.labels)))
        out.push(`${where(n)}: lacks level ${level} of Topology ${topology.metadata.name}`);
  }

  // (c) DaemonSets on exactly the nodes that need them.
  const covered = (pool: string): string[] =>
    (
      (queues.find((q) => q.metadata.name === pool)?.spec.resourceGroups ?? []) as {
        coveredResources: string[];
      }[]
    ).flatMap((g) => g.coveredResources);
  const needs = (n: Node): Set<string> => {
    const kind = n.labels[LABEL_ACCELERATOR];
    const need = new Set<string>();
    if (!kind || !n.pool) return need;
    for (const ds of HEALTH[kind] ?? []) if (!(dra.has(n.pool) && ds === 'neuron-monitor')) need.add(ds);
    // On a DRA pool a covered aws.amazon.com/neuron(core) would need the device plugin, which must not run
    // there, so it is reported below as a DaemonSet that does not run where needed.
    for (const r of covered(n.pool)) {
      const ads = ADVERTISERS[r];
      if (!ads) continue;
      // The EFA plugin has an NVIDIA and a Neuron variant; either advertises the devices.
      const ds =
        ads.length > 1 ? ads.find((a) => a.endsWith(kind === 'neuron' ? '-neuron' : 'plugin'))! : ads[0]!;
      need.add(ds);
    }
    return need;
  };
  for (const n of c.nodes)
    for (const name of needs(n))
      if (!daemonSets.some((d) => d.metadata.name === name))
        out.push(`${where(n)}: needs DaemonSet ${name}, which the cluster lacks`);
  // Every other resource a ClusterQueue covers is the logical resource of a DRA DeviceClass (the manager
  // configuration's deviceClassMappings), on a pool whose devices come from a DRA driver: Kueue charges it for
  // the pods' claims, and the driver, not a device plugin, offers the devices.
  const mapped = deviceClassMappings(c.objects);
  for (const q of queues)
    for (const r of covered(q.metadata.name).filter(
      (x) => !['cpu', 'memory'].includes(x) && !ADVERTISERS[x],
    )) {
      const classes = [...mapped].filter(([, name]) => name === r).map(([dc]) => dc);
      if (!classes.length)
        out.push(`${c.name} ClusterQueue ${q.metadata.name}: covers ${r}, which nothing advertises or maps`);
      else if (!dra.has(q.metadata.name))
        out.push(
          `${c.name} ClusterQueue ${q.metadata.name}: covers ${r} (DeviceClass ${classes}) off a DRA pool`,
        );
    }
  // With manageJobsWithoutQueueName and the pod integration, Kueue manages (gates until admitted) every pod of
  // a namespace managedJobsNamespaceSelector matches, queue label or not; the default selector exempts only
  // kube-system and kueue-system (site/content/en/docs/tasks/manage/enforce_job_management/
  // manage_jobs_without_queue_name.md, v0.19.2). A DaemonSet there would wait for quota it never gets.
  const config = of('ConfigMap').find((m) => m.metadata.name === 'kueue-manager-config') as
    (Obj & { data: Record<string, string> }) | undefined;
  const kueueConfig = config
    ? (parse(config.data['controller_manager_config.yaml']!) as {
        manageJobsWithoutQueueName?: boolean;
        managedJobsNamespaceSelector?: { matchExpressions?: Requirement[] };
        integrations?: { frameworks?: string[] };
      })
    : undefined;
  const gated = (ns: string) =>
    !!kueueConfig?.manageJobsWithoutQueueName &&
    !!kueueConfig.integrations?.frameworks?.includes('pod') &&
    (
      kueueConfig.managedJobsNamespaceSelector?.matchExpressions ?? [
        { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'kueue-system'] },
      ]
    ).every((r) => requirementMatches(r, { 'kubernetes.io/metadata.name': ns }));
  for (const ds of daemonSets) {
    if (gated(ds.metadata.namespace ?? 'default'))
      out.push(
        `${c.name} DaemonSet ${ds.metadata.name}: namespace ${ds.metadata.namespace} is managed by Kueue`,
      );
    const pod = ds.spec.template.spec as PodPlacement;
    for (const n of c.nodes) {
      const reason = unschedulableReason(pod, n);
      const needed = needs(n).has(ds.metadata.name);
      if (needed && reason)
        out.push(`${where(n)}: DaemonSet ${ds.metadata.name} does not run there: ${reason}`);
      if (!needed && !reason) out.push(`${where(n)}: DaemonSet ${ds.metadata.name} runs there without need`);
    }
  }

  // (d) pods admitted through their LocalQueue and schedulable on every node of the pool.
  const afterAdmission = (
    queue: string,
    namespace: string,
    pod: PodPlacement,
  ): [string, PodPlacement] | string => {
    const lq = of('LocalQueue').find((q) => q.metadata.name === queue && q.metadata.namespace === namespace);
    const cq = queues.find((q) => q.metadata.name === lq?.spec.clusterQueue);
    const flavorName = cq?.spec.resourceGroups[0].flavors[0].name as string | undefined;
    const f = flavors.find((x) => x.metadata.name === flavorName);
    if (!f) return `no flavor behind LocalQueue ${namespace}/${queue}`;
    const nodeSelector: Labels = { ...(pod.nodeSelector ?? {}) };
    for (const [k, v] of Object.entries((f.spec.nodeLabels ?? {}) as Labels)) {
      if (k in nodeSelector && nodeSelector[k] !== v)
        return `nodeSelector ${k}=${nodeSelector[k]} conflicts with flavor ${f.metadata.name}`;
      nodeSelector[k] = v;
    }
    const tolerations = [...(pod.tolerations ?? []), ...((f.spec.tolerations ?? []) as Toleration[])];
    return [f.metadata.name, { ...pod, nodeSelector, tolerations }];
  };
  const placeOnPool = (what: string, pool: string, queue: string, namespace: string, pod: PodPlacement) => {
    const merged = afterAdmission(queue, namespace, pod);
    if (typeof merged === 'string') return out.push(`${c.name} ${what}: ${merged}`);
    const [flavor, placed] = merged;
    if (flavor !== pool) out.push(`${c.name} ${what}: admitted to flavor ${flavor}, not pool ${pool}`);
    for (const n of nodesOf(pool)) {
      const reason = unschedulableReason(placed, n);
      if (reason) out.push(`${where(n)}: ${what} not schedulable: ${reason}`);
    }
  };
  for (const q of queues) {
    const pool = plan.poolByName.get(q.metadata.name);
    if (!pool || !acceleratorKind(pool) || !quota(pool.name)) continue;
    const namespaces = of('LocalQueue')
      .filter((l) => l.metadata.name === pool.name && l.spec.clusterQueue === pool.name)
      .map((l) => l.metadata.namespace!);
    if (!namespaces.length) out.push(`${c.name} pool ${pool.name}: no team LocalQueue`);
    for (const ns of namespaces) {
      const ps = trainingPodSet(pool, ns);
      const what = `training pod set of ${ns} on pool ${pool.name}`;
      const a = admit(c.objects, c.nodes, ps);
      if (!a.admitted) out.push(`${c.name} ${what}: not admitted: ${a.reason}`);
      // On a DRA pool each pod's claim is charged the devices of one node: all the node offers.
      if (dra.has(pool.name)) {
        const charged = claimRequests(c.objects, ns, ps.claims ?? []);
        const perNode = pool.accelerators / pool.kubernetesNodes;
        const devices = typeof charged === 'string' ? charged : Object.values(charged);
        if (JSON.stringify(devices) !== JSON.stringify([perNode]))
          out.push(`${c.name} ${what}: claims ${JSON.stringify(devices)} devices per pod, not ${perNode}`);
      }
      // A pod on every node: the pool's registered nodes are at least that many.
      const nodes = nodesOf(pool.name).reduce((s, n) => s + n.count, 0);
      if (nodes < ps.count) out.push(`${c.name} ${what}: ${ps.count} pods, ${nodes} nodes`);
      placeOnPool(what, pool.name, ps.queue, ns, {});
    }
  }
  for (const job of c.smokeJobs) {
    const what = `smoke Job ${job.metadata.namespace}/${job.metadata.name}`;
    const pool = job.metadata.labels?.[LABEL_POOL] ?? '';
    const queue = job.metadata.labels?.['kueue.x-k8s.io/queue-name'] ?? '';
    const spec = job.spec.template.spec as PodPlacement & Parameters<typeof requestsOf>[0];
    const a = admit(c.objects, c.nodes, {
      namespace: job.metadata.namespace!,
      queue,
      count: (job.spec.parallelism as number | undefined) ?? 1,
      requests: requestsOf(spec),
      tolerations: spec.tolerations,
      nodeSelector: spec.nodeSelector,
    });
    if (!a.admitted) out.push(`${c.name} ${what}: not admitted: ${a.reason}`);
    if (!nodesOf(pool).length) out.push(`${c.name} ${what}: no node of pool ${pool}`);
    placeOnPool(what, pool, queue, job.metadata.namespace!, spec);
  }
  for (const q of queues) {
    const pool = plan.poolByName.get(q.metadata.name);
    if (pool && acceleratorKind(pool) && !dra.has(pool.name) && quota(pool.name))
      if (!c.smokeJobs.some((j) => j.metadata.labels?.[LABEL_POOL] === pool.name))
        out.push(`${c.name} pool ${pool.name}: no smoke Job`);
  }
  return out;
}

/** Trainium3 pools: their Neuron devices come from the DRA driver (pipeline/model/images.ts neuronDraPools). */
const draPools = (plan: ResolvedPlan) => new Set(plan.pools.filter(isDraPool).map((p) => p.name));

/** Each example, and a plan with a timeline at each of its dates (synth --at), with the model at that date. */
const cases = exampleFiles().flatMap((file) => {
  const full = validateFile(join(ROOT, file));
  return full.timeline
    ? full.timeline.map((s) => ({
        file,
        at: s.label as string | undefined,
        plan: resultAt(full, s.at)!.plan!,
      }))
    : [{ file, at: undefined, plan: full.plan! }];
});

describe.each(cases)(
  'nodes of $file (at $at) against its queues, Topologies and DaemonSets',
  ({ file, at, plan }) => {
    const clusters = synthClusters(file, at);

    test('every accelerator pool with quota has registered nodes: on-prem racks or EKS node groups', () => {
      for (const c of clusters) {
        const probs = problems(plan, c, draPools(plan)).filter((p) => / no node of pool /.test(p));
        expect({ cluster: c.name, probs, nodes: c.nodes.length > 0 }).toEqual({
          cluster: c.name,
          probs: [],
          nodes: true,
        });
      }
    });

    test('flavors, Topology levels, DaemonSets, the training pod and the smoke Jobs all reach those nodes', () => {
      const dra = draPools(plan);
      for (const c of clusters)
        expect({ cluster: c.name, problems: problems(plan, c, dra) }).toEqual({
          cluster: c.name,
          problems: [],
        });
    });
  },
);

test('EKS Hybrid Nodes: the on-prem racks joined to the AWS cluster reach the same objects as its node groups', () => {
  const planFile = join(tempDir(), 'hybrid.yaml');
  writeFileSync(
    planFile,
    readFileSync(join(ROOT, 'examples/frontier.yaml'), 'utf8').replace(
      '    provider: onprem\n',
      '    provider: onprem\n    hybrid: { cluster: ohio, remoteNodeCidrs: [192.168.0.0/16] }\n',
    ),
  );
  const plan = validateFile(planFile).plan!;
  const [c, ...rest] = synthClusters(planFile);
  expect(rest).toEqual([]);
  expect(c!.name).toBe('ohio');
  expect([...new Set(c!.nodes.map((n) => n.pool))].sort()).toEqual([undefined, 'h200', 'trn2-ultra'].sort());
  expect(problems(plan, c!, draPools(plan))).toEqual([]);
});

/** The objects with the Kueue manager configuration (kueue-manager-config) rewritten by `edit`. */
const editKueueConfig = (objects: readonly Obj[], edit: (config: string) => string): Obj[] =>
  objects.map((o) =>
    o.kind === 'ConfigMap' && o.metadata.name === 'kueue-manager-config'
      ? {
          ...o,
          data: {
            'controller_manager_config.yaml': edit(
              (o as unknown as { data: Record<string, string> }).data['controller_manager_config.yaml']!,
            ),
          },
        }
      : o,
  );

describe('the node checks can fail', () => {
  const plan = validateFile(join(ROOT, 'examples/frontier.yaml')).plan!;
  const clusters = synthClusters('examples/frontier.yaml');
  const abilene = clusters.find((c) => c.name === 'abilene')!;
  const ohio = clusters.find((c) => c.name === 'ohio')!;
  const dra = draPools(plan);
  const mapNodes = (c: Cluster, f: (n: Node, i: number) => Node): Cluster => ({
    ...c,
    nodes: c.nodes.map(f),
  });

  test('frontier has on-prem rack nodes in abilene and node-group nodes in ohio, both clean', () => {
    expect(abilene.nodes.every((n) => n.source.startsWith('rack '))).toBe(true);
    expect(abilene.nodes.length).toBe(512);
    expect(ohio.nodes.map((n) => n.source).sort()).toEqual(['node group system', 'node group trn2-ultra-1']);
    // trn2u.48xlarge has three EC2 network layers, as the aws-network Topology expects.
    expect(ohio.nodes.find((n) => n.pool === 'trn2-ultra')!.labels).toMatchObject({
      'topology.k8s.aws/network-node-layer-3': 'nn-3',
      'node.kubernetes.io/instance-type': 'trn2u.48xlarge',
      'gigawatt.dev/pool': 'trn2-ultra',
    });
    expect(problems(plan, abilene, dra)).toEqual([]);
    expect(problems(plan, ohio, dra)).toEqual([]);
  });

  test('a rack registered without its rack label misses the Topology level', () => {
    const broken = mapNodes(abilene, (n, i) => {
      if (i !== 3) return n;
      const labels = { ...n.labels };
      delete labels['gigawatt.dev/rack'];
      return { ...n, labels };
    });
    expect(problems(plan, broken, dra)).toEqual([
      'abilene rack hall-a-r0004 (pool h200): lacks level gigawatt.dev/rack of Topology onprem-racks',
    ]);
  });

  test('a rack registered without its pool label loses its flavor, its DaemonSets and its pods', () => {
    const broken = mapNodes(abilene, (n, i) => {
      if (i !== 0) return n;
      const labels = { ...n.labels };
      delete labels['gigawatt.dev/pool'];
      return { ...n, labels, pool: undefined };
    });
    const p = problems(plan, broken, dra);
    expect(p).toContain('abilene rack hall-a-r0001 (pool -): no ResourceFlavor for its pool');
  });

  test('an extra NoExecute taint is caught on every object that must reach the node; PreferNoSchedule is not', () => {
    const taint = (effect: Taint['effect']) =>
      mapNodes(abilene, (n, i) =>
        i === 1
          ? { ...n, taints: [...n.taints, { key: 'example.com/maintenance', value: 'true', effect }] }
          : n,
      );
    const p = problems(plan, taint('NoExecute'), dra);
    const at = 'abilene rack hall-a-r0002 (pool h200):';
    expect(p).toEqual([
      `${at} taint example.com/maintenance=true:NoExecute not tolerated by flavor h200`,
      ...['nvidia-device-plugin', 'dcgm-exporter', 'node-problem-detector'].map(
        (ds) =>
          `${at} DaemonSet ${ds} does not run there: taint example.com/maintenance=true:NoExecute not tolerated`,
      ),
      `${at} training pod set of evals on pool h200 not schedulable: taint example.com/maintenance=true:NoExecute not tolerated`,
      `${at} training pod set of pretraining on pool h200 not schedulable: taint example.com/maintenance=true:NoExecute not tolerated`,
      `${at} smoke Job evals/smoke-h200 not schedulable: taint example.com/maintenance=true:NoExecute not tolerated`,
    ]);
    expect(problems(plan, taint('PreferNoSchedule'), dra)).toEqual([]);
  });

  test('a DaemonSet that misses the Neuron taint, or reaches a pool it should not, is caught', () => {
    const objects = ohio.objects.map((o) =>
      o.kind === 'DaemonSet' && o.metadata.name === 'neuron-monitor'
        ? {
            ...o,
            spec: {
              ...o.spec,
              template: { ...o.spec.template, spec: { ...o.spec.template.spec, tolerations: [] } },
            },
          }
        : o,
    );
    expect(problems(plan, { ...ohio, objects }, dra)).toEqual([
      'ohio node group trn2-ultra-1 (pool trn2-ultra): DaemonSet neuron-monitor does not run there: taint aws.amazon.com/neuron=present:NoSchedule not tolerated',
    ]);
    // The system node group, untainted, with the affinity gone: the plugin would land there too.
    const open = ohio.objects.map((o) =>
      o.kind === 'DaemonSet' && o.metadata.name === 'neuron-device-plugin'
        ? {
            ...o,
            spec: {
              ...o.spec,
              template: { ...o.spec.template, spec: { ...o.spec.template.spec, affinity: {} } },
            },
          }
        : o,
    );
    expect(problems(plan, { ...ohio, objects: open }, dra)).toEqual([
      'ohio node group system (pool -): DaemonSet neuron-device-plugin runs there without need',
    ]);
  });

  test('a smoke Job whose nodeSelector conflicts with its flavor is caught', () => {
    const jobs = abilene.smokeJobs.map((j) => ({
      ...j,
      spec: {
        ...j.spec,
        template: {
          ...j.spec.template,
          spec: { ...j.spec.template.spec, nodeSelector: { 'gigawatt.dev/pool': 'elsewhere' } },
        },
      },
    }));
    const objects = [...abilene.objects.filter((o) => o.kind !== 'Job'), ...jobs];
    expect(problems(plan, { ...abilene, objects, smokeJobs: jobs }, dra)).toEqual([
      'abilene smoke Job evals/smoke-h200: not admitted: no flavor fits cpu',
      'abilene smoke Job evals/smoke-h200: nodeSelector gigawatt.dev/pool=elsewhere conflicts with flavor h200',
    ]);
  });

  test('DaemonSets in a namespace Kueue manages without a queue name are caught', () => {
    const objects = editKueueConfig(abilene.objects, (c) =>
      c.replace(/managedJobsNamespaceSelector:[\s\S]*?(?=\nwaitForPodsReady)/, ''),
    );
    expect(problems(plan, { ...abilene, objects }, dra)).toEqual(
      ['nvidia-device-plugin', 'dcgm-exporter', 'node-problem-detector'].map(
        (ds) => `abilene DaemonSet ${ds}: namespace gigawatt-device-plugins is managed by Kueue`,
      ),
    );
  });

  test('registration flags read back as the kubelet applies them', () => {
    expect(
      registration([
        '--node-labels=a.example/x=1,b.example/y=',
        '--register-with-taints=k.example/t=v:NoSchedule,k.example/u:NoExecute',
      ]),
    ).toEqual({
      labels: { 'a.example/x': '1', 'b.example/y': '' },
      taints: [
        { key: 'k.example/t', value: 'v', effect: 'NoSchedule' },
        { key: 'k.example/u', value: '', effect: 'NoExecute' },
      ],
    });
    expect(kubeletMaySet('gigawatt.dev/pool')).toBe(true);
    expect(kubeletMaySet('node.kubernetes.io/instance-type')).toBe(true);
    expect(kubeletMaySet('node-role.kubernetes.io/worker')).toBe(false);
    expect(kubeletMaySet('example.k8s.io/x')).toBe(false);
  });
});

describe('the node checks catch a Trainium3 queue that misses the Neuron DRA driver', () => {
  // fleet-100k: pool trn3-gen2 (trn3p.48xlarge, 4 Trainium3 chips per node) in cluster ohio.
  const plan = validateFile(join(ROOT, 'examples/fleet-100k.yaml')).plan!;
  const ohio = synthClusters('examples/fleet-100k.yaml').find((c) => c.name === 'ohio')!;
  const dra = draPools(plan);
  const map = (f: (o: Obj) => Obj): Cluster => ({ ...ohio, objects: ohio.objects.map(f) });

  test('as generated: the node group, the queue, the claim template and the configuration agree', () => {
    expect(dra).toEqual(new Set(['trn3-gen2']));
    expect(ohio.nodes.some((n) => n.pool === 'trn3-gen2')).toBe(true);
    expect(problems(plan, ohio, dra)).toEqual([]);
  });

  test('a configuration without deviceClassMappings leaves the claims and the queue resource unmapped', () => {
    const broken: Cluster = {
      ...ohio,
      objects: editKueueConfig(ohio.objects, (c) => c.replace(/\n\s*deviceClassMappings:[\s\S]*$/, '\n')),
    };
    const p = problems(plan, broken, dra);
    expect(p).toContain(
      'ohio ClusterQueue trn3-gen2: covers neuron.aws.com/device, which nothing advertises or maps',
    );
    for (const ns of ['inference', 'pretraining'])
      expect(p).toContain(
        `ohio training pod set of ${ns} on pool trn3-gen2: not admitted: DeviceClass neuron.aws.com is not mapped in DRA configuration`,
      );
  });

  test("a Trainium3 queue that covers the device plugin's aws.amazon.com/neuron needs a plugin that must not run there", () => {
    const broken = map((o) =>
      o.kind === 'ClusterQueue' && o.metadata.name === 'trn3-gen2'
        ? JSON.parse(JSON.stringify(o).replaceAll('neuron.aws.com/device', 'aws.amazon.com/neuron'))
        : o,
    );
    const affinity =
      'required node affinity [[{"key":"gigawatt.dev/pool","operator":"In","values":["trn2-ultra"]}]] matches no label of the node';
    expect(problems(plan, broken, dra)).toEqual([
      ...[1, 2].map(
        (i) =>
          `ohio node group trn3-gen2-${i} (pool trn3-gen2): DaemonSet neuron-device-plugin does not run there: ${affinity}`,
      ),
      // The training pods' claims are charged neuron.aws.com/device, which the queue no longer covers.
      ...['inference', 'pretraining'].map(
        (ns) =>
          `ohio training pod set of ${ns} on pool trn3-gen2: not admitted: resource neuron.aws.com/device unavailable in ClusterQueue`,
      ),
    ]);
  });

  test('a claim template that claims fewer devices than a node has is caught', () => {
    const broken = map((o) =>
      o.kind === 'ResourceClaimTemplate' && o.metadata.namespace === 'pretraining'
        ? JSON.parse(JSON.stringify(o).replace('"count":4', '"count":1'))
        : o,
    );
    expect(problems(plan, broken, dra)).toEqual([
      'ohio training pod set of pretraining on pool trn3-gen2: claims [1] devices per pod, not 4',
    ]);
  });
});
