/**
 * Health monitoring and smoke tests in kubernetes/<cluster>/, read from the files `gigawatt synth` writes for
 * every example: the Neuron monitor and node problem detector land on exactly the right pools' nodes, and each
 * pool's smoke-test Job is one Kueue can admit against the generated queues and kube-scheduler can place on
 * the pool's nodes (test/kueue-evaluator.ts), with pinned images and Pod Security "restricted".
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { restrictedFindings, type KubeObject } from '../pipeline/kubernetes';
import type { ResolvedPlan, ResolvedPool } from '../pipeline/model';
import { efaDevicesPerNode } from '../pipeline/model/efa';
import {
  acceleratorKind,
  acceleratorResource,
  poolNodeLabels,
  poolNodeTaints,
} from '../pipeline/model/labels';
import { validateFile } from '../pipeline/run';
import { exampleFiles, ROOT, runCli, tempDir } from './helpers';
import { admit, poolNodes, quantity, tolerates, type Quantity, type Toleration } from './kueue-evaluator';

type Obj = KubeObject & { spec?: Record<string, unknown> };
interface Container {
  name: string;
  image: string;
  resources?: { requests?: Record<string, Quantity>; limits?: Record<string, Quantity> };
  [k: string]: unknown;
}
interface PodSpec {
  affinity?: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: { matchExpressions: { key: string; operator: string; values: string[] }[] }[];
      };
    };
  };
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  containers: Container[];
  [k: string]: unknown;
}
const podSpec = (o: Obj): PodSpec => (o.spec as { template: { spec: PodSpec } }).template.spec;

interface Cluster {
  name: string;
  dir: string;
  /** file name → objects */
  files: Map<string, Obj[]>;
  /** Accelerator pools of the cluster: those with a ClusterQueue in its kueue.yaml. */
  pools: ResolvedPool[];
}

/** Synthesize an example with the CLI and read every cluster directory it writes. */
function synth(file: string): { plan: ResolvedPlan; clusters: Cluster[] } {
  const out = join(tempDir(), 'out');
  const r = runCli(['synth', file, '--out', out]);
  expect({ file, status: r.status, stderr: r.status ? r.stderr : '' }).toEqual({
    file,
    status: 0,
    stderr: '',
  });
  const plan = validateFile(join(ROOT, file)).plan!;
  const root = join(out, 'kubernetes');
  const clusters = readdirSync(root)
    .sort()
    .map((name) => {
      const dir = join(root, name);
      const files = new Map(
        readdirSync(dir)
          .filter((f) => f.endsWith('.yaml'))
          .sort()
          .map((f) => [f, parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as Obj)]),
      );
      const queues = (files.get('kueue.yaml') ?? []).filter((o) => o.kind === 'ClusterQueue');
      const pools = plan.pools.filter((p) => queues.some((q) => q.metadata.name === p.name));
      return { name, dir, files, pools };
    });
  return { plan, clusters };
}

/** Pool names a DaemonSet's required node affinity selects (the one pool-label expression). */
function selectedPools(ds: Obj): string[] {
  const terms =
    podSpec(ds).affinity!.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
  expect(terms).toHaveLength(1);
  expect(terms[0].matchExpressions).toHaveLength(1);
  return terms[0].matchExpressions[0].values;
}

/** The plan pools whose nodes (labels per pipeline/model/labels.ts) match the DaemonSet's node affinity. */
function poolsMatchedBy(ds: Obj, pools: readonly ResolvedPool[]): string[] {
  const [e] =
    podSpec(ds).affinity!.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]
      .matchExpressions;
  expect(e.operator).toBe('In');
  return pools
    .filter((p) => e.values.includes(poolNodeLabels(p)[e.key]))
    .map((p) => p.name)
    .sort();
}

/**
 * The accelerator quota of a pool's ClusterQueue as written: synth writes the plan at its first date, where a
 * pool of a later phase may have no nodes yet.
 */
