/**
 * GW-PLAN-STATE-KEY: two plans judged together whose stacks would write one Terraform state. A plan alone
 * cannot show it, so it is checked across the plans of one `gigawatt validate` run; the state locations
 * are the model's (pipeline/model/stacks.ts stateLocation), the same the synthesized backends use.
 */
import type { ResolvedPlan } from '../model';
import { planStackIds, stateLocation, stateUri } from '../model/stacks';
import type { Diagnostic } from '../util/diagnostic';

export const STATE_KEY_RULE = 'GW-PLAN-STATE-KEY';

/**
 * Findings per plan, in the order given: a plan whose stacks share a state location with an earlier plan
 * gets one error at its metadata.name, naming the earlier file and the shared locations. The same file
 * given twice is one plan, not two.
 */
export function sharedStateFindings(
  plans: readonly { readonly file: string; readonly plan?: ResolvedPlan; readonly id?: string }[],
): Diagnostic[][] {
  const owner = new Map<string, { file: string; id: string }>();
  return plans.map(({ file, plan, id = file }) => {
    if (!plan) return [];
    const shared = new Map<string, string[]>();
    for (const stack of planStackIds(plan)) {
      const uri = stateUri(stateLocation(plan, stack));
      const first = owner.get(uri);
      if (!first) owner.set(uri, { file, id });
      else if (first.id !== id) shared.set(first.file, [...(shared.get(first.file) ?? []), uri]);
    }
    return [...shared].map(([firstFile, uris]): Diagnostic => {
      const at = plan.source.locate(['metadata', 'name']);
      const s3 = uris[0]!.startsWith('s3://');
      return {
        rule: STATE_KEY_RULE,
        severity: 'error',
        path: 'metadata.name',
        target: 'metadata.name',
        file,
        line: at?.line,
        col: at?.col,
        message: `Plan '${plan.name}' writes the same Terraform state as ${firstFile}: ${uris.length === 1 ? 'its stack state' : `its ${uris.length} stack states`} ${uris.join(', ')}${s3 ? '' : ' (local backend, beside the output)'}. Whichever plan applies last overwrites the other's state; the other's next apply then plans to destroy what it does not declare and to create again what it does.`,
        hint: s3
          ? `Give this plan a metadata.name of its own, or another backend bucket or keyPrefix.`
          : `Give this plan a metadata.name of its own.`,
      };
    });
  });
}
