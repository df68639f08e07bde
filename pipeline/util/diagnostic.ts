/** What every check reports: a rule id, a severity, where in the plan, what is wrong and how to fix it. */
export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  /** Stable rule id, e.g. GW-CAP-QUOTA; GW-SCHEMA for plan-format errors. */
  readonly rule: string;
  readonly severity: Severity;
  /** Plan path of the element involved, e.g. `pools[1].instances`. */
  readonly path: string;
  /** Name-based target that waivers match, e.g. `pools.h200` or `sites.abilene`. */
  readonly target?: string;
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
  /** What is wrong, in the plan's words, with the value seen and what is allowed. */
  readonly message: string;
  /** The fix. */
  readonly hint: string;
  /** With a timeline: the first plan date at which the finding holds (absent: it holds at every date). */
  readonly date?: string;
  /** With a timeline: the plan date from which it no longer holds (absent: it holds from `date` on). */
  readonly until?: string;
  /** Set when a waiver in the plan covers this finding: with a timeline, over the days from/until name. */
  readonly waiver?: {
    readonly reason: string;
    readonly expires: string;
    /** The first plan date the waiver covers. */
    readonly from?: string;
    /** The last plan date the waiver covers (inclusive). */
    readonly until?: string;
  };
}

/**
 * What a waiver covers, in words: the plan dates of a dated waiver ("from 2028-03-06 through 2028-04-30,
 * expires 2028-05-01"), else the day it expires ("until 2027-03-31").
 */
export function waiverSpan(w: NonNullable<Diagnostic['waiver']>): string {
  if (w.from === undefined && w.until === undefined) return `until ${w.expires}`;
  const from = w.from !== undefined ? `from ${w.from}` : '';
  const until = w.until !== undefined ? `through ${w.until}` : 'on';
  return `${[from, until].filter(Boolean).join(' ')}, expires ${w.expires}`;
}

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** `pools[1].instances` from ['pools', 1, 'instances']. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  return out || '(plan)';
}

/** Stable order: file position first, then rule id, then message. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) ||
      (a.col ?? 0) - (b.col ?? 0) ||
      a.rule.localeCompare(b.rule) ||
      a.path.localeCompare(b.path) ||
      a.message.localeCompare(b.message),
  );
}

/** Unwaived findings per severity, and the waived ones. */
export function countBySeverity(diagnostics: readonly Diagnostic[]): {
  errors: number;
  warnings: number;
  infos: number;
  waived: number;
} {
  let errors = 0,
    warnings = 0,
    infos = 0,
    waived = 0;
  for (const d of diagnostics) {
    if (d.waiver) waived++;
    else if (d.severity === 'error') errors++;
    else if (d.severity === 'warning') warnings++;
    else infos++;
  }
  return { errors, warnings, infos, waived };
}
