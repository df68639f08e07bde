import type { ResolvedPlan, ResolvedSite } from '../pipeline/model';
import { Construct, TerraformOutput } from './cdk';
import { validateWithRules } from './validation';

export interface PowerEnvelopeProps {
  /** The resolved plan (`validate(text).plan` from `gigawatt`) whose rules run on this construct at synth. */
  readonly plan: ResolvedPlan;
  /** The on-prem site whose power, cooling, racks and fabric are checked. */
  readonly site: ResolvedSite;
}

/**
 * An on-prem site's power envelope in the construct tree: no AWS resources, only the power model as
 * outputs and the power, rack, cooling and fabric rules as validations, so a plan that does not fit the
 * building fails `cdktf synth` with the same rule ids as `gigawatt validate`.
 */
export class PowerEnvelope extends Construct {
  constructor(scope: Construct, id: string, props: PowerEnvelopeProps) {
    super(scope, id);
    const { site, plan } = props;
    const e = site.envelope;
    if (e) {
      new TerraformOutput(this, 'power_it_mw', {
        value: Number(e.itMW.toFixed(3)),
        description: `IT load of site ${site.name} (MW)`,
      });
      new TerraformOutput(this, 'power_facility_mw', {
        value: Number(e.facilityMW.toFixed(3)),
        description: `Facility load of site ${site.name}: IT x PUE (MW)`,
      });
      new TerraformOutput(this, 'power_usable_mw', {
        value: Number(e.usableMW.toFixed(3)),
        description: `Usable utility power of site ${site.name} after redundancy (MW)`,
      });
    }
    validateWithRules(this, plan, [
      `sites.${site.name}`,
      ...site.pools.map((p) => `pools.${p.name}`),
      ...site.fabrics.map((f) => `fabrics.${f.name}`),
    ]);
  }
}
