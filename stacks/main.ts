/**
 * The cdktf app (cdktf.json `app`): synthesizes the plan named by GIGAWATT_PLAN, or the default example,
 * into the stacks `gigawatt synth` writes. `cdktf synth` and `cdktf deploy '*'` run it.
 */
import { App } from '../constructs/cdk';
import { buildStacks } from '../constructs/stacks';
import { formatText } from '../lib/output/text';
import { validateFile } from '../lib/pipeline';
import { DEFAULT_PLAN } from '../lib/util/paths';

const planFile = process.env.GIGAWATT_PLAN ?? DEFAULT_PLAN;
const result = validateFile(planFile);
if (!result.plan) {
  process.stderr.write(formatText(result.diagnostics, undefined, planFile));
  process.exit(1);
}
const app = new App();
buildStacks(app, result.plan, {
  maxResourcesPerStack: Number(process.env.GIGAWATT_MAX_RESOURCES_PER_STACK ?? 500),
});
app.synth();
