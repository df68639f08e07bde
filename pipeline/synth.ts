/**
 * Everything `gigawatt synth` (and `npm start`) writes for a plan: the Terraform stacks and the Kubernetes
 * manifests, plus the security-pack findings on the Terraform. Loads cdktf; never imported by validate.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  joinTerraformParts,
  selectedSites,
  synthesizeTerraform,
  type TerraformPart,
} from '../constructs/synth';
import type { StackOptions } from '../constructs/stacks';
import { kubeClusters } from './kubernetes/clusters';
import { synthesizeKubernetes } from './kubernetes/synth';
import type { ResolvedPlan } from './model';
import { assertRegistrable, assertSynthesizable } from './model/limits';
import { checkTerraformFiles, type SecurityFinding } from './security/terraform-pack';
import { GigawattError, type ErrorCode } from './util/errors';
import type { Progress } from './util/progress';

export interface SynthOutput {
  readonly files: Map<string, string>;
  readonly insecure: readonly SecurityFinding[];
}

export type SynthAllOptions = { skipValidation?: boolean; progress?: Progress } & StackOptions;

/** Everything synth writes, in this thread. */
export function synthesizeAll(plan: ResolvedPlan, options: SynthAllOptions = {}): SynthOutput {
  // Before anything is built: the Kubernetes output's size is known from the rack placement.
  assertRegistrable(plan);
  options.progress?.step('Terraform stacks');
  const terraform = synthesizeTerraform(plan, options);
  options.progress?.step('Kubernetes manifests');
  const files = new Map([...terraform, ...synthesizeKubernetes(plan)]);
  return { files, insecure: checkTerraformFiles(files) };
}

/** What the parent sends a worker (pipeline/synth-worker.ts). */
export interface SynthJob {
  readonly plan: ResolvedPlan;
  readonly file: string;
  readonly options: Omit<SynthAllOptions, 'progress' | 'sites'>;
  readonly sites: readonly string[];
  readonly clusters: readonly string[];
}

/** What a worker posts: each app's part and each cluster's files as they are built, then done or an error. */
export type SynthMessage =
  | { readonly terraform: TerraformPart }
  | { readonly kubernetes: [string, string][] }
  | { readonly done: true }
  | { readonly error: WorkerError };

interface WorkerError {
  readonly code?: ErrorCode;
  readonly message: string;
  readonly exitCode?: 1 | 2;
  readonly stack?: string;
}

/** A worker's whole answer: its parts and files in the order it built them, or its error. */
type WorkerReply =
  | { readonly terraform: TerraformPart[]; readonly kubernetes: [string, string][] }
  | { readonly error: WorkerError };

/** Plans with fewer pools synthesize in one thread: a worker's start (loading cdktf) costs about 0.4 s. */
export const PARALLEL_FROM_POOLS = 100;
/** Most worker threads: each holds its own copy of the plan and its apps. */
export const MAX_WORKERS = 4;

const WORKER_SCRIPT = join(__dirname, 'synth-worker.js');

/** `items` in at most `n` runs of consecutive items of about equal weight; none empty. */
export function evenRuns<T>(items: readonly T[], weight: (item: T) => number, n: number): T[][] {
  const total = items.reduce((sum, item) => sum + weight(item), 0);
  const runs: T[][] = [];
  let run: T[] = [];
  let sum = 0;
  for (const item of items) {
    run.push(item);
    sum += weight(item);
    // Close the run once it reaches its share of the total (integers: exact at the boundary).
    if (runs.length < n - 1 && sum * n >= total * (runs.length + 1)) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length) runs.push(run);
  return runs;
}

function runWorker(job: SynthJob): { reply: Promise<WorkerReply>; worker: Worker } {
  const worker = new Worker(WORKER_SCRIPT, { workerData: job });
  const terraform: TerraformPart[] = [];
  const kubernetes: [string, string][] = [];
  const reply = new Promise<WorkerReply>((resolve, reject) => {
    worker.on('message', (message: SynthMessage) => {
      if ('terraform' in message) terraform.push(message.terraform);
      else if ('kubernetes' in message) kubernetes.push(...message.kubernetes);
      else if ('error' in message) resolve(message);
      else resolve({ terraform, kubernetes });
    });
    worker.once('error', reject);
    worker.once('exit', (code) =>
      reject(new Error(`a synth worker stopped (exit ${code}) before it answered`)),
    );
  });
  return { reply, worker };
}

/**
 * synthesizeAll on worker threads, one per core (at most MAX_WORKERS): each synthesizes the Terraform of a
 * run of sites and the Kubernetes files of a run of clusters, each of about equal pools, and the parent joins
 * them. The files are the same, byte for byte and in the same order, as synthesizeAll's
 * (test/synth-parallel.test.ts). Small plans, one core, or no compiled worker (running from the TypeScript
 * sources) take synthesizeAll.
 */
export async function synthesizeAllInParallel(
  plan: ResolvedPlan,
  options: SynthAllOptions = {},
): Promise<SynthOutput> {
  const most = Math.min(availableParallelism(), MAX_WORKERS);
  if (most < 2 || plan.pools.length < PARALLEL_FROM_POOLS || !existsSync(WORKER_SCRIPT))
    return synthesizeAll(plan, options);
  const { progress, sites: only, ...rest } = options;
  const sites = evenRuns(selectedSites(plan, only), (s) => 1 + s.pools.length, most);
  const clusterRuns = evenRuns(kubeClusters(plan), (c) => 1 + c.pools.length, most);
  // One worker per run: a worker with no site and no cluster would only load cdktf.
  const threads = Math.max(sites.length, clusterRuns.length);
  if (threads < 2) return synthesizeAll(plan, options);
  assertRegistrable(plan);
  assertSynthesizable(plan);
  progress?.step(`Terraform stacks and Kubernetes manifests on ${threads} threads`);
  // The source (the parsed text and its positions) stays here; a worker needs only the file name.
  const bare = { ...plan, source: undefined } as unknown as ResolvedPlan;
  const workers = Array.from({ length: threads }, (_, i) =>
    runWorker({
      plan: bare,
      file: plan.source.file,
      options: rest,
      sites: (sites[i] ?? []).map((s) => s.name),
      clusters: (clusterRuns[i] ?? []).map((c) => c.name),
    }),
  );
  let replies: WorkerReply[];
  try {
    replies = await Promise.all(workers.map((w) => w.reply));
  } finally {
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
  const terraform: TerraformPart[] = [];
  const kubernetes: [string, string][] = [];
  for (const reply of replies) {
    if ('error' in reply) {
      // The worker's error, as synthesizeAll would have thrown it (a rule error from a construct included).
      const { code, message, exitCode, stack } = reply.error;
      const error = code ? new GigawattError(code, message, exitCode) : new Error(message);
      if (stack) error.stack = stack;
      throw error;
    }
    terraform.push(...reply.terraform);
    kubernetes.push(...reply.kubernetes);
  }
  const files = new Map([...joinTerraformParts(terraform), ...kubernetes]);
  return { files, insecure: checkTerraformFiles(files) };
}