function quota(c: Cluster, pool: ResolvedPool): number {
  const cq = c.files
    .get('kueue.yaml')!
    .find((o) => o.kind === 'ClusterQueue' && o.metadata.name === pool.name)!;
  const resources = (
    cq.spec as { resourceGroups: { flavors: { resources: { name: string; nominalQuota: Quantity }[] }[] }[] }
  ).resourceGroups[0].flavors[0].resources;
  return quantity(
    resources.find((r) => r.name === acceleratorResource(acceleratorKind(pool)!))!.nominalQuota,
  );
}

/** An image reference ends in a tag other than latest (the registry port is not a tag). */
const pinned = (image: string): boolean => {
  const tag = /:([^/:@]+)$/.exec(image)?.[1];
  return !!tag && tag !== 'latest';
};

const daemonSet = (c: Cluster, file: string, name: string): Obj | undefined =>
  c.files.get(file)?.find((o) => o.kind === 'DaemonSet' && o.metadata.name === name);

const isNeuronPluginPool = (p: ResolvedPool) =>
  acceleratorKind(p) === 'neuron' && p.kind === 'ec2' && p.acceleratorModel !== 'Trainium3';

describe.each(exampleFiles())('health and smoke tests of %s', (file) => {
  const { plan, clusters } = synth(file);

  test('the Neuron monitor runs on exactly the Neuron device-plugin pools, tolerating their taints', () => {
    for (const c of clusters) {
      const expected = c.pools
        .filter(isNeuronPluginPool)
        .map((p) => p.name)
        .sort();
      const ds = daemonSet(c, 'neuron-monitor.yaml', 'neuron-monitor');
      expect({ cluster: c.name, present: !!ds }).toEqual({ cluster: c.name, present: expected.length > 0 });
      if (!ds) continue;
      expect(poolsMatchedBy(ds, plan.pools)).toEqual(expected);
      // The same nodes as the Neuron device plugin.
      expect(selectedPools(ds)).toEqual(
        selectedPools(daemonSet(c, 'neuron-device-plugin.yaml', 'neuron-device-plugin')!),
      );
      for (const pool of expected)
        for (const taint of poolNodeTaints(plan.poolByName.get(pool)!))
          expect(podSpec(ds).tolerations!.some((t) => tolerates(t, taint))).toBe(true);
      const [container] = podSpec(ds).containers;
      expect(container.image).toBe('public.ecr.aws/neuron/neuron-monitor:1.3.0');
      expect(container.ports).toEqual([{ name: 'metrics', containerPort: 8000 }]);
      expect(container.args).toEqual([
        '--port',
        '8000',
        '--neuron-monitor-config',
        '/opt/aws/neuron/bin/neuron-monitor.conf',
      ]);
    }
  });

  test('one node problem detector per cluster with accelerator pools, on every accelerator node', () => {
    for (const c of clusters) {
      const ds = daemonSet(c, 'node-problem-detector.yaml', 'node-problem-detector');
      expect({ cluster: c.name, present: !!ds }).toEqual({ cluster: c.name, present: c.pools.length > 0 });
      if (!ds) continue;
      expect(poolsMatchedBy(ds, plan.pools)).toEqual(c.pools.map((p) => p.name).sort());
      const taints = c.pools.flatMap(poolNodeTaints);
      expect(taints.length).toBeGreaterThan(0);
      for (const taint of taints)
        expect(podSpec(ds).tolerations!.some((t) => tolerates(t, taint))).toBe(true);
      expect(podSpec(ds).containers[0].image).toBe(
        'registry.k8s.io/node-problem-detector/node-problem-detector:v0.8.19',
      );
      // Its service account holds the bootstrap role the upstream rbac.yaml binds.
      const objs = c.files.get('node-problem-detector.yaml')!;
      const binding = objs.find((o) => o.kind === 'ClusterRoleBinding') as unknown as {
        roleRef: { name: string };
        subjects: { name: string; namespace: string }[];
      };
      expect(binding.roleRef.name).toBe('system:node-problem-detector');
      expect(binding.subjects).toEqual([
        { kind: 'ServiceAccount', name: podSpec(ds).serviceAccountName, namespace: ds.metadata.namespace },
      ]);
      expect(
        objs.some((o) => o.kind === 'ServiceAccount' && o.metadata.name === podSpec(ds).serviceAccountName),
      ).toBe(true);
    }
  });

  test('every accelerator pool but the Neuron DRA ones has one suspended smoke Job, outside the kustomization', () => {
    for (const c of clusters) {
      const jobs = c.files.get('smoke-tests.yaml') ?? [];
      const expected = c.pools.filter(
        (p) => !(acceleratorKind(p) === 'neuron' && p.acceleratorModel === 'Trainium3') && quota(c, p) > 0,
      );
      expect(jobs.map((j) => j.metadata.labels?.['gigawatt.dev/pool']).sort()).toEqual(
        expected.map((p) => p.name).sort(),
      );
      for (const j of jobs) {
        expect(j.kind).toBe('Job');
        expect(j.spec!.suspend).toBe(true);
        expect(j.spec!.parallelism).toBe(1);
      }
      const kustomization = parse(readFileSync(join(c.dir, 'kustomization.yaml'), 'utf8')) as {
        resources: string[];
      };
      expect(kustomization.resources).not.toContain('smoke-tests.yaml');
      expect(existsSync(join(c.dir, 'smoke-tests.yaml'))).toBe(jobs.length > 0);
    }
  });

  test('Kueue admits each smoke Job through its LocalQueue, and its pod fits one node of the pool', () => {
    for (const c of clusters) {
      const objects = [...c.files.values()].flat();
      for (const job of c.files.get('smoke-tests.yaml') ?? []) {
        const pool = plan.poolByName.get(job.metadata.labels!['gigawatt.dev/pool'])!;
        const queue = job.metadata.labels!['kueue.x-k8s.io/queue-name'];
        const namespace = job.metadata.namespace!;
        // The LocalQueue is in the Job's namespace and leads to the pool's ClusterQueue.
        const lq = objects.find(
          (o) => o.kind === 'LocalQueue' && o.metadata.name === queue && o.metadata.namespace === namespace,
        );
        expect({ job: job.metadata.name, clusterQueue: lq?.spec?.clusterQueue }).toEqual({
          job: job.metadata.name,
          clusterQueue: pool.name,
        });
        const spec = podSpec(job);
        expect(spec.containers).toHaveLength(1);
        const requests = spec.containers[0].resources!.requests!;
        expect({
          job: job.metadata.name,
          ...admit(objects, poolNodes(plan.pools), {
            namespace,
            queue,
            count: 1,
            requests,
            tolerations: spec.tolerations,
            nodeSelector: spec.nodeSelector,
          }),
        }).toEqual({ job: job.metadata.name, admitted: true, reason: '' });
        // One node: all its accelerators and EFA devices, cpu and memory within the node (catalog figures).
        const kind = acceleratorKind(pool)!;
        expect(requests[acceleratorResource(kind)]).toBe(pool.accelerators / pool.kubernetesNodes);
        const efa = pool.efa && pool.instance ? efaDevicesPerNode(pool.instance) : 0;
        expect(requests['vpc.amazonaws.com/efa']).toBe(efa > 0 ? efa : undefined);
        expect(Object.keys(requests).slice(0, 2)).toEqual(['cpu', 'memory']);
        if (pool.vcpus !== undefined && pool.memoryGiB !== undefined) {
          expect(quantity(requests.cpu)).toBeLessThan(pool.vcpus / pool.nodes);
          expect(quantity(requests.memory)).toBeLessThan((pool.memoryGiB / pool.nodes) * 2 ** 30);
        }
        // Extended resources need limits equal to requests.
        const limits = spec.containers[0].resources!.limits!;
        for (const r of Object.keys(requests).filter((k) => k.includes('/')))
          expect(limits[r]).toBe(requests[r]);
        // The nodes of the pool carry the selector's labels.
        for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) expect(poolNodeLabels(pool)[k]).toBe(v);
        // Pod Security "restricted", which the team namespaces enforce.
        expect(restrictedFindings(job)).toEqual([]);
        const ns = (c.files.get('namespaces.yaml') ?? []).find((o) => o.metadata.name === namespace);
        expect(ns?.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
        // No invented expectation: the catalog has no sourced bus bandwidth.
        expect(Object.keys(job.metadata.annotations ?? {}).filter((a) => /bandwidth|busbw/i.test(a))).toEqual(
          [],
        );
      }
    }
  });

  test('every image is pinned to a tag (no :latest, no bare name)', () => {
    for (const c of clusters)
      for (const o of [...c.files.values()].flat()) {
        const spec = (o.spec as { template?: { spec?: PodSpec } } | undefined)?.template?.spec;
        for (const container of spec?.containers ?? []) {
          expect({ image: container.image, pinned: pinned(container.image) }).toEqual({
            image: container.image,
            pinned: true,
          });
        }
      }
  });

  test('the README says how to run each smoke Job and why no bandwidth is expected', () => {
    for (const c of clusters) {
      const readme = readFileSync(join(c.dir, 'README.md'), 'utf8');
      const jobs = c.files.get('smoke-tests.yaml') ?? [];
      if (jobs.length) {
        expect(readme).toContain('kubectl create -f smoke-tests.yaml');
        expect(readme).toContain('no expected bus bandwidth annotation');
      }
      for (const j of jobs)
        expect(readme).toContain(`kubectl -n ${j.metadata.namespace} logs job/${j.metadata.name}`);
      for (const p of c.pools.filter((x) => x.acceleratorModel === 'Trainium3'))
        expect(readme).toContain(
          `Pool ${p.name} has no smoke test: its Neuron devices come from the Neuron DRA driver`,
        );
    }
  });
});

