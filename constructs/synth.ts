/** Terraform output of a plan, in memory: `terraform/stacks/<site>/cdk.tf.json` and the cdktf manifest. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { ResolvedPlan, ResolvedSite } from '../pipeline/model';
import { assertSynthesizable } from '../pipeline/model/limits';
import {
  App,
  Manifest,
  withPlainResolution,
  withoutTokenStackTraces,
  withTokensReleased,
  type StackManifest,
  type TerraformStack,
} from './cdk';
import { buildStacks, gigawattStateDir, type StackOptions } from './stacks';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((e) =>
    statSync(join(dir, e)).isDirectory() ? walk(join(dir, e)) : [join(dir, e)],
  );
}

/**
 * cdktf's `prepareStack` resolves every element of a stack once more, in "preparing" mode, before synthesizing
 * it, only to find references to resources of other stacks and turn them into outputs and remote state (cdktf
 * 0.21.0 lib/terraform-stack.js prepareStack; lib/tfExpression.js Reference.resolve is the one place that reads
 * `preparing`). A site stack of buildStacks refers to no other stack: pool stacks (`stack: own`) refer to it,
 * and their own preparing run adds the outputs to it. So gigawatt's own synth skips that run for site stacks,
 * a third of its time on a 5,000-pool plan (an app that adds constructs of its own to buildStacks' stacks keeps
 * cdktf's prepareStack). test/synth-cost.test.ts checks that every example synthesizes to the same bytes with
 * `fullPrepare`.
 */
function skipPreparingRun(stack: TerraformStack): void {
  stack.prepareStack = () => {
    stack.ensureBackendExists();
  };
}

/** What one cdktf app wrote for some of a plan's sites: its stack files and its manifest.json. */
export interface TerraformPart {
  /** `terraform/stacks/<id>/cdk.tf.json` and its text, in path order. */
  readonly files: readonly (readonly [string, string])[];
  readonly manifest: string;
}

/**
 * Most pools one cdktf app is built for. Every construct and token of an app lives until its `synth()`: on
 * a 5,000-pool plan one app kept 600 MB alive and young-generation GC grew with it. Apps of a few hundred
 * pools, built and released one after another, keep memory flat; a site is never split.
 */
export const POOLS_PER_APP = 250;

/** The plan's sites named in `names` (StackOptions.sites), in plan order; every site without it. */
export function selectedSites(plan: ResolvedPlan, names: readonly string[] | undefined): ResolvedSite[] {
  const wanted = names && new Set(names);
  return wanted ? plan.sites.filter((s) => wanted.has(s.name)) : [...plan.sites];
}

/** The sites (names, plan order) in runs of whole sites of at most `most` pools, unless one site has more. */
function appGroups(plan: ResolvedPlan, sites: readonly string[] | undefined, most: number): string[][] {
  const groups: string[][] = [[]];
  let pools = 0;
  for (const site of selectedSites(plan, sites)) {
    if (pools > 0 && pools + site.pools.length > most) {
      groups.push([]);
      pools = 0;
    }
    groups[groups.length - 1]!.push(site.name);
    pools += site.pools.length;
  }
  return groups;
}

type TerraformOptions = {
  skipValidation?: boolean;
  /** cdktf's own prepareStack on every stack (for the test that shows skipping it changes nothing). */
  fullPrepare?: boolean;
  /** cdktf's own resolve throughout, no withPlainResolution (for the test that shows it changes nothing). */
  cdktfResolve?: boolean;
  /** Pools per cdktf app (default POOLS_PER_APP; for the test that shows splitting changes nothing). */
  poolsPerApp?: number;
} & StackOptions;

function synthesizeApp(
  plan: ResolvedPlan,
  options: TerraformOptions,
  sites: readonly string[],
): TerraformPart {
  const outdir = mkdtempSync(join(tmpdir(), 'gigawatt-cdktf-'));
  try {
    // No stack traces in construct metadata: the warning annotations in manifest.json would carry this
    // machine's paths, and the output must be the same on every machine.
    const resolution = options.cdktfResolve ? <T>(fn: () => T) => fn() : withPlainResolution;
    withTokensReleased(() =>
      withoutTokenStackTraces(() =>
        resolution(() => {
          const app = new App({
            outdir,
            skipValidation: options.skipValidation ?? false,
            stackTraces: false,
          });
          const stacks = buildStacks(app, plan, {
            localStateDir: gigawattStateDir(plan.name),
            ...options,
            sites,
          });
          const siteNames = new Set(sites);
          if (!options.fullPrepare)
            for (const stack of stacks) if (siteNames.has(stack.node.id)) skipPreparingRun(stack);
          app.synth();
        }),
      ),
    );
    const files: [string, string][] = [];
    let manifest = '';
    for (const file of walk(outdir).sort()) {
      const rel = relative(outdir, file).split(sep).join('/');
      if (rel === Manifest.fileName) manifest = readFileSync(file, 'utf8');
      else if (rel.endsWith('.json')) files.push([`terraform/${rel}`, readFileSync(file, 'utf8')]);
    }
    return { files, manifest };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * The Terraform of the plan's sites (`options.sites`, default all), one cdktf app per run of sites
 * (POOLS_PER_APP), each built when it is asked for, so a caller can hand one on before the next is built.
 * Validations run (a plan that breaks a rule throws with the rule ids) unless `skipValidation` is set.
 */
export function* synthesizeTerraformParts(
  plan: ResolvedPlan,
  options: TerraformOptions = {},
): Generator<TerraformPart> {
  assertSynthesizable(plan);
  for (const sites of appGroups(plan, options.sites, options.poolsPerApp ?? POOLS_PER_APP))
    yield synthesizeApp(plan, options, sites);
}

/**
 * The files of several parts as one app over all their sites writes them: the stack files in path order and
 * one manifest.json. A site's stacks and manifest entries do not depend on the other sites (test/synth-cost.test.ts
 * compares both ways on every example), and cdktf writes the manifest with sorted keys
 * (lib/manifest.js writeToFile, json-stable-stringify), so its own Manifest writes the joined one.
 */
export function joinTerraformParts(parts: readonly TerraformPart[]): Map<string, string> {
  let manifest = parts[0]?.manifest ?? '';
  if (parts.length > 1) {
    const outdir = mkdtempSync(join(tmpdir(), 'gigawatt-cdktf-'));
    try {
      const manifests = parts.map(
        (p) => JSON.parse(p.manifest) as { version: string; stacks: Record<string, StackManifest> },
      );
      const joined = new Manifest(manifests[0]!.version, outdir, false);
      for (const m of manifests) Object.assign(joined.stacks, m.stacks);
      joined.writeToFile();
      manifest = readFileSync(join(outdir, Manifest.fileName), 'utf8');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }
  const files: (readonly [string, string])[] = parts.flatMap((p) => p.files);
  files.push([`terraform/${Manifest.fileName}`, manifest]);
  return new Map(files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Synthesize the plan's stacks. Validations run (a plan that breaks a rule throws with the rule ids)
 * unless `skipValidation` is set (`gigawatt synth --force`). A cluster over EKS's node limit throws
 * GigawattError before any resource is built, even then (pipeline/model/limits.ts).
 */
export function synthesizeTerraform(plan: ResolvedPlan, options: TerraformOptions = {}): Map<string, string> {
  return joinTerraformParts([...synthesizeTerraformParts(plan, options)]);
}
