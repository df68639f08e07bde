/** Machine-readable validation result. */
import type { ValidationResult } from '../pipeline';
import { countBySeverity } from '../util/diagnostic';

export function formatJson(result: ValidationResult, failOn: 'error' | 'warning'): string {
  const counts = countBySeverity(result.diagnostics);
  const plan = result.plan;
  return (
    JSON.stringify(
      {
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
      },
      null,
      2,
    ) + '\n'
  );
}
