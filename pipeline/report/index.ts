import { catalogVersion, dateLabel, planInstant, type ResolvedPlan } from '../model';
import type { ValidationResult } from '../run';
import { joinTimeline } from '../rules/timeline';
import type { Diagnostic } from '../util/diagnostic';
import { buildReport, type ReportData } from './data';
import { rangeDiffs, type RangeDiffs, type TerraformChanges } from './diff';
import { timelineReport } from './timeline';

export * from './data';
export * from './diff';
export * from './diff-html';
export * from './html';
export * from './markdown';
export * from './terraform-diff';
export * from './timeline';

/**
 * Report data of a validated plan (the plan must have passed the schema). As of one date of a timeline
 * (resultAt), it says so and counts the unwaived errors on the other dates, which validate fails on too.
 */
export function reportOf(result: ValidationResult): ReportData {
  const data = buildReport(result.plan!, result.diagnostics, catalogVersion(), result.file);
  if (!result.timeline) return data;
  const timeline = timelineReport(result.timeline);
  const at = result.at;
  if (at === undefined) return { ...data, timeline };
  const holds = (d: Diagnostic) =>
    !d.date || (planInstant(d.date) <= at && (d.until === undefined || at < planInstant(d.until)));
  const other = joinTimeline(result.timeline)
    .filter((d) => d.severity === 'error' && !d.waiver && !holds(d))
    .sort((a, b) => planInstant(a.date!) - planInstant(b.date!));
  return {
    ...data,
    // A date, or the minute of a default of now.
    asOf: dateLabel(at - (at % 60_000)),
    timeline,
    diagnostics: {
      ...data.diagnostics,
      ...(other.length ? { otherDates: { errors: other.length, from: other[0]!.date! } } : {}),
    },
  };
}

/** A validation result as it stands at `at`: the last judged date at or before it, or the plan as written. */
function stateAt(
  result: ValidationResult,
  at: number,
): { plan: ResolvedPlan; diagnostics: readonly Diagnostic[] } {
  if (!result.timeline) return { plan: result.plan!, diagnostics: result.diagnostics };
  const state = result.timeline.filter((s) => s.at <= at).at(-1)!;
  return { plan: state.plan, diagnostics: state.diagnostics };
}

/**
 * Two validated plans compared on every range of dates where either changes (the union of the judged
 * dates of their timelines), from the first date at which both have started (before its first phase a
 * plan has built nothing). Undefined when neither plan has a timeline. `terraform` gives the Terraform
 * changes between the two plans as of one instant (the caller synthesizes).
 */
export function diffRangesOf(
  base: ValidationResult,
  head: ValidationResult,
  terraform?: (base: ResolvedPlan, head: ResolvedPlan, at: number) => TerraformChanges,
): RangeDiffs | undefined {
  if (!base.timeline && !head.timeline) return undefined;
  const first = (r: ValidationResult) => r.timeline?.[0]?.at;
  const from = Math.max(first(base) ?? -Infinity, first(head) ?? -Infinity);
  const instants = [
    ...new Set(
      [...(base.timeline ?? []), ...(head.timeline ?? [])].map((s) => s.at).filter((t) => t >= from),
    ),
  ].sort((a, b) => a - b);
  const sides = { base, head };
  const side = (which: 'base' | 'head', at: number) => {
    const r = sides[which];
    const s = stateAt(r, at);
    return { report: buildReport(s.plan, s.diagnostics, catalogVersion(), r.file), findings: s.diagnostics };
  };
  const starts = (r: ValidationResult) => (r.timeline?.[0] ? r.timeline[0].label : undefined);
  return {
    starts: {
      ...(starts(base) ? { base: starts(base) } : {}),
      ...(starts(head) ? { head: starts(head) } : {}),
    },
    ranges: rangeDiffs(
      instants,
      dateLabel,
      side,
      terraform && ((at) => terraform(stateAt(base, at).plan, stateAt(head, at).plan, at)),
    ),
  };
}
