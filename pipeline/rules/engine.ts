/**
 * The rule engine: runs every rule over the resolved model, reports a rule that throws as a diagnostic,
 * attaches file:line:col, and applies the plan's waivers.
 */
import { phaseSource, waiverInEffect, type ResolvedPlan } from '../model';
import { formatPath, sortDiagnostics, type Diagnostic } from '../util/diagnostic';
import type { Rule } from './rule';
import { ENGINE_RULES, RULES } from './table';
import { refusal } from './waivers';

export interface EngineOptions {
  /** Rules to run (default: the whole table). */
  readonly rules?: readonly Rule[];
  /** "Today" for waiver expiry (default: now). */
  readonly now?: Date;
}

/**
 * A waiver covers a finding when the rule ids match and its target is exactly the finding's target: a waiver
 * for `pools` or `sites` does not cover every pool or site (a plan waiving a whole class of findings with one
 * line is how a pull request would switch a rule off), only a finding whose own target is `pools`.
 */
const covers = (waiverTarget: string, target: string | undefined): boolean => target === waiverTarget;

export function runRules(plan: ResolvedPlan, options: EngineOptions = {}): Diagnostic[] {
  const rules = options.rules ?? RULES;
  const now = options.now ?? new Date();
  const file = plan.source.file;
  const raw: Diagnostic[] = [];
  for (const rule of rules) {
    let findings;
    try {
      findings = rule.check(plan);
    } catch (err) {
      raw.push({
        rule: 'GW-RULE-CRASH',
        severity: 'error',
        path: '(plan)',
        file,
        message: `Rule ${rule.id} failed while checking this plan: ${(err as Error)?.message ?? String(err)}`,
        hint: 'This is a defect in gigawatt, not in your plan; please report it with the plan attached. Other rules still ran.',
      });
      continue;
    }
    for (const f of findings) {
      // On a timeline, point at the phase that set the value when one did (the written value is not it).
      const from = plan.asOf !== undefined ? phaseSource(plan.spec, plan.asOf, f.path) : undefined;
      const at = from ? plan.source.locate(from) : plan.source.locate(f.path, f.atKey);
      raw.push({
        rule: rule.id,
        severity: f.severity ?? rule.severity,
        path: formatPath(f.path),
        target: f.target,
        file,
        line: at?.line,
        col: at?.col,
        message: f.message,
        hint: f.hint,
      });
    }
  }

  const known = new Set<string>([...rules.map((r) => r.id), ...ENGINE_RULES.map((r) => r.id)]);
  const used = new Set<number>();
  const out: Diagnostic[] = [];
  const active = plan.waivers.filter((w) => {
    const refused = refusal(plan, w, now, rules);
    if (refused) {
      const at = plan.source.locate(['waivers', w.index, refused.field]);
      out.push({
        rule: 'GW-WAIVER-POLICY',
        severity: 'error',
        path: `${w.path}.${refused.field}`,
        target: w.spec.target,
        file,
        line: at?.line,
        col: at?.col,
        message: refused.message,
        hint: refused.hint,
      });
      return false;
    }
    const expires = new Date(`${w.spec.expires}T23:59:59Z`);
    const at = plan.source.locate(['waivers', w.index, 'expires']);
    if (expires < now) {
      out.push({
        rule: 'GW-WAIVER-EXPIRED',
        severity: 'warning',
        path: `${w.path}.expires`,
        target: w.spec.target,
        file,
        line: at?.line,
        col: at?.col,
        message: `Waiver of ${w.spec.rule} for ${w.spec.target} expired on ${w.spec.expires}; it no longer applies.`,
        hint: 'Fix the finding, or renew the waiver with a new expiry and reason.',
      });
      return false;
    }
    return true;
  });
  // On a timeline a waiver may name the plan dates it covers (from/until, inclusive days).
  const dated = active.filter((w) => plan.asOf === undefined || waiverInEffect(w.spec, plan.asOf));
  for (const d of raw) {
    const waiver = dated.find((w) => w.spec.rule === d.rule && covers(w.spec.target, d.target));
    if (waiver) {
      used.add(waiver.index);
      const { reason, expires, from, until } = waiver.spec;
      out.push({
        ...d,
        waiver: { reason, expires, ...(from ? { from } : {}), ...(until ? { until } : {}) },
      });
    } else out.push(d);
  }
  // A dated waiver outside its dates is not in effect, so not "unused" there.
  for (const w of dated) {
    if (used.has(w.index)) continue;
    const at = plan.source.locate(['waivers', w.index]);
    const unknownRule = !known.has(w.spec.rule);
    out.push({
      rule: 'GW-WAIVER-UNUSED',
      severity: 'warning',
      path: w.path,
      target: w.spec.target,
      file,
      line: at?.line,
      col: at?.col,
      message: unknownRule
        ? `Waiver names rule ${w.spec.rule}, which does not exist.`
        : `Waiver of ${w.spec.rule} for ${w.spec.target} matches no finding.`,
      hint: unknownRule
        ? 'Check the rule id against docs/rules.md.'
        : 'Remove the waiver, or correct its target (e.g. pools.<name> or sites.<name>).',
    });
  }
  return sortDiagnostics(out);
}

/** Findings that count against the gate: not waived, at or above the threshold. */
export function failing(
  diagnostics: readonly Diagnostic[],
  failOn: 'error' | 'warning' = 'error',
): Diagnostic[] {
  return diagnostics.filter(
    (d) => !d.waiver && (d.severity === 'error' || (failOn === 'warning' && d.severity === 'warning')),
  );
}
