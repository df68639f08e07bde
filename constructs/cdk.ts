/**
 * The one module that imports the CDK for Terraform framework. cdktf 0.21.0 is its final release; the
 * community fork CDK Terrain (`cdktn`) keeps the same API, so moving to it is a change to this file only.
 */
export {
  Annotations,
  App,
  Fn,
  LocalBackend,
  S3Backend,
  TerraformOutput,
  TerraformStack,
  Testing,
} from 'cdktf';
export type { AppConfig, ITerraformDependable } from 'cdktf';
export { Construct } from 'constructs';
export type { IConstruct } from 'constructs';
