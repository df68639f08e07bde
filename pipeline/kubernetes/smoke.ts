/**
 * One smoke-test Job per accelerator pool, queued through Kueue: one pod on one node of the pool, holding all
 * of that node's accelerators and EFA devices (requests from pipeline/model/smoke.ts).
 * - NVIDIA pools: nccl-tests all_reduce_perf across the node's GPUs, the one-node command of
 *   aws-samples/awsome-distributed-training 1.architectures/3.aws-batch/aws-batch-distributed-training-p6.yaml
 *   (@7217859f, its single-node branch and NCCL_TEST_CMD).
 * - Neuron pools: `neuron-ls`, then `nccom-test` all-reduce with data check over every NeuronCore the node's
 *   devices show (aws-neuron-sdk tools/neuron-sys-tools/nccom-test.rst and neuron-ls.rst, @81ce03ae).
 *
 * Each Job is created suspended with the label kueue.x-k8s.io/queue-name naming the pool's LocalQueue in the
 * first team namespace that may use the pool; Kueue unsuspends it once admitted. The Jobs are written to
 * smoke-tests.yaml outside the kustomization: applied with the directory they would start at once, and take a
 * whole node of every pool, on every apply.
 *
 * No expected bus bandwidth is written: the catalog holds no sourced all-reduce figure per instance type.
 * The pods pass Pod Security "restricted", which the team namespaces enforce.
 */
import { acceleratorKind, LABEL_POOL, poolNodeTaints } from '../model/labels';
import { IMAGES, neuronDraPools } from '../model/images';
import { smokeTestRequests } from '../model/smoke';
import type { ResolvedPlan, ResolvedPool } from '../model';
import { RESOURCE_CPU } from '../model/queues';
import { poolNamespaces, poolQuotas } from './kueue';
import type { KubeObject } from './types';
import { MANAGED_BY } from './types';

/** The Kueue label that names a Job's LocalQueue. */
export const QUEUE_NAME_LABEL = 'kueue.x-k8s.io/queue-name';

export const smokeTestName = (pool: ResolvedPool): string => `smoke-${pool.name}`;

/** The uid the smoke pods run as (restricted Pod Security: non-root). */
export const SMOKE_UID = 1000;

/** The pools that get a smoke test, and why the others do not. */
export function smokeTestPools(
  plan: ResolvedPlan,
  pools: readonly ResolvedPool[],
): { pool: ResolvedPool; namespace?: string; skipped?: string }[] {
  const dra = new Set(neuronDraPools(pools).map((p) => p.name));
  return pools
    .filter((p) => acceleratorKind(p) && poolQuotas(p).length > 0)
    .map((pool) => {
      if (dra.has(pool.name))
        return {
          pool,
          skipped: 'its Neuron devices come from the Neuron DRA driver, which gigawatt does not install',
        };
      const namespace = poolNamespaces(plan, pool)[0];
      if (!namespace) return { pool, skipped: 'no team of the plan may use it, so it has no LocalQueue' };
      if (pool.nodes < 1)
        return { pool, skipped: 'it has no nodes at the start of the plan (synthesize again once it has)' };
      if (!smokeTestRequests(pool)) return { pool, skipped: 'its nodes have no whole accelerator' };
      return { pool, namespace };
    });
}

const ncclCommand = (ranks: number, efa: boolean): string[] => [
  '/opt/amazon/openmpi/bin/mpirun',
  '--allow-run-as-root',
  '-np',
  String(ranks),
  '--bind-to',
  'none',
  '-x',
  'PATH',
  '-x',
  'LD_LIBRARY_PATH',
  ...(efa ? ['-x', 'FI_PROVIDER=efa', '-x', 'FI_EFA_USE_DEVICE_RDMA=1', '-x', 'FI_EFA_FORK_SAFE=1'] : []),
  '/opt/nccl-tests/build/all_reduce_perf',
  '-b',
  '8',
  '-e',
  '16G',
  '-f',
  '2',
  '-g',
  '1',
  '-c',
  '1',
  '-n',
  '100',
];

/** neuron-ls lists the devices; nccom-test runs one rank per NeuronCore the devices show (neuron-ls -j, nc_count). */
const NEURON_SCRIPT = [
  'set -eu',
  'export PATH="/opt/aws/neuron/bin:$PATH"',
  'neuron-ls',
  'ranks=$(neuron-ls -j | python3 -c \'import json,sys; print(sum(d["nc_count"] for d in json.load(sys.stdin)))\')',
  'nccom-test -r "$ranks" allr --check',
].join('\n');

function smokeJob(pool: ResolvedPool, namespace: string): KubeObject {
  const need = smokeTestRequests(pool)!;
  const nvidia = acceleratorKind(pool) === 'nvidia';
  const name = smokeTestName(pool);
  const labels = { 'app.kubernetes.io/name': 'smoke-test', [LABEL_POOL]: pool.name, ...MANAGED_BY };
  // Extended resources need limits equal to requests; memory is limited to its request too, cpu is not.
  const limits = Object.fromEntries(Object.entries(need.requests).filter(([k]) => k !== RESOURCE_CPU));
  const container = nvidia
    ? {
        name: 'nccl-tests',
        image: IMAGES.ncclTests,
        command: ncclCommand(need.accelerators, need.efa > 0),
        // The image's own PATH and LD_LIBRARY_PATH (the upstream manifests' paths differ between image builds).
        env: [{ name: 'HOME', value: '/tmp' }],
      }
    : {
        name: 'nccom-test',
        image: IMAGES.neuronSmokeTest,
        command: ['/bin/bash', '-c', NEURON_SCRIPT],
        env: [{ name: 'HOME', value: '/tmp' }],
      };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace,
      labels: { ...labels, [QUEUE_NAME_LABEL]: pool.name },
      annotations: {
        'gigawatt.dev/smoke-test': nvidia
          ? `nccl-tests all_reduce_perf over the ${need.accelerators} GPUs of one ${pool.name} node`
          : `neuron-ls and nccom-test all-reduce over the NeuronCores of one ${pool.name} node`,
      },
    },
    spec: {
      // Kueue admits the Job and then unsuspends it.
      suspend: true,
      parallelism: 1,
      completions: 1,
      backoffLimit: 0,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          nodeSelector: { [LABEL_POOL]: pool.name },
          tolerations: poolNodeTaints(pool).map((t) => ({
            key: t.key,
            operator: 'Exists',
            effect: t.effect,
          })),
          securityContext: {
            runAsNonRoot: true,
            runAsUser: SMOKE_UID,
            runAsGroup: SMOKE_UID,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              ...container,
              resources: { requests: { ...need.requests }, limits },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              // NCCL and the Neuron runtime exchange buffers through /dev/shm, which is 64Mi by default.
              volumeMounts: [{ name: 'shm', mountPath: '/dev/shm' }],
            },
          ],
          volumes: [{ name: 'shm', emptyDir: { medium: 'Memory' } }],
        },
      },
    },
  };
}

/** The smoke-test Jobs of one cluster's pools. */
export function smokeTestJobs(plan: ResolvedPlan, pools: readonly ResolvedPool[]): KubeObject[] {
  return smokeTestPools(plan, pools)
    .filter((s) => s.namespace)
    .map((s) => smokeJob(s.pool, s.namespace!));
}
