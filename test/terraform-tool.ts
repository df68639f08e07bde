/** The terraform binary and the offline hashicorp/aws provider mirror that the Terraform tests use. */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './helpers';

export const TERRAFORM = [
  '/usr/local/bin/terraform',
  '/usr/bin/terraform',
  ...(process.env.PATH ?? '').split(':').map((d) => join(d, 'terraform')),
].find((p) => existsSync(p));
export const MIRROR = process.env.GIGAWATT_TF_PLUGIN_DIR ?? '/opt/tf-plugins';
/** Why the Terraform tests cannot run here, or undefined when they can. */
export const terraformSkipReason = !TERRAFORM
  ? 'no terraform binary on this machine'
  : !existsSync(join(MIRROR, 'registry.terraform.io/hashicorp/aws'))
    ? `no hashicorp/aws provider mirror at ${MIRROR} (set GIGAWATT_TF_PLUGIN_DIR)`
    : undefined;

/** Environment for terraform: the provider mirror as the only installation source, no prompts. */
export function terraformEnv(): NodeJS.ProcessEnv {
  const config = join(tempDir(), 'terraformrc');
  writeFileSync(config, `provider_installation {\n  filesystem_mirror {\n    path = "${MIRROR}"\n  }\n}\n`);
  return { ...process.env, TF_CLI_CONFIG_FILE: config, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
}
