/**
 * The validation pipeline: read → parse → schema → resolve → rules. Pure apart from reading the file;
 * imports no cdktf, Pulumi or AWS SDK, so `gigawatt validate` stays fast.
 */
import { resolve } from 'node:path';
import { resolvePlan, type ResolvedPlan } from './model';
import { runRules, type EngineOptions } from './rules/engine';
import { sharedStateFindings } from './rules/shared-state';
import { judgeTimeline, type TimelineState } from './rules/timeline';
import { loadPlanText, PlanSource, readPlanFile, validatePlanShape, type LoadedPlan } from './schema';
import { sortDiagnostics, type Diagnostic } from './util/diagnostic';

export interface ValidationResult {
  readonly file: string;
  /** The resolved model (with a timeline: the plan at its last date); absent when the schema failed. */
  readonly plan?: ResolvedPlan;
  /** With a timeline: the plan and its findings at every date where it was judged. */
  readonly timeline?: readonly TimelineState[];
  readonly diagnostics: readonly Diagnostic[];
  /** Set by resultAt on a plan with a timeline: the instant `plan` and `diagnostics` are as of. */
  readonly at?: number;
}

/**
 * Validate plan text. Throws GigawattError only for text that is not a YAML 1.2/JSON document, or not a
 * mapping with an apiVersion of gigawatt/... (the message never quotes the text).
 */
export const validateText = (text: string, file: string, options: EngineOptions = {}): ValidationResult =>
  judge(loadPlanText(text, file), file, options);

/**
 * Validate a plan given as a value (already parsed, or built in code). Findings carry the plan path but no
 * line or column, since there is no text to point into.
 */
export const validateValue = (
  value: unknown,
  file: string,
  options: EngineOptions = {},
): ValidationResult => {
  const source = new PlanSource(file);
  return judge({ ...validatePlanShape(value, source), source }, file, options);
};

function judge(loaded: LoadedPlan, file: string, options: EngineOptions): ValidationResult {
  if (!loaded.ok) return { file, diagnostics: loaded.diagnostics };
  const judged = loaded.plan.timeline?.length
    ? judgeTimeline(loaded.plan, loaded.source, options)
    : undefined;
  if (judged?.states.length)
    return {
      file,
      plan: judged.states.at(-1)!.plan,
      timeline: judged.states,
      diagnostics: judged.diagnostics,
    };
  const plan = resolvePlan(loaded.plan, loaded.source);
  return { file, plan, diagnostics: runRules(plan, options) };
}

/**
 * Validate a plan file. Throws GigawattError (exit 2) for a path that is not a regular file (a symlink is
 * never followed), a file over 16 MiB (checked before reading), and text that is not a plan.
 */
export const validateFile = (file: string, options: EngineOptions = {}): ValidationResult =>
  validateText(readPlanFile(file), file, options);

/**
 * Judge plans together (`gigawatt validate a.yaml b.yaml`): a plan whose stacks would write the same
 * Terraform state as an earlier one gets GW-PLAN-STATE-KEY at its metadata.name. Each plan is judged alone
 * first; this adds the findings only plans side by side show.
 */
export function withSharedState(results: readonly ValidationResult[]): ValidationResult[] {
  const extra = sharedStateFindings(results.map((r) => ({ ...r, id: resolve(r.file) })));
  return results.map((r, i) =>
    extra[i]!.length ? { ...r, diagnostics: sortDiagnostics([...r.diagnostics, ...extra[i]!]) } : r,
  );
}

/**
 * The result as of one instant: with a timeline, the plan and findings of the last judged date at or
 * before it (nothing changes between judged dates); undefined when the instant is before the first phase.
 * Without a timeline the plan is the same at every instant.
 */
export function resultAt(result: ValidationResult, at: number): ValidationResult | undefined {
  if (!result.timeline) return result;
  const state = result.timeline.filter((s) => s.at <= at).at(-1);
  return state && { ...result, plan: state.plan, diagnostics: state.diagnostics, at };
}

/**
 * The instant a command builds for when none is asked: now, or the first phase when the plan's timeline
 * starts later (nothing would be built before it). The CLI and the cdktf app (stacks/main.ts) share it.
 */
export function defaultInstant(result: ValidationResult, now = Date.now()): number {
  const first = result.timeline?.[0]?.at;
  return first !== undefined ? Math.max(now, first) : now;
}
