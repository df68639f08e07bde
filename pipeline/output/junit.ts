/** JUnit XML: one test suite per plan file, one test case per rule, a failure per unwaived error finding. */
import junit from 'junit-report-builder';
import { ENGINE_RULES, RULES } from '../rules/table';
import type { ValidationResult } from '../run';

/** Rules that run on the raw plan, before the model exists. */
const SCHEMA_STAGE = new Set(['GW-SCHEMA', 'GW-PLAN-POOL-TYPE']);

export function formatJunit(results: readonly ValidationResult[], failOn: 'error' | 'warning'): string {
  const builder = junit.newBuilder();
  for (const res of results) {
    const suite = builder.testSuite().name(`gigawatt ${res.file}`);
    for (const rule of [...ENGINE_RULES, ...RULES]) {
      const findings = res.diagnostics.filter((d) => d.rule === rule.id);
      const tc = suite
        .testCase()
        .className(`gigawatt.${rule.category}`)
        .name(`${rule.id}: ${rule.title}`)
        .file(res.file);
      const failing = findings.filter(
        (d) => !d.waiver && (d.severity === 'error' || (failOn === 'warning' && d.severity === 'warning')),
      );
      if (failing.length)
        tc.failure(
          failing
            .map((d) => `${res.file}:${d.line ?? 1}:${d.col ?? 1} ${d.message} Fix: ${d.hint}`)
            .join('\n'),
          rule.id,
        );
      // A plan that fails the schema is never resolved, so the model rules did not run: not a pass.
      if (!res.plan && !failing.length && !findings.length && !SCHEMA_STAGE.has(rule.id)) tc.skipped();
      const rest = findings.filter((d) => !failing.includes(d));
      if (rest.length)
        tc.standardOutput(rest.map((d) => `${d.waiver ? 'waived' : d.severity}: ${d.message}`).join('\n'));
    }
  }
  return builder.build() + '\n';
}
