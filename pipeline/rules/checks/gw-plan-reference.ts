import type { Finding, Rule } from '../rule';
import { fabricTarget, poolTarget, siteTarget } from '../rule';
import { didYouMean } from '../../util/suggest';

/** Every site, fabric and hall a plan element names exists; names are unique. */
export const planReference: Rule = {
  id: 'GW-PLAN-REFERENCE',
  severity: 'error',
  category: 'plan',
  title:
    'Every site, fabric, hall and reservation a plan element refers to exists, and names and reservation ids are unique',
  explanation:
    'Pools and fabrics are wired to sites (and pools to fabrics and halls) by name. A dangling or duplicated name would silently drop capacity from every later check and from the synthesized stacks.',
  check(plan) {
    const out: Finding[] = [];
    const siteNames = plan.sites.map((s) => s.name);
    const fabricNames = plan.fabrics.map((f) => f.name);
    const dupes = (names: string[], kind: 'sites' | 'fabrics' | 'pools') => {
      const seen = new Set<string>();
      names.forEach((n, i) => {
        if (seen.has(n))
          out.push({
            path: [kind, i, 'name'],
            target: `${kind}.${n}`,
            message: `${kind}[${i}].name '${n}' is used twice.`,
            hint: 'Give every element a unique name.',
          });
        seen.add(n);
      });
    };
    dupes(siteNames, 'sites');
    dupes(fabricNames, 'fabrics');
    dupes(
      plan.pools.map((p) => p.name),
      'pools',
    );
    for (const site of plan.sites) {
      const halls = new Set<string>();
      site.halls.forEach((h, i) => {
        if (halls.has(h.name))
          out.push({
            path: ['sites', site.index, 'halls', i, 'name'],
            target: siteTarget(site.name),
            message: `Hall '${h.name}' appears twice in site '${site.name}'.`,
            hint: 'Give every hall of a site a unique name.',
          });
        halls.add(h.name);
      });
      const hybrid = site.spec.hybrid;
      if (hybrid && !siteNames.includes(hybrid.cluster))
        out.push({
          path: ['sites', site.index, 'hybrid', 'cluster'],
          target: siteTarget(site.name),
          message: `Site '${site.name}' joins the EKS cluster of site '${hybrid.cluster}', which the plan does not define.${didYouMean(hybrid.cluster, siteNames)}`,
          hint: `Name an AWS site from: ${siteNames.join(', ')}.`,
        });
    }
    for (const f of plan.fabrics) {
      if (!f.site)
        out.push({
          path: ['fabrics', f.index, 'site'],
          target: fabricTarget(f.name),
          message: `Fabric '${f.name}' names site '${f.spec.site}', which the plan does not define.${didYouMean(f.spec.site, siteNames)}`,
          hint: `Use one of: ${siteNames.join(', ')}.`,
        });
    }
    const declared = plan.reservations.filter((r) => r.declared);
    const ids = new Set<string>();
    for (const r of declared) {
      if (ids.has(r.id))
        out.push({
          path: ['reservations', r.index!, 'id'],
          target: `reservations.${r.id}`,
          message: `Reservation ${r.id} is declared twice (reservations[${r.index}]).`,
          hint: 'Declare each reservation once; several pools can draw from it.',
        });
      ids.add(r.id);
      if (!r.site)
        out.push({
          path: ['reservations', r.index!, 'site'],
          target: `reservations.${r.id}`,
          message: `Reservation ${r.id} names site '${r.spec!.site}', which the plan does not define.${didYouMean(r.spec!.site, siteNames)}`,
          hint: `Use one of: ${siteNames.join(', ')}.`,
        });
    }
    for (const p of plan.pools) {
      const cap = p.spec.capacity;
      if (
        declared.length &&
        cap?.reservationId &&
        p.reservation &&
        !p.reservation.declared &&
        cap.instances === undefined
      )
        out.push({
          path: ['pools', p.index, 'capacity', 'reservationId'],
          target: poolTarget(p.name),
          message: `Pool '${p.name}' draws from reservation ${cap.reservationId}, which reservations[] does not declare.${didYouMean(
            cap.reservationId,
            declared.map((r) => r.id),
          )}`,
          hint: `Declare it under reservations: (id, site, type, instanceType, instances, availabilityZone, start, end) or use one of: ${declared.map((r) => r.id).join(', ')}.`,
        });
      if (!p.site)
        out.push({
          path: ['pools', p.index, 'site'],
          target: poolTarget(p.name),
          message: `Pool '${p.name}' names site '${p.spec.site}', which the plan does not define.${didYouMean(p.spec.site, siteNames)}`,
          hint: `Use one of: ${siteNames.join(', ')}.`,
        });
      if (p.spec.fabric !== undefined && !p.fabric)
        out.push({
          path: ['pools', p.index, 'fabric'],
          target: poolTarget(p.name),
          message: `Pool '${p.name}' names fabric '${p.spec.fabric}', which the plan does not define.${didYouMean(p.spec.fabric, fabricNames)}`,
          hint: fabricNames.length
            ? `Use one of: ${fabricNames.join(', ')}.`
            : 'Add a fabric under fabrics:.',
        });
      if (p.fabric?.site && p.site && p.fabric.site !== p.site)
        out.push({
          path: ['pools', p.index, 'fabric'],
          target: poolTarget(p.name),
          message: `Pool '${p.name}' is in site '${p.site.name}' but its fabric '${p.fabric.name}' is in site '${p.fabric.site.name}'.`,
          hint: 'Use a fabric of the same site.',
        });
      if (p.spec.hall !== undefined && p.site && !p.site.halls.some((h) => h.name === p.spec.hall))
        out.push({
          path: ['pools', p.index, 'hall'],
          target: poolTarget(p.name),
          message: `Pool '${p.name}' names hall '${p.spec.hall}', which site '${p.site.name}' does not have.${didYouMean(
            p.spec.hall,
            p.site.halls.map((h) => h.name),
          )}`,
          hint: p.site.halls.length
            ? `Use one of: ${p.site.halls.map((h) => h.name).join(', ')}.`
            : `Add halls to site '${p.site.name}'.`,
        });
    }
    return out;
  },
};
