import { catalogVersion } from '../model';
import type { ValidationResult } from '../pipeline';
import { buildReport, type ReportData } from './data';

export * from './data';
export * from './diff';
export * from './html';
export * from './markdown';
export * from './terraform-diff';

/** Report data of a validated plan (the plan must have passed the schema). */
export const reportOf = (result: ValidationResult): ReportData =>
  buildReport(result.plan!, result.diagnostics, catalogVersion());
