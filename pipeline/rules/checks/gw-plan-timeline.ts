import { dateLabel, planInstant } from '../../model';
import type { PlanPath } from '../../schema/source';
import { formatPath } from '../../util/diagnostic';
import { didYouMean } from '../../util/suggest';
import type { Finding, Rule } from '../rule';
import { poolTarget } from '../rule';
import { awsPools, fmt } from '../select';

/** Every phase of the timeline names elements the plan defines, and changes fields they have. */
export const planTimeline: Rule = {
  id: 'GW-PLAN-TIMELINE',
  severity: 'error',
  category: 'plan',
  title:
    'Every timeline phase has a date of its own and names sites, halls and pools the plan defines, once each, with the fields they use',
  explanation:
    'A phase changes named elements from its date on. A misspelt name, a count in the wrong unit (nodes for an AWS pool, instances for an on-prem one) or power for a site without a power block would be ignored, so the build-out would be judged on figures the plan never meant. Two phases on one date, or one element listed twice in a phase, leave the later entry silently overriding the earlier one.',
  check(plan) {
    const out: Finding[] = [];
    const sites = new Map(plan.sites.map((s) => [s.name, s]));
    const pools = new Map(plan.pools.map((p) => [p.name, p]));
    const dated = new Map<number, number>();
    (plan.spec.timeline ?? []).forEach((phase, k) => {
      const at = ['timeline', k] as const;
      const target = `timeline[${k}]`;
      // Two phases on one instant (2027-03-01 and 2027-03-01T00:00:00Z are one): both would apply, the
      // later in the file winning field by field, which no reader of the plan can tell at a glance.
      const when = planInstant(phase.date);
      const first = dated.get(when);
      if (first === undefined) dated.set(when, k);
      else
        out.push({
          path: [...at, 'date'],
          target,
          message: `Phase timeline[${k}] (${phase.date}) has the same date as timeline[${first}] (${plan.spec.timeline![first]!.date}): both would apply at once, the later overriding the earlier field by field.`,
          hint: `Merge the two phases into one, or correct the date of timeline[${k}].`,
        });
      // The same element twice in one phase: the later entry would silently override the earlier one.
      const once = (
        what: (name: string) => string,
        names: readonly string[],
        path: (i: number) => PlanPath,
      ) => {
        const seen = new Map<string, number>();
        names.forEach((name, i) => {
          const j = seen.get(name);
          if (j === undefined) return void seen.set(name, i);
          const [a, b] = [formatPath(path(j).slice(0, -1)), formatPath(path(i).slice(0, -1))];
          out.push({
            path: path(i),
            target,
            message: `Phase ${phase.date} lists ${what(name)} twice (${a} and ${b}); the later entry would silently override the earlier one.`,
            hint: `List ${what(name)} once in the phase, with every field it changes.`,
          });
        });
      };
      once(
        (name) => `pool '${name}'`,
        (phase.pools ?? []).map((p) => p.name),
        (i) => [...at, 'pools', i, 'name'],
      );
      once(
        (name) => `site '${name}'`,
        (phase.sites ?? []).map((p) => p.name),
        (i) => [...at, 'sites', i, 'name'],
      );
      (phase.sites ?? []).forEach((patch, j) =>
        once(
          (name) => `hall '${name}' of site '${patch.name}'`,
          (patch.halls ?? []).map((h) => h.name),
          (i) => [...at, 'sites', j, 'halls', i, 'name'],
        ),
      );
      (phase.sites ?? []).forEach((patch, j) => {
        const site = sites.get(patch.name);
        if (!site) {
          out.push({
            path: [...at, 'sites', j, 'name'],
            target,
            message: `Phase ${phase.date} changes site '${patch.name}', which the plan does not define.${didYouMean(patch.name, [...sites.keys()])}`,
            hint: 'Name a site from the plan’s sites; a phase changes sizes, it cannot add elements.',
          });
          return;
        }
        if (patch.power && !site.spec.power)
          out.push({
            path: [...at, 'sites', j, 'power'],
            target,
            message: `Phase ${phase.date} changes the power of site '${site.name}', which has no power block.`,
            hint: 'Add power: { utilityMW, pue } to the site as it stands before the first phase.',
          });
        const halls = site.halls.map((h) => h.name);
        (patch.halls ?? []).forEach((h, i) => {
          if (!halls.includes(h.name))
            out.push({
              path: [...at, 'sites', j, 'halls', i, 'name'],
              target,
              message: `Phase ${phase.date} changes hall '${h.name}' of site '${site.name}', which has no such hall.${didYouMean(h.name, halls)}`,
              hint: halls.length ? `Name a hall from: ${halls.join(', ')}.` : 'Add the hall to the site.',
            });
        });
      });
      (phase.pools ?? []).forEach((patch, j) => {
        const pool = pools.get(patch.name);
        if (!pool) {
          out.push({
            path: [...at, 'pools', j, 'name'],
            target,
            message: `Phase ${phase.date} changes pool '${patch.name}', which the plan does not define.${didYouMean(patch.name, [...pools.keys()])}`,
            hint: 'Name a pool from the plan’s pools; a phase changes sizes, it cannot add elements.',
          });
          return;
        }
        const unit = pool.spec.instances !== undefined ? 'instances' : 'nodes';
        const wrong = unit === 'instances' ? 'nodes' : 'instances';
        if (patch[wrong] !== undefined)
          out.push({
            path: [...at, 'pools', j, wrong],
            target,
            message: `Phase ${phase.date} sets ${wrong} of pool '${pool.name}', which counts ${unit}.`,
            hint: `Write ${unit}: ${patch[wrong]} instead.`,
          });
      });
    });
    return out;
  },
};

/** On a timeline, Capacity Block pools hold instances only inside their block's window. */
export const capBlockWindow: Rule = {
  id: 'GW-CAP-BLOCK-WINDOW',
  severity: 'error',
  category: 'capacity',
  title: 'On a timeline, a Capacity Block pool has instances only while its block is active',
  explanation:
    'A Capacity Block can be used only between its start and end; instances cannot launch before it opens, and AWS terminates them when it ends. A phase that runs the pool outside the window is a launch that fails, or a job that is killed.',
  check(plan) {
    const out: Finding[] = [];
    const now = plan.asOf;
    if (now === undefined) return out;
    for (const p of awsPools(plan)) {
      const r = p.reservation;
      if (r?.type !== 'capacity-block' || p.nodes === 0) continue;
      const w = {
        start: r.start ? Date.parse(r.start) : undefined,
        end: r.end ? Date.parse(r.end) : undefined,
      };
      const early = w.start !== undefined && now < w.start;
      const late = w.end !== undefined && now >= w.end;
      if (!early && !late) continue;
      out.push({
        path: ['pools', p.index, 'instances'],
        target: poolTarget(p.name),
        message: early
          ? `Pool '${p.name}' has ${fmt(p.nodes)} instances before its Capacity Block opens at ${dateLabel(w.start!)}.`
          : `Pool '${p.name}' has ${fmt(p.nodes)} instances after its Capacity Block ended at ${dateLabel(w.end!)}.`,
        hint: early
          ? `Give the pool instances: 0 in the phases before ${dateLabel(w.start!)} and set its size in a phase dated ${dateLabel(w.start!)}.`
          : `Add a phase dated ${dateLabel(w.end!)} that sets instances: 0, or extend the block.`,
      });
    }
    return out;
  },
};
