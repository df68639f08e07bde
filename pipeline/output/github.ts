/**
 * Findings as GitHub Actions workflow commands, one line each, which the runner turns into annotations on
 * the pull request: `::error file=plans/a.yaml,line=12,col=5,title=GW-CAP-QUOTA::message`
 * (docs.github.com/en/actions/using-workflows/workflow-commands-for-github-actions, "Setting an error
 * message").
 * Unwaived errors at `error`, warnings at `warning`, infos at `notice`; waived findings are left out, as in
 * code scanning. Plan text is escaped as @actions/core escapes it (pipeline/util/safe-text), so it cannot end
 * the command or start another.
 */
import type { ValidationResult } from '../run';
import { countBySeverity } from '../util/diagnostic';
import { terminal, workflowData, workflowProperty } from '../util/safe-text';

const COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

export function formatGithub(results: readonly ValidationResult[]): string {
  const out: string[] = [];
  for (const res of results) {
    for (const d of res.diagnostics) {
      if (d.waiver) continue;
      const props = [
        `file=${workflowProperty(d.file ?? res.file)}`,
        ...(d.line !== undefined ? [`line=${d.line}`, `col=${d.col ?? 1}`] : []),
        `title=${workflowProperty(d.rule)}`,
      ];
      out.push(`::${COMMAND[d.severity]} ${props.join(',')}::${workflowData(`${d.message} Fix: ${d.hint}`)}`);
    }
    const n = countBySeverity(res.diagnostics);
    out.push(
      terminal(
        `gigawatt validate ${res.file}: ${n.errors} error(s), ${n.warnings} warning(s)${n.waived ? `, ${n.waived} waived` : ''}`,
      ),
    );
  }
  return out.join('\n') + '\n';
}
