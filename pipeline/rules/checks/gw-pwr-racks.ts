import { exceedsLimit } from '../../util/exact';
import type { Finding, Rule } from '../rule';
import { listed } from '../select';
import { poolTarget, siteTarget } from '../rule';
import type { PlacementProblem } from '../../model/racks';

const placementRule = (
  id: string,
  problems: PlacementProblem[],
  title: string,
  explanation: string,
  message: (p: {
    pool: string;
    type: string;
    kw?: number;
    hall: string;
    rackKW: number;
    units?: number;
    hallUnits: number;
    cooling: string;
  }) => string,
  hint: string,
): Rule => ({
  id,
  severity: 'error',
  category: 'power',
  title,
  explanation,
  check(plan) {
    const out: Finding[] = [];
    for (const site of plan.sites)
      for (const pl of site.placement?.pools ?? []) {
        if (!pl.problem || !problems.includes(pl.problem) || !pl.hall) continue;
        const h = pl.hall;
        out.push({
          path: ['pools', pl.pool.index, pl.pool.spec.hall ? 'hall' : 'system'],
          target: poolTarget(pl.pool.name),
          message: message({
            pool: pl.pool.name,
            type: pl.pool.typeName ?? '',
            kw: pl.pool.powerPerNodeKW,
            hall: h.name,
            rackKW: h.spec.rackKW,
            units: pl.rackUnitsPerNode,
            hallUnits: h.rackUnits,
            cooling: h.spec.cooling,
          }),
          hint,
        });
      }
    return out;
  },
});

export const pwrRackDensity = placementRule(
  'GW-PWR-RACK-DENSITY',
  ['density'],
  'One node’s power fits the hall’s rack power limit',
  'A node (or a whole-rack system such as GB200 NVL72, ~132 kW) that draws more than a rack can deliver cannot be installed in that hall at all.',
  (p) =>
    `Pool '${p.pool}': one ${p.type} draws ${p.kw} kW but racks in hall '${p.hall}' are limited to ${p.rackKW} kW.`,
  'Place the pool in a hall with denser racks (liquid-cooled halls reach 132 kW+), or raise the rack power.',
);

export const pwrCooling = placementRule(
  'GW-PWR-COOLING',
  ['cooling'],
  'Liquid-cooled systems (GB200 NVL72, Trainium3) are never placed in air-cooled halls',
  'GB200 NVL72 racks need direct liquid cooling; an air-cooled hall cannot remove their heat.',
  (p) => `Pool '${p.pool}': ${p.type} needs liquid cooling but hall '${p.hall}' is ${p.cooling}-cooled.`,
  'Move the pool to a liquid or hybrid hall.',
);

export const pwrRackUnits = placementRule(
  'GW-PWR-RACK-UNITS',
  ['rack-units', 'unknown-rack-units'],
  'Each node fits the hall’s rack units, and the rack units of each system are known',
  'A system taller than the usable rack units cannot be racked; a system whose height the catalog does not publish (e.g. DGX B300) needs pools[].rackUnitsPerNode.',
  (p) =>
    p.units === undefined
      ? `Pool '${p.pool}': the rack units of ${p.type} are not in the catalog.`
      : `Pool '${p.pool}': one ${p.type} takes ${p.units}U but racks in hall '${p.hall}' have ${p.hallUnits}U.`,
  'Set pools[].rackUnitsPerNode, or use a hall with taller racks.',
);

export const pwrRacks: Rule = {
  id: 'GW-PWR-RACKS',
  severity: 'error',
  category: 'power',
  title: 'Each hall has the racks its pools need, and pools in sites with halls have a hall',
  explanation:
    'Racks needed per pool = nodes per rack limited by rack kW and rack units, with each scalable unit in racks of its own and one rack per whole-rack system.',
  check(plan) {
    const out: Finding[] = [];
    for (const site of plan.sites) {
      for (const pl of site.placement?.pools ?? [])
        // A pool naming a hall that does not exist is GW-PLAN-REFERENCE's finding.
        if (pl.problem === 'no-hall' && pl.pool.spec.hall === undefined)
          out.push({
            path: ['pools', pl.pool.index],
            target: poolTarget(pl.pool.name),
            message: `Pool '${pl.pool.name}': site '${site.name}' has no hall for it.`,
            hint: 'Add halls to the site.',
          });
      for (const h of site.placement?.halls ?? [])
        if (exceedsLimit(h.racksUsed, h.racksAvailable)) {
          const pools = site
            .placement!.pools.filter((p) => p.hall === h.hall && p.racks)
            .map((p) => `${p.pool.name} ${p.racks}`);
          out.push({
            path: ['sites', site.index, 'halls', site.halls.indexOf(h.hall), 'racks'],
            target: siteTarget(site.name),
            message: `Hall '${h.hall.name}' of site '${site.name}' needs ${h.racksUsed} racks (${listed(pools)}) but has ${h.racksAvailable}.`,
            hint: 'Add racks, move a pool to another hall, or shrink it.',
          });
        }
    }
    return out;
  },
};
