import { catalogVersion, dateLabel, planInstant } from '../model';
import type { ValidationResult } from '../run';
import { joinTimeline } from '../rules/timeline';
import type { Diagnostic } from '../util/diagnostic';
import { buildReport, type ReportData } from './data';
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
