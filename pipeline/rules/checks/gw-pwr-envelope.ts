import { facilityLoadMW, HEADROOM_SHARE } from '../../model/power';
import { exceedsLimit, subtract, toNumber } from '../../util/exact';
import type { Finding, Rule } from '../rule';
import { fmt, listed } from '../select';
import { siteTarget } from '../rule';

const mw = (v: number) => `${v.toFixed(2)} MW`;
/** An amount over a limit: never shown as 0.00 when it is above zero (exact verdicts can be 1 W over). */
const over = (v: number) => (v >= 0.005 ? mw(v) : `${Number((v * 1000).toPrecision(3))} kW`);

/** Facility load fits the usable utility power of each on-prem site. */
export const pwrEnvelope: Rule = {
  id: 'GW-PWR-ENVELOPE',
  severity: 'error',
  category: 'power',
  title:
    'Each on-prem site’s facility load (IT load × PUE) fits its usable utility power after redundancy, and each hall fits its feed',
  explanation:
    'IT load is every node at its maximum system power plus the fabric switches; facility load multiplies it by the site PUE. Usable power is the utility power left after redundancy (N: all feeds; N+1: one feed spare; 2N: half). AWS sites have no envelope (AWS owns the building) and are skipped.',
  check(plan) {
    const out: Finding[] = [];
    for (const site of plan.sites.filter((s) => s.provider === 'onprem' && s.pools.length)) {
      const target = siteTarget(site.name);
      if (!site.spec.power) {
        out.push({
          path: ['sites', site.index],
          target,
          severity: 'warning',
          message: `Site '${site.name}' has no power block; its power envelope is not checked.`,
          hint: 'Add power: { utilityMW, redundancy, feeds, pue }.',
        });
        continue;
      }
      if (site.itKW === undefined) {
        const unknown = site.pools.filter((p) => p.itKW === undefined).map((p) => p.name);
        out.push({
          path: ['sites', site.index, 'power'],
          target,
          severity: 'warning',
          message: `Site '${site.name}': the power of pools ${listed(unknown)} is unknown, so the envelope is not checked.`,
          hint: 'Set pools[].maxSystemKW for those pools.',
        });
        continue;
      }
      for (const h of site.placement?.halls ?? []) {
        const feed = h.hall.spec.feedMW;
        const load = facilityLoadMW(h.itKWExact, site.pue!);
        const facility = toNumber(load);
        if (feed !== undefined && exceedsLimit(load, feed))
          out.push({
            path: ['sites', site.index, 'halls', site.halls.indexOf(h.hall), 'feedMW'],
            target,
            message: `Hall '${h.hall.name}' of site '${site.name}': its load ${mw(facility)} (IT ${mw(h.itKW / 1000)} × PUE ${site.pue}) exceeds its ${mw(feed)} feed by ${over(toNumber(subtract(load, feed)))}.`,
            hint: 'Move pools to another hall, shrink them, or bring a larger feed to the hall.',
          });
      }
      const e = site.envelope!;
      if (!e.fits)
        out.push({
          path: ['sites', site.index, 'power'],
          target,
          message: `Site '${site.name}': facility load ${mw(e.facilityMW)} (IT ${mw(e.itMW)} × PUE ${site.pue}) exceeds the usable ${mw(e.usableMW)} (${site.spec.power.utilityMW} MW utility, ${site.redundancy}) by ${over(-e.headroomMW)}.`,
          hint: `Shed ${over(-e.headroomMW / site.pue!)} of IT load, add utility power, or relax redundancy.`,
        });
    }
    return out;
  },
};

/** At least 10 % headroom. */
export const pwrHeadroom: Rule = {
  id: 'GW-PWR-HEADROOM',
  severity: 'warning',
  category: 'power',
  title: `Each on-prem site keeps at least ${Math.round((1 - HEADROOM_SHARE) * 100)} % of its usable power as headroom`,
  explanation:
    'Above 90 % of the usable envelope, a hotter day (higher PUE), firmware that raises power caps or the next expansion has nowhere to go.',
  check(plan) {
    const out: Finding[] = [];
    for (const site of plan.sites) {
      const e = site.envelope;
      if (!e || !e.fits || !e.aboveHeadroomShare) continue;
      out.push({
        path: ['sites', site.index, 'power'],
        target: siteTarget(site.name),
        message: `Site '${site.name}': facility load ${mw(e.facilityMW)} is ${(e.utilization * 100).toFixed(1)} % of the usable ${mw(e.usableMW)} (headroom ${mw(e.headroomMW)}).`,
        hint: 'Keep at least 10 % headroom, or waive with the date more power lands.',
      });
    }
    return out;
  },
};

/** Fabric power is known where the fabric is sized. */
export const pwrEstimate: Rule = {
  id: 'GW-PWR-ESTIMATE',
  severity: 'info',
  category: 'power',
  title: 'Power figures that are estimates, or missing, are named',
  explanation:
    'The catalog marks every estimated figure (e.g. GB200 NVL72 rack power, ~132 kW maximum) and leaves out figures nobody published (e.g. switch power). gigawatt says which results rest on them; a plan can override with its own measured figures (pools[].maxSystemKW, fabrics[].switchKW).',
  check(plan) {
    const out: Finding[] = [];
    for (const p of plan.pools.filter((x) => x.powerEstimate))
      out.push({
        path: ['pools', p.index, 'system'],
        target: `pools.${p.name}`,
        message: `Pool '${p.name}': ${p.typeName} power ${p.powerPerNodeKW} kW per node is an estimate (${p.system?.maxSystemKW.note ?? 'catalog'}).`,
        hint: 'Set pools[].maxSystemKW to the vendor or measured figure.',
      });
    for (const site of plan.sites)
      for (const name of site.fabricPowerUnknown ?? []) {
        const f = plan.fabricByName.get(name)!;
        out.push({
          path: ['fabrics', f.index],
          target: `fabrics.${name}`,
          severity: 'warning',
          message: `Fabric '${name}': ${fmt(f.sizing!.switches)} switches with unknown power are left out of the IT load of site '${site.name}'.`,
          hint: 'Set fabrics[].switchKW (per switch, optics included) from the switch datasheet.',
        });
      }
    return out;
  },
};
