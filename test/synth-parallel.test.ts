/**
 * Synth on worker threads (pipeline/synth.ts synthesizeAllInParallel, compiled: the workers run dist/) writes
 * the same files, in the same order, as synthesizeAll in one thread, and reports a worker's error as
 * synthesizeAll throws it.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, sep } from 'node:path';
import { manyPoolPlan } from '../bench/many-pools';
import { POOLS_PER_APP } from '../constructs/synth';
import type { ResolvedPlan } from '../pipeline/model';
import { MAX_WORKERS, PARALLEL_FROM_POOLS, synthesizeAll, type SynthOutput } from '../pipeline/synth';
import type { Progress } from '../pipeline/util/progress';
import { check, ROOT, runCli, tempDir } from './helpers';

// 300 pools over 6 sites: past PARALLEL_FROM_POOLS, and in one thread more than one cdktf app (POOLS_PER_APP).
const POOLS = 300;
const text = manyPoolPlan({ pools: POOLS, sites: 6, accelerators: POOLS * 25 * 8 });
const AT = '2026-12-01T00:00:00Z';
const at = Date.parse(AT);

type Parallel = (plan: ResolvedPlan, options: object) => Promise<SynthOutput>;
let synthesizeAllInParallel: Parallel;
beforeAll(async () => {
  ({ synthesizeAllInParallel } = (await import(join(ROOT, 'dist', 'pipeline', 'synth.js'))) as {
    synthesizeAllInParallel: Parallel;
  });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((f) => !f.split('/').some((part) => part.startsWith('.')))
    .sort();
}

test('the test plan takes the parallel path, and in one thread more than one app', () => {
  expect(POOLS).toBeGreaterThanOrEqual(PARALLEL_FROM_POOLS);
  expect(POOLS).toBeGreaterThan(POOLS_PER_APP);
});

test('on threads, the same files in the same order as in one thread', async () => {
  const plan = check(text).plan!;
  const steps: string[] = [];
  const progress = { step: (s: string) => steps.push(s), done: () => undefined } as unknown as Progress;
  const parallel = await synthesizeAllInParallel(plan, { at, skipValidation: true, progress });
  // One thread per core, at most MAX_WORKERS, at most one per site (evenRuns never leaves a run empty).
  const threads = Math.min(availableParallelism(), MAX_WORKERS, 6);
  if (threads >= 2)
    expect(steps).toEqual([`Terraform stacks and Kubernetes manifests on ${threads} threads`]);
  const serial = synthesizeAll(plan, { at, skipValidation: true });
  expect([...parallel.files.keys()]).toEqual([...serial.files.keys()]);
  for (const [path, content] of parallel.files)
    expect({ path, content }).toEqual({ path, content: serial.files.get(path) });
  expect(parallel.insecure).toEqual(serial.insecure);
});

test('gigawatt synth writes those files', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'plan.yaml'), text);
  const r = runCli(['synth', 'plan.yaml', '--at', AT, '--out', 'out'], { cwd: dir });
  expect(r.stderr).not.toMatch(/Error|at .*\.js:/);
  expect(r.status).toBe(0);
  const serial = synthesizeAll(check(text).plan!, { at });
  expect(filesUnder(join(dir, 'out')).filter((f) => !serial.files.has(f))).toEqual([]);
  for (const [path, content] of serial.files)
    expect({ path, content: readFileSync(join(dir, 'out', path), 'utf8') }).toEqual({ path, content });
});

test("a worker's error is the error synthesizeAll throws", async () => {
  // The last site's quota is too small: GW-CAP-QUOTA, which the constructs report when validations run.
  const small = text.replace(/(name: site-005, .*quotas: \{ P: )\d+/, '$1100');
  expect(small).not.toBe(text);
  const plan = check(small).plan!;
  let serial: Error | undefined;
  try {
    synthesizeAll(plan, { at });
  } catch (e) {
    serial = e as Error;
  }
  expect(serial?.message).toMatch(/\[GW-CAP-QUOTA\] Site 'site-005'/);
  await expect(synthesizeAllInParallel(plan, { at })).rejects.toThrow(serial!.message);
});
