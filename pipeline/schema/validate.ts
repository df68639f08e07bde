/**
 * JSON Schema validation of a parsed plan (ajv, draft 2020-12, strict, all errors), turned into
 * diagnostics that name file:line:col, the plan path, the value found, what is allowed, and a fix.
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import type { ClusterPlan } from './plan-schema';
import type { PlanPath, PlanSource } from './source';
import { formatPath, sortDiagnostics, type Diagnostic } from '../util/diagnostic';
import { parseDate } from '../util/dates';
import { didYouMean } from '../util/suggest';
import { unknownPoolTypes } from './catalog-names';

let compiled: ValidateFunction | undefined;
/** The precompiled validator (pipeline/schema/plan-validator.generated.ts): no schema compile at start-up. */
function validator(): ValidateFunction {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  compiled ??= (require('./plan-validator.generated') as { default: ValidateFunction }).default;
  return compiled;
}

/**
 * The value an error found, in at most 60 characters. Objects are shown once each: every unknown key of a
 * mapping reports the same mapping, and stringifying it again per key made 10,000 keys take 25 s.
 */
const shown = new WeakMap<object, string>();
const show = (v: unknown): string => {
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (v !== null && typeof v === 'object') {
    let s = shown.get(v);
    if (s === undefined) shown.set(v, (s = clip(JSON.stringify(v))));
    return s;
  }
  return clip(typeof v === 'string' ? `'${v}'` : JSON.stringify(v), v);
};
const clip = (s: string | undefined, v?: unknown): string =>
  s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;

function pathOf(error: ErrorObject): (string | number)[] {
  return error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

const FORMAT_HELP: Record<string, string> = {
  'date-time': 'an RFC 3339 date-time such as 2027-01-04T11:30:00Z',
  date: 'a date such as 2027-03-31',
};

/** A string shaped like a date whose day the calendar does not have: why (e.g. "February 2027 has 28 days"). */
function calendarProblem(data: unknown): string | undefined {
  if (typeof data !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(data)) return undefined;
  const parsed = parseDate(data);
  return 'problem' in parsed && parsed.problem !== 'is not a date' ? parsed.problem : undefined;
}

/**
 * What an error says. `branches` are the errors of an anyOf's alternatives, which are reported as one:
 * a value that is neither a date nor a date-time is one mistake, not three.
 */
function describe(
  error: ErrorObject,
  branches: readonly ErrorObject[] = [],
): { message: string; hint: string; keyPath?: boolean } {
  const p = error.params as Record<string, unknown>;
  const parent = (error.parentSchema ?? {}) as { description?: string; properties?: Record<string, unknown> };
  const found = show(error.data);
  const calendar = calendarProblem(error.data);
  switch (error.keyword) {
    case 'anyOf': {
      const formats = branches.filter((b) => b.keyword === 'format');
      if (!formats.length || formats.length !== branches.length) break;
      const expected = formats.map((b) => {
        const f = String((b.params as { format: string }).format);
        return FORMAT_HELP[f] ?? f;
      });
      return {
        message: `found ${found}, ${calendar ? `which ${calendar}` : `expected ${expected.join(' or ')}`}.`,
        hint: parent.description
          ? `Write ${lowerFirst(parent.description)}`
          : `Write ${expected.join(' or ')}.`,
      };
    }
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const allowed = Object.keys(parent.properties ?? {});
      return {
        message: `unknown key '${key}'.${didYouMean(key, allowed)}`,
        hint: `Allowed keys here: ${allowed.join(', ')}.`,
        keyPath: true,
      };
    }
    case 'required':
      return {
        message: `missing required key '${String(p.missingProperty)}'.`,
        hint: `Add '${String(p.missingProperty)}'.`,
      };
    case 'type':
      return {
        message: `found ${found}, expected ${String(p.type)}.`,
        hint: `Write ${/^[aeiou]/.test(String(p.type)) ? 'an' : 'a'} ${String(p.type)} here.`,
      };
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(show);
      return {
        message: `found ${found}; allowed: ${allowed.join(', ')}.${typeof error.data === 'string' ? didYouMean(error.data, (p.allowedValues as unknown[]).map(String)) : ''}`,
        hint: `Use one of ${allowed.join(', ')}.`,
      };
    }
    case 'const':
      return {
        message: `found ${found}, must be ${show(p.allowedValue)}.`,
        hint: `Write ${show(p.allowedValue)}.`,
      };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        message: `found ${found}, must be ${String(p.comparison)} ${String(p.limit)}.`,
        hint: `Use a value ${String(p.comparison)} ${String(p.limit)}.`,
      };
    case 'pattern':
      return {
        message: `found ${found}, which is not allowed here.`,
        hint: parent.description ?? `Match the pattern ${String(p.pattern)}.`,
      };
    case 'format':
      return {
        message: `found ${found}, ${calendar ? `which ${calendar}` : `expected ${FORMAT_HELP[String(p.format)] ?? String(p.format)}`}.`,
        hint: `Write ${FORMAT_HELP[String(p.format)] ?? String(p.format)}.`,
      };
    case 'minItems':
    case 'maxItems':
    case 'minLength':
    case 'maxLength':
    case 'maxProperties':
      return {
        message: `${error.message ?? 'has the wrong size'} (found ${found}).`,
        hint: parent.description ?? 'Adjust the size.',
      };
  }
  return {
    message: `${error.message ?? 'is invalid'} (found ${found}).`,
    hint: parent.description ?? 'See schemas/cluster-plan.v1alpha1.schema.json.',
  };
}

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

