/**
 * The timeline a reviewer reads: per judged date the accelerators, IT and facility power against usable
 * power (per on-prem site and in total) and racks against racks available; a Gantt of Capacity Blocks and
 * phases; and the first date each constraint breaks, with the finding that says by how much. Pure data,
 * computed from the judged states; the renderers only format it.
 */
import { dateLabel, orderedPhases, type ResolvedPlan } from '../model';
import { joinTimeline, type TimelineState } from '../rules/timeline';
import type { Diagnostic } from '../util/diagnostic';

export interface TimelinePoint {
  readonly date: string;
  readonly accelerators: number;
  /** On-prem sites only (AWS owns the power of its regions). */
  readonly itMW: number;
  readonly facilityMW: number;
  readonly usableMW: number;
  readonly racksUsed: number;
  readonly racksAvailable: number;
  readonly errors: number;
  readonly warnings: number;
  /** Facility and usable power per on-prem site with a power block. */
  readonly sites: readonly {
    readonly name: string;
    readonly facilityMW: number;
    readonly usableMW: number;
  }[];
}

export interface TimelineBar {
  readonly kind: 'capacity-block' | 'phase';
  readonly label: string;
  readonly start: string;
  /** A Capacity Block's end; for a phase, the start of the next phase (absent for the last: it holds on). */
  readonly end?: string;
}

/** The first time a constraint breaks: rule and target, the dates it holds over, and its message. */
export interface TimelineBreak {
  readonly rule: string;
  readonly target: string;
  readonly severity: 'error' | 'warning';
  readonly date: string;
  readonly until?: string;
  readonly message: string;
  readonly waived: boolean;
}

export interface TimelineReport {
  readonly points: readonly TimelinePoint[];
  readonly bars: readonly TimelineBar[];
  readonly breaks: readonly TimelineBreak[];
}

function point(label: string, plan: ResolvedPlan, diagnostics: readonly Diagnostic[]): TimelinePoint {
  const onprem = plan.sites.filter((s) => s.provider === 'onprem');
  const live = diagnostics.filter((d) => !d.waiver);
  return {
    date: label,
    accelerators: plan.totals.accelerators,
    itMW: onprem.reduce((s, x) => s + (x.itKW ?? 0), 0) / 1000,
    facilityMW: onprem.reduce((s, x) => s + (x.envelope?.facilityMW ?? 0), 0),
    usableMW: onprem.reduce((s, x) => s + (x.usableMW ?? 0), 0),
    racksUsed: onprem.reduce((s, x) => s + (x.placement?.halls.reduce((n, h) => n + h.racksUsed, 0) ?? 0), 0),
    racksAvailable: onprem.reduce((s, x) => s + x.halls.reduce((n, h) => n + h.spec.racks, 0), 0),
    errors: live.filter((d) => d.severity === 'error').length,
    warnings: live.filter((d) => d.severity === 'warning').length,
    sites: onprem
      .filter((s) => s.usableMW !== undefined)
      .map((s) => ({ name: s.name, facilityMW: s.envelope?.facilityMW ?? 0, usableMW: s.usableMW! })),
  };
}

/**
 * The first dated break of each (rule, target), waived and unwaived apart, extended over the spans of the
 * same kind that follow it without a gap (a later phase may restate the value, which makes a second
 * finding). Findings that hold throughout are not timeline events.
 */
export function firstBreaks(diagnostics: readonly Diagnostic[]): TimelineBreak[] {
  const spans = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    if (!d.date || (d.severity !== 'error' && d.severity !== 'warning')) continue;
    const k = `${d.rule}|${d.target ?? d.path}|${d.waiver ? 'waived' : ''}`;
    spans.set(k, [...(spans.get(k) ?? []), d]);
  }
  const out: TimelineBreak[] = [];
  for (const list of spans.values()) {
    const sorted = list.sort((a, b) => a.date!.localeCompare(b.date!));
    const d = sorted[0]!;
    let until = d.until;
    for (const next of sorted.slice(1)) if (until !== undefined && next.date === until) until = next.until;
    out.push({
      rule: d.rule,
      target: d.target ?? d.path,
      severity: d.severity as 'error' | 'warning',
      date: d.date!,
      until,
      message: d.message,
      waived: Boolean(d.waiver),
    });
  }
  return out.sort(
    (a, b) =>
      a.date.localeCompare(b.date) ||
      a.rule.localeCompare(b.rule) ||
      a.target.localeCompare(b.target) ||
      Number(a.waived) - Number(b.waived),
  );
}

export function timelineReport(states: readonly TimelineState[]): TimelineReport {
  const spec = states[0]!.plan.spec;
  const bars: TimelineBar[] = [
    ...states[0]!.plan.reservations
      .filter((r) => r.type === 'capacity-block' && r.start && r.end)
      .map((r) => ({
        kind: 'capacity-block' as const,
        label: `Capacity Block ${r.reservationId ?? r.pools.map((p) => p.name).join(', ')}`,
        start: dateLabel(Date.parse(r.start!)),
        end: dateLabel(Date.parse(r.end!)),
      })),
    ...orderedPhases(spec).map(({ phase, at }, i, phases) => {
      const next = phases.slice(i + 1).find((p) => p.at > at);
      return {
        kind: 'phase' as const,
        label: phase.description ?? `phase ${dateLabel(at)}`,
        start: dateLabel(at),
        ...(next ? { end: dateLabel(next.at) } : {}),
      };
    }),
  ].sort((a, b) => a.start.localeCompare(b.start) || a.label.localeCompare(b.label));
  return {
    points: states.map((s) => point(s.label, s.plan, s.diagnostics)),
    bars,
    breaks: firstBreaks(joinTimeline(states)),
  };
}
