/** Terraform output of a plan, in memory: `terraform/stacks/<site>/cdk.tf.json` and the cdktf manifest. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { ResolvedPlan } from '../pipeline/model';
import { assertSynthesizable } from '../pipeline/model/limits';
import { App, withoutTokenStackTraces, type TerraformStack } from './cdk';
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

/**
 * Synthesize the plan's stacks. Validations run (a plan that breaks a rule throws with the rule ids)
 * unless `skipValidation` is set (`gigawatt synth --force`). A cluster over EKS's node limit throws
 * GigawattError before any resource is built, even then (pipeline/model/limits.ts).
 */
export function synthesizeTerraform(
  plan: ResolvedPlan,
  options: {
    skipValidation?: boolean;
    /** cdktf's own prepareStack on every stack (for the test that shows skipping it changes nothing). */
    fullPrepare?: boolean;
  } & StackOptions = {},
): Map<string, string> {
  assertSynthesizable(plan);
  const outdir = mkdtempSync(join(tmpdir(), 'gigawatt-cdktf-'));
  try {
    // No stack traces in construct metadata: the warning annotations in manifest.json would carry this
    // machine's paths, and the output must be the same on every machine.
    withoutTokenStackTraces(() => {
      const app = new App({ outdir, skipValidation: options.skipValidation ?? false, stackTraces: false });
      const stacks = buildStacks(app, plan, { localStateDir: gigawattStateDir(plan.name), ...options });
      const sites = new Set(plan.sites.map((s) => s.name));
      if (!options.fullPrepare)
        for (const stack of stacks) if (sites.has(stack.node.id)) skipPreparingRun(stack);
      app.synth();
    });
    const files = new Map<string, string>();
    for (const file of walk(outdir).sort()) {
      const rel = relative(outdir, file).split(sep).join('/');
      if (rel.endsWith('.json')) files.set(`terraform/${rel}`, readFileSync(file, 'utf8'));
    }
    return files;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
