import { catalog } from '../../catalog';
import { exceedsLimit, multiply, toNumber } from '../../util/exact';
import type { Finding, Rule } from '../rule';
import { listed } from '../select';
import { siteTarget } from '../rule';

/** Racks loaded beyond what optimized air typically removes are named in air-cooled halls. */
export const pwrAirDensity: Rule = {
  id: 'GW-PWR-AIR-DENSITY',
  severity: 'info',
  category: 'power',
  title: 'Racks in air-cooled halls loaded beyond the typical practical limit of air cooling are named',
  explanation:
    'Optimized air with containment typically removes about 20-40 kW per rack; denser racks usually need rear-door heat exchangers or direct liquid cooling (catalog facility.airCooledRackPracticalKW, an estimate from cooling-vendor guidance). NVIDIA’s DGX B300 SuperPOD design runs ~56 kW air-cooled racks, so this is a note to confirm the hall’s cooling design, not a verdict. It compares the load the placement puts in a rack (nodes per rack × kW per node), inclusively.',
  check(plan) {
    const out: Finding[] = [];
    const limit = catalog.facility.airCooledRackPracticalKW;
    for (const site of plan.sites) {
      const placement = site.placement;
      if (!placement) continue;
      for (const h of placement.halls) {
        if (h.hall.spec.cooling !== 'air') continue;
        const loads = placement.pools
          .filter((p) => p.hall === h.hall && p.racks && p.pool.powerPerNodeKW !== undefined)
          .map((p) => ({ pool: p.pool.name, kw: multiply(p.pool.powerPerNodeKW!, p.nodesPerRack) }))
          .filter((l) => exceedsLimit(l.kw, limit.value));
        if (!loads.length) continue;
        out.push({
          path: ['sites', site.index, 'halls', site.halls.indexOf(h.hall), 'cooling'],
          target: siteTarget(site.name),
          message: `Hall '${h.hall.name}' of site '${site.name}' is air-cooled but its racks draw ${listed(loads.map((l) => `${Number(toNumber(l.kw).toFixed(4))} kW (${l.pool})`))}, above the ~${limit.value} kW that optimized air typically removes per rack (estimate).`,
          hint: `Confirm the hall's cooling design (rear-door heat exchangers or liquid: set cooling: hybrid or liquid), or lower rackKW to ${limit.value}.`,
        });
      }
    }
    return out;
  },
};
