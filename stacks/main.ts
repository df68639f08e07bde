/**
 * The cdktf app (cdktf.json `app`): synthesizes the plan named by GIGAWATT_PLAN, or the default example,
 * into the stacks `gigawatt synth` writes. `cdktf synth` and `cdktf deploy '*'` run it. A plan with a
 * timeline is built as of GIGAWATT_AT (a date), by default the date `gigawatt synth` uses; Capacity Block
 * pools are sized for that instant on any plan.
 */
import { App } from '../constructs/cdk';
import { buildStacks } from '../constructs/stacks';
import { formatText } from '../pipeline/output/text';
import { defaultInstant, resultAt, validateFile } from '../pipeline/run';
import { parseDate } from '../pipeline/util/dates';
import { DEFAULT_PLAN } from '../pipeline/util/paths';

const planFile = process.env.GIGAWATT_PLAN ?? DEFAULT_PLAN;
const full = validateFile(planFile);
const parsed = process.env.GIGAWATT_AT ? parseDate(process.env.GIGAWATT_AT) : { at: defaultInstant(full) };
const result = 'at' in parsed ? resultAt(full, parsed.at) : undefined;
if (!result) {
  process.stderr.write(
    `${planFile}: GIGAWATT_AT=${process.env.GIGAWATT_AT} ${'problem' in parsed ? parsed.problem : "is before the plan's first phase"}.\n`,
  );
  process.exit(1);
}
if (!result.plan) {
  process.stderr.write(formatText(result.diagnostics, undefined, planFile));
  process.exit(1);
}
const app = new App();
// Capacity Block pools are sized for the instant the stacks are built for (AWS rejects past actions).
buildStacks(app, result.plan, { at: 'at' in parsed ? parsed.at : undefined });
app.synth();
