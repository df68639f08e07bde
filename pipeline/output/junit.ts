/**
 * JUnit XML: one test suite per plan file, one test case per rule, a failure per unwaived error finding.
 * Plan text and file names keep to the characters XML 1.0 allows (pipeline/util/safe-text); the builder
 * escapes markup.
 */
import junit from 'junit-report-builder';
import { xmlText } from '../util/safe-text';
import { ENGINE_RULES, RULES } from '../rules/table';
import type { ValidationResult } from '../run';

/** Rules that run on the raw plan, before the model exists. */
const SCHEMA_STAGE = new Set(['GW-SCHEMA', 'GW-PLAN-POOL-TYPE']);

export function formatJunit(results: readonly ValidationResult[], failOn: 'error' | 'warning'): string {
  const builder = junit.newBuilder();
  for (const res of results) {
    const file = xmlText(res.file);
    const suite = builder.testSuite().name(`gigawatt ${file}`);
    for (const rule of [...ENGINE_RULES, ...RULES]) {
      const findings = res.diagnostics.filter((d) => d.rule === rule.id);
      const tc = suite
        .testCase()
        .className(`gigawatt.${rule.category}`)
        .name(`${rule.id}: ${rule.title}`)
        .file(file);
      const failing = findings.filter(
        (d) => !d.waiver && (d.severity === 'error' || (failOn === 'warning' && d.severity === 'warning')),
      );
      if (failing.length)
        tc.failure(
          failing
            .map((d) => `${file}:${d.line ?? 1}:${d.col ?? 1} ${xmlText(d.message)} Fix: ${xmlText(d.hint)}`)
            .join('\n'),
          rule.id,
        );
      // A plan that fails the schema is never resolved, so the model rules did not run: not a pass.
      if (!res.plan && !failing.length && !findings.length && !SCHEMA_STAGE.has(rule.id)) tc.skipped();
      const rest = findings.filter((d) => !failing.includes(d));
      if (rest.length)
        tc.standardOutput(
          rest.map((d) => `${d.waiver ? 'waived' : d.severity}: ${xmlText(d.message)}`).join('\n'),
        );
    }
  }
  return builder.build() + '\n';
}
