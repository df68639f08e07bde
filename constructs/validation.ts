/**
 * Constructs validate through the same rule engine as `gigawatt validate`: each construct reports the
 * unwaived error findings about its part of the plan, with their fix, so `cdktf synth` fails with the same
 * rule ids; its unwaived warnings become cdktf warning annotations, which `cdktf synth` prints (as
 * aws-cdk's `Annotations.addWarning`) without failing.
 */
import type { ResolvedPlan } from '../pipeline/model';
import { runRules } from '../pipeline/rules/engine';
import type { Diagnostic } from '../pipeline/util/diagnostic';
import { Annotations, type Construct } from './cdk';

const cache = new WeakMap<ResolvedPlan, Diagnostic[]>();
const findings = (plan: ResolvedPlan): Diagnostic[] => {
  let d = cache.get(plan);
  if (!d) cache.set(plan, (d = runRules(plan)));
  return d;
};

/** A finding as cdktf shows it: `[RULE] message Fix: hint`. */
export const findingLine = (d: Diagnostic, message = d.message): string =>
  `[${d.rule}] ${message}${d.hint ? ` Fix: ${d.hint}` : ''}`;

const warned = new WeakSet<Construct>();
/**
 * The validation errors of `scope`: its unwaived error findings, as `line` writes them. Its unwaived
 * warnings are added to it as warning annotations, once however often cdktf validates.
 */
export function reportFindings(
  scope: Construct,
  found: readonly Diagnostic[],
  line: (d: Diagnostic) => string = findingLine,
): string[] {
  const open = found.filter((d) => !d.waiver);
  if (!warned.has(scope)) {
    warned.add(scope);
    for (const d of open) if (d.severity === 'warning') Annotations.of(scope).addWarning(line(d));
  }
  return open.filter((d) => d.severity === 'error').map((d) => line(d));
}

/** Attach a validation reporting the plan's findings whose target starts with one of `targets`. */
export function validateWithRules(scope: Construct, plan: ResolvedPlan, targets: readonly string[]): void {
  scope.node.addValidation({
    validate: () =>
      reportFindings(
        scope,
        findings(plan).filter(
          (d) =>
            d.target !== undefined && targets.some((t) => d.target === t || d.target!.startsWith(`${t}.`)),
        ),
      ),
  });
}
