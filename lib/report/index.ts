import { catalogVersion } from '../model';
import type { ValidationResult } from '../pipeline';
import { buildReport, type ReportData } from './data';
import { timelineReport } from './timeline';

export * from './data';
export * from './diff';
export * from './html';
export * from './markdown';
export * from './terraform-diff';
export * from './timeline';

/** Report data of a validated plan (the plan must have passed the schema). */
export const reportOf = (result: ValidationResult): ReportData => ({
  ...buildReport(result.plan!, result.diagnostics, catalogVersion(), result.file),
  ...(result.timeline ? { timeline: timelineReport(result.timeline) } : {}),
});
