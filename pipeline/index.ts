/**
 * The programmatic API of gigawatt (`import { validate, synth, report } from 'gigawatt'`): the same
 * pipeline as the command line, without a process to spawn.
 *
 * ```ts
 * import { validate, synth, report } from 'gigawatt';
 * const result = validate(readFileSync('plans/fleet.yaml', 'utf8'), { file: 'plans/fleet.yaml' });
 * if (result.diagnostics.some((d) => d.severity === 'error')) throw new Error('plan has errors');
 * const { files } = await synth(result); // terraform/stacks/<site>/cdk.tf.json, kubernetes/<cluster>/...
 * console.log(report(result).totals);
 * ```
 *
 * `validate` and `report` load no cdktf, Pulumi or AWS SDK code; `synth` loads cdktf on first use. The
 * constructs for a cdktf app of your own are in `gigawatt/constructs`.
 *
 * @module gigawatt
 */
import type { ResolvedPlan } from './model';
import { resultAt, validateText, validateValue, type ValidationResult } from './run';
import { reportOf, type ReportData } from './report';
import type { Rule } from './rules/rule';
import type { SynthOutput } from './synth';
import { parseDate } from './util/dates';
import { GigawattError } from './util/errors';

export type { ClusterPlan, PoolSpec, ReservationSpec, SiteSpec, FabricSpec } from './schema/plan-schema';
export type { ResolvedPlan, ResolvedPool, ResolvedSite, ResolvedFabric } from './model';
export type { Diagnostic, Severity } from './util/diagnostic';
export type { ValidationResult } from './run';
export type { TimelineState } from './rules/timeline';
export type { ReportData, PoolReport, SiteReport, PlanDiff } from './report';
export type { SecurityFinding } from './security/terraform-pack';
export type { SynthOutput } from './synth';
export type { Rule, RuleCategory } from './rules/rule';
export { GigawattError, type ErrorCode } from './util/errors';
export { RULES } from './rules/table';
export { PLAN_SCHEMA_ID, planSchema } from './schema/plan-schema';
export { diffReports, diffMarkdown, diffHtml, reportHtml, reportMarkdown } from './report';
export { formatText } from './output/text';
export { formatJson } from './output/json';
export { formatSarif } from './output/sarif';
export { formatJunit } from './output/junit';
export { formatMarkdown } from './output/markdown';

export interface ValidateOptions {
  /**
   * The file name findings are reported against (`Diagnostic.file`).
   * @default '<plan>'
   */
  readonly file?: string;
  /**
   * The rules to run.
   * @default - every rule of `RULES`
   */
  readonly rules?: readonly Rule[];
  /**
   * "Today", for waiver expiry.
   * @default - the current time
   */
  readonly now?: Date;
  /**
   * For a plan with a timeline: judge the plan as of this date (ISO date or `Date`). The result then holds
   * the plan and the findings at that date, and no `timeline`.
   * @default - every date of the timeline: `plan` is the plan at its last date, `timeline` holds each date
   */
  readonly at?: Date | string;
}

/**
 * Validate a plan: schema, then the model, then every rule. `plan` is YAML or JSON text (findings carry
 * line and column), or a plan value (`ClusterPlan`, e.g. built in code; findings carry only the plan path).
 *
 * Returns the resolved plan (absent when the plan fails the schema) and every finding, waived ones marked
 * with `waiver`. Throws `GigawattError` only for text that is not a YAML 1.2/JSON gigawatt plan (code
 * `GW-E-PARSE`: not YAML, a YAML directive other than `%YAML 1.2`, or not a mapping with an `apiVersion:
 * gigawatt/...`; the message never quotes the text), or for an `at` that is not a date of the plan's
 * timeline (`GW-E-USAGE`).
 */
export function validate(plan: string | object, options: ValidateOptions = {}): ValidationResult {
  const file = options.file ?? '<plan>';
  const engine = {
    ...(options.rules ? { rules: options.rules } : {}),
    ...(options.now ? { now: options.now } : {}),
  };
  const full =
    typeof plan === 'string' ? validateText(plan, file, engine) : validateValue(plan, file, engine);
  if (options.at === undefined) return full;
  const parsed = typeof options.at === 'string' ? parseDate(options.at) : { at: options.at.getTime() };
  if (!('at' in parsed) || !Number.isFinite(parsed.at))
    throw new GigawattError(
      'GW-E-USAGE',
      `${file}: at ${JSON.stringify(String(options.at))} ${'problem' in parsed ? parsed.problem : 'is not a date'}.`,
    );
  const result = resultAt(full, parsed.at);
  if (!result)
    throw new GigawattError(
      'GW-E-USAGE',
      `${file}: ${String(options.at)} is not a date of the plan's timeline.`,
    );
  // resultAt keeps the timeline; one instant was asked for, so drop it.
  return {
    file: result.file,
    ...(result.plan ? { plan: result.plan } : {}),
    diagnostics: result.diagnostics,
  };
}

/** True when the result has an unwaived error: `gigawatt validate` exits 1 for it. */
export const hasErrors = (result: ValidationResult): boolean =>
  result.diagnostics.some((d) => d.severity === 'error' && !d.waiver);

export interface SynthOptions {
  /**
   * Synthesize even when the plan breaks a rule (`gigawatt synth --force`).
   * @default false - a rule error throws, naming the rule ids
   */
  readonly skipValidation?: boolean;
}

/**
 * Everything `gigawatt synth` writes, in memory: `terraform/stacks/<stack>/cdk.tf.json` (with the cdktf
 * manifest) and `kubernetes/<cluster>/*.yaml`, keyed by relative path, plus the security-pack findings on
 * the Terraform. Takes a `validate` result or a resolved plan. Loads cdktf on first use.
 *
 * Throws when the result has no plan (it failed the schema), and, unless `skipValidation`, when a construct
 * reports a rule error (the message names the rule ids, as `cdktf synth` does).
 */
export async function synth(
  input: ValidationResult | ResolvedPlan,
  options: SynthOptions = {},
): Promise<SynthOutput> {
  const plan = 'diagnostics' in input ? input.plan : input;
  if (!plan)
    throw new GigawattError(
      'GW-E-USAGE',
      'The plan failed the schema check; fix its diagnostics before synth.',
      1,
    );
  const { synthesizeAllInParallel } = await import('./synth');
  return synthesizeAllInParallel(plan, options);
}

/**
 * The report of a validated plan (`gigawatt report --format json`): accelerators, power, racks, cost and
 * findings per site and pool, and with a timeline the plan over time. Render it with `reportMarkdown` or
 * `reportHtml`. Throws when the result has no plan (it failed the schema).
 */
export function report(result: ValidationResult): ReportData {
  if (!result.plan)
    throw new GigawattError(
      'GW-E-USAGE',
      'The plan failed the schema check; fix its diagnostics before report.',
      1,
    );
  return reportOf(result);
}
