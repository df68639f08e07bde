/**
 * Everything `gigawatt synth` (and `npm start`) writes for a plan: the Terraform stacks and the Kubernetes
 * manifests, plus the security-pack findings on the Terraform. Loads cdktf; never imported by validate.
 */
import { synthesizeTerraform } from '../constructs/synth';
import type { StackOptions } from '../constructs/stacks';
import { synthesizeKubernetes } from './kubernetes/synth';
import type { ResolvedPlan } from './model';
import { assertRegistrable } from './model/limits';
import { checkTerraformFiles, type SecurityFinding } from './security/terraform-pack';
import type { Progress } from './util/progress';

export interface SynthOutput {
  readonly files: Map<string, string>;
  readonly insecure: readonly SecurityFinding[];
}

export function synthesizeAll(
  plan: ResolvedPlan,
  options: { skipValidation?: boolean; progress?: Progress } & StackOptions = {},
): SynthOutput {
  // Before anything is built: the Kubernetes output's size is known from the rack placement.
  assertRegistrable(plan);
  options.progress?.step('Terraform stacks');
  const terraform = synthesizeTerraform(plan, options);
  options.progress?.step('Kubernetes manifests');
  const files = new Map([...terraform, ...synthesizeKubernetes(plan)]);
  return { files, insecure: checkTerraformFiles(files) };
}