export type SchemaResult =
  { ok: true; plan: ClusterPlan; diagnostics: [] } | { ok: false; diagnostics: Diagnostic[] };

/** Validate a parsed plan against the ClusterPlan schema. */
export function validatePlanShape(value: unknown, source: PlanSource): SchemaResult {
  const validate = validator();
  if (validate(value)) return { ok: true, plan: value as ClusterPlan, diagnostics: [] };
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const errors = validate.errors ?? [];
  // The errors of an anyOf's alternatives (the schema's only anyOf is a date or a date-time: format errors
  // at the anyOf's own place) belong to the anyOf error and are reported with it, as one.
  const alternatives = new Map<string, ErrorObject[]>();
  for (const e of errors)
    if (e.schemaPath.includes('/anyOf/'))
      alternatives.set(e.instancePath, [...(alternatives.get(e.instancePath) ?? []), e]);
  const branches = new Map<ErrorObject, ErrorObject[]>();
  for (const a of errors)
    if (a.keyword === 'anyOf')
      branches.set(
        a,
        (alternatives.get(a.instancePath) ?? []).filter((e) => e.schemaPath.startsWith(`${a.schemaPath}/`)),
      );
  const inAnyOf = new Set([...branches.values()].flat());
  for (const error of errors) {
    if (inAnyOf.has(error)) continue;
    const path: PlanPath = pathOf(error);
    const { message, hint, keyPath } = describe(error, branches.get(error));
    const fullPath = keyPath
      ? [...path, String((error.params as { additionalProperty: string }).additionalProperty)]
      : path;
    const at = source.locate(fullPath, keyPath);
    const where = formatPath(fullPath);
    const dedupe = `${where}|${message}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    diagnostics.push({
      rule: 'GW-SCHEMA',
      severity: 'error',
      path: where,
      file: source.file,
      line: at?.line,
      col: at?.col,
      message: `${where}: ${message}`,
      hint,
    });
  }
  // Unknown instance types and systems are reported even when the shape is wrong, so one run lists every problem.
  for (const u of unknownPoolTypes(value)) {
    const at = source.locate(u.path);
    diagnostics.push({
      rule: 'GW-PLAN-POOL-TYPE',
      severity: 'error',
      path: formatPath(u.path),
      target: u.target,
      file: source.file,
      line: at?.line,
      col: at?.col,
      message: u.message,
      hint: u.hint,
    });
  }
  return { ok: false, diagnostics: sortDiagnostics(diagnostics) };
}
