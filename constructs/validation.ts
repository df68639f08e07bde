/**
 * Constructs validate through the same rule engine as `gigawatt validate`: each construct reports the
 * unwaived error findings about its part of the plan, with their fix, so `cdktf synth` fails with the same
 * rule ids.
 */
import type { ResolvedPlan } from '../pipeline/model';
import { runRules } from '../pipeline/rules/engine';
import type { Diagnostic } from '../pipeline/util/diagnostic';
import type { Construct } from './cdk';

const cache = new WeakMap<ResolvedPlan, Diagnostic[]>();
const findings = (plan: ResolvedPlan): Diagnostic[] => {
  let d = cache.get(plan);
  if (!d) cache.set(plan, (d = runRules(plan)));
  return d;
};

/** Attach a validation reporting the plan's error findings whose target starts with one of `targets`. */
export function validateWithRules(scope: Construct, plan: ResolvedPlan, targets: readonly string[]): void {
  scope.node.addValidation({
    validate: () =>
      findings(plan)
        .filter(
          (d) =>
            d.severity === 'error' &&
            !d.waiver &&
            d.target !== undefined &&
            targets.some((t) => d.target === t || d.target!.startsWith(`${t}.`)),
        )
        .map((d) => `[${d.rule}] ${d.message}${d.hint ? ` Fix: ${d.hint}` : ''}`),
  });
}
