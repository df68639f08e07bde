import { planInstant } from '../../model';
import type { Finding, Rule } from '../rule';

/** A dated waiver covers at least one day: its `from` is on or before its `until`. */
export const waiverRange: Rule = {
  id: 'GW-WAIVER-RANGE',
  severity: 'error',
  category: 'plan',
  title: 'A dated waiver’s from is on or before its until',
  explanation:
    'A waiver with from and until covers the plan dates from its from day through its until day. With from after until it covers no date at all, so it waives nothing and is never reported unused either: the finding it was written for fails, or the dates were swapped by mistake.',
  check(plan) {
    const out: Finding[] = [];
    for (const w of plan.waivers) {
      const { from, until } = w.spec;
      // Both are calendar dates (the schema's date format): whole days, compared as instants.
      if (from === undefined || until === undefined || planInstant(from) <= planInstant(until)) continue;
      out.push({
        path: ['waivers', w.index, 'until'],
        target: w.spec.target,
        message: `Waiver of ${w.spec.rule} for ${w.spec.target} runs from ${from} until ${until}: from is after until, so it covers no date.`,
        hint: `Swap the dates (from ${until}, until ${from}) if that is the range meant, or correct the one that is wrong; until is the last day covered.`,
      });
    }
    return out;
  },
};
