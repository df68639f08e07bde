/**
 * Judging a plan over time: every rule runs on the plan as it stands at each instant where something
 * changes (model/timeline.ts), and findings that hold over consecutive instants are joined into one
 * finding with the date range over which they hold. A finding that holds at every instant carries no date.
 */
import {
  dateLabel,
  evaluationInstants,
  planAt,
  poolPeaks,
  resolvePlan,
  waiverInEffect,
  type ResolvedPlan,
} from '../model';
import type { ClusterPlan } from '../schema/plan-schema';
import type { PlanSource } from '../schema/source';
import { sortDiagnostics, type Diagnostic } from '../util/diagnostic';
import { runRules, type EngineOptions } from './engine';

/** The plan at one instant of its timeline, with what the rules found there. */
export interface TimelineState {
  readonly at: number;
  readonly label: string;
  readonly plan: ResolvedPlan;
  readonly diagnostics: readonly Diagnostic[];
}

export interface TimelineJudgement {
  readonly states: readonly TimelineState[];
  /** Findings over the whole timeline, dated where they do not hold throughout. */
  readonly diagnostics: Diagnostic[];
}

const key = (d: Diagnostic): string =>
  JSON.stringify([d.rule, d.severity, d.path, d.target, d.line, d.col, d.message, d.hint, d.waiver]);

/** Whether the waiver at `path` (waivers[i]) is in effect at the date of a state. */
function waiverInEffectAt(state: TimelineState, path: string): boolean {
  const w = state.plan.spec.waivers?.[Number(/^waivers\[(\d+)\]/.exec(path)?.[1])];
  return !w || waiverInEffect(w, state.at);
}

/** Join per-instant findings into dated findings (runs of consecutive instants become one range). */
export function joinTimeline(states: readonly TimelineState[]): Diagnostic[] {
  const seen = new Map<string, { d: Diagnostic; at: number[] }>();
  states.forEach((s, i) => {
    for (const d of s.diagnostics) {
      const k = key(d);
      const entry = seen.get(k);
      if (entry) entry.at.push(i);
      else seen.set(k, { d, at: [i] });
    }
  });
  const out: Diagnostic[] = [];
  for (const { d, at } of seen.values()) {
    if (at.length === states.length) {
      out.push(d);
      continue;
    }
    // A waiver is unused only when it matches nothing at every date it is in effect.
    if (d.rule === 'GW-WAIVER-UNUSED') {
      if (at.length === states.filter((s) => waiverInEffectAt(s, d.path)).length) out.push(d);
      continue;
    }
    let start = 0;
    for (let j = 1; j <= at.length; j++) {
      if (j < at.length && at[j] === at[j - 1]! + 1) continue;
      const from = states[at[start]!]!.label;
      const next = states[at[j - 1]! + 1];
      out.push({
        ...d,
        date: from,
        until: next?.label,
        message: `${next ? `From ${from} until ${next.label}` : `From ${from} on`}: ${d.message}`,
      });
      start = j;
    }
  }
  return sortDiagnostics(out);
}

/** Run every rule at every instant of the plan's timeline. The plan must have a timeline. */
export function judgeTimeline(
  spec: ClusterPlan,
  source: PlanSource,
  options: EngineOptions = {},
): TimelineJudgement {
  const peakNodes = poolPeaks(spec);
  const states = evaluationInstants(spec).map((at): TimelineState => {
    const plan = resolvePlan(planAt(spec, at), source, { asOf: at, peakNodes });
    return { at, label: dateLabel(at), plan, diagnostics: runRules(plan, options) };
  });
  return { states, diagnostics: joinTimeline(states) };
}
