/** Terraform output of a plan, in memory: `terraform/stacks/<site>/cdk.tf.json` and the cdktf manifest. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { ResolvedPlan } from '../pipeline/model';
import { assertSynthesizable } from '../pipeline/model/limits';
import { App, withoutTokenStackTraces } from './cdk';
import { buildStacks, gigawattStateDir, type StackOptions } from './stacks';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((e) =>
    statSync(join(dir, e)).isDirectory() ? walk(join(dir, e)) : [join(dir, e)],
  );
}

/**
 * Synthesize the plan's stacks. Validations run (a plan that breaks a rule throws with the rule ids)
 * unless `skipValidation` is set (`gigawatt synth --force`). A cluster over EKS's node limit throws
 * GigawattError before any resource is built, even then (pipeline/model/limits.ts).
 */
export function synthesizeTerraform(
  plan: ResolvedPlan,
  options: { skipValidation?: boolean } & StackOptions = {},
): Map<string, string> {
  assertSynthesizable(plan);
  const outdir = mkdtempSync(join(tmpdir(), 'gigawatt-cdktf-'));
  try {
    // No stack traces in construct metadata: the warning annotations in manifest.json would carry this
    // machine's paths, and the output must be the same on every machine.
    withoutTokenStackTraces(() => {
      const app = new App({ outdir, skipValidation: options.skipValidation ?? false, stackTraces: false });
      buildStacks(app, plan, { localStateDir: gigawattStateDir(plan.name), ...options });
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