describe('the smoke-test checks can fail', () => {
  const { plan, clusters } = synth('examples/frontier.yaml');
  const c = clusters.find(
    (x) => x.files.has('smoke-tests.yaml') && x.pools.some((p) => acceleratorKind(p) === 'nvidia'),
  )!;
  const objects = [...c.files.values()].flat();
  const job = c.files.get('smoke-tests.yaml')![0];
  const spec = podSpec(job);
  const podSet = {
    namespace: job.metadata.namespace!,
    queue: job.metadata.labels!['kueue.x-k8s.io/queue-name'],
    count: 1,
    requests: spec.containers[0].resources!.requests!,
    tolerations: spec.tolerations,
    nodeSelector: spec.nodeSelector,
  };

  test('as generated it is admitted', () => {
    expect(admit(objects, poolNodes(plan.pools), podSet).admitted).toBe(true);
  });

  test('a request no ClusterQueue covers, or a selector for another pool, is not', () => {
    expect(
      admit(objects, poolNodes(plan.pools), {
        ...podSet,
        requests: { ...podSet.requests, 'nvidia.com/mig-1g.10gb': 1 },
      }).admitted,
    ).toBe(false);
    expect(
      admit(objects, poolNodes(plan.pools), { ...podSet, nodeSelector: { 'gigawatt.dev/pool': 'elsewhere' } })
        .admitted,
    ).toBe(false);
    expect(admit(objects, poolNodes(plan.pools), { ...podSet, queue: 'missing' }).admitted).toBe(false);
  });

  test('an image without a tag or with :latest would be caught', () => {
    expect(pinned(spec.containers[0].image)).toBe(true);
    expect(pinned('public.ecr.aws/hpc-cloud/nccl-tests:latest')).toBe(false);
    expect(pinned('registry.k8s.io:5000/node-problem-detector')).toBe(false);
  });
});
