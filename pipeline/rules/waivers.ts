/**
 * The waiver policy: what a plan may waive itself. A plan is written by whoever opens the pull request, so
 * it cannot waive a security rule (the finding stands; there is no way around it but fixing it, or `synth
 * --force` given by whoever runs the CI job), and a waiver lives at most MAX_WAIVER_DAYS: waivers are
 * decisions to revisit, not switches that stay off.
 */
import type { ResolvedPlan, ResolvedWaiver } from '../model';
import { timelineStart } from '../model/timeline';
import type { Rule } from './rule';
import { ENGINE_RULES, RULES } from './table';

/** The longest a waiver may run: its `expires` is at most this many days after the run date. */
export const MAX_WAIVER_DAYS = 90;

const DAY_MS = 86400000;
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Security rules: category `security` in the rule table, and every id of the GW-SEC area (the Terraform pack). */
export function isSecurityRule(id: string, rules: readonly Pick<Rule, 'id' | 'category'>[]): boolean {
  return (
    /^GW-SEC-/.test(id) ||
    [...rules, ...RULES, ...ENGINE_RULES].some((r) => r.id === id && r.category === 'security')
  );
}

/**
 * The latest `expires` a waiver may name: MAX_WAIVER_DAYS after the run date. On a plan with a timeline a
 * waiver that starts covering at a later plan date (`from`) may run MAX_WAIVER_DAYS from then instead: it
 * covers nothing before `from`, so it cannot outlive the findings it covers by more than that. Only a
 * `from` after the first phase counts: until then commands build the first phase (pipeline/run.ts
 * defaultInstant), so a plan whose timeline starts in 2099 is what `synth` builds today, and a waiver
 * `from` 2099 would cover today's build until 2099.
 */
export function latestExpiry(plan: ResolvedPlan, waiver: ResolvedWaiver, now: Date): string {
  const from = plan.spec.timeline?.length && waiver.spec.from ? Date.parse(waiver.spec.from) : NaN;
  const first = timelineStart(plan.spec);
  const deferred = Number.isFinite(from) && first !== undefined && from > first;
  const start = deferred ? Math.max(now.getTime(), from) : now.getTime();
  return isoDate(start + MAX_WAIVER_DAYS * DAY_MS);
}

export type WaiverRefusal = {
  readonly field: 'rule' | 'expires';
  readonly message: string;
  readonly hint: string;
};

/** Why the plan may not carry this waiver, or undefined when it may. */
export function refusal(
  plan: ResolvedPlan,
  waiver: ResolvedWaiver,
  now: Date,
  rules: readonly Pick<Rule, 'id' | 'category'>[],
): WaiverRefusal | undefined {
  const w = waiver.spec;
  if (isSecurityRule(w.rule, rules))
    return {
      field: 'rule',
      message: `Waiver of ${w.rule} for ${w.target} refused: ${w.rule} is a security rule, and a plan cannot waive security findings; the finding stands.`,
      hint: 'Fix the finding (see docs/rules.md). Security rules are never waivable from a plan.',
    };
  const latest = latestExpiry(plan, waiver, now);
  if (w.expires > latest)
    return {
      field: 'expires',
      message: `Waiver of ${w.rule} for ${w.target} refused: it expires on ${w.expires}, more than ${MAX_WAIVER_DAYS} days after ${isoDate(now.getTime())} (latest allowed: ${latest}); it waives nothing.`,
      hint: `Set expires to ${latest} or earlier, and renew the waiver, with a reason that still holds, when it runs out.`,
    };
  return undefined;
}
