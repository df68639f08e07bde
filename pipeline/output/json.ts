/**
 * Machine-readable validation result: for one plan, its result object; for several, one document
 * `{ valid, counts, results: [...] }` with the result of each plan in argument order.
 */
import type { ValidationResult } from '../run';
import { countBySeverity } from '../util/diagnostic';

export function jsonResult(result: ValidationResult, failOn: 'error' | 'warning') {
  const counts = countBySeverity(result.diagnostics);
  const plan = result.plan;
  return {
    file: result.file,
    valid: counts.errors === 0 && (failOn === 'error' || counts.warnings === 0),
    counts,
    diagnostics: result.diagnostics,
    summary: plan
      ? {
          name: plan.name,
          sites: plan.sites.length,
          ...plan.totals,
        }
      : undefined,
  };
}

export function formatJson(result: ValidationResult, failOn: 'error' | 'warning'): string {
  return JSON.stringify(jsonResult(result, failOn), null, 2) + '\n';
}

export function formatJsonAll(results: readonly ValidationResult[], failOn: 'error' | 'warning'): string {
  if (results.length === 1) return formatJson(results[0]!, failOn);
  const each = results.map((r) => jsonResult(r, failOn));
  const counts = { errors: 0, warnings: 0, infos: 0, waived: 0 };
  for (const r of each)
    for (const k of Object.keys(counts) as (keyof typeof counts)[]) counts[k] += r.counts[k];
  return JSON.stringify({ valid: each.every((r) => r.valid), counts, results: each }, null, 2) + '\n';
}
