/**
 * The one module that imports the CDK for Terraform framework. cdktf 0.21.0 is its final release; the
 * community fork CDK Terrain (`cdktn`) keeps the same API, so moving to it is a change to this file only.
 */
import * as tokenStackTraces from 'cdktf/lib/tokens/private/stack-trace';

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

/**
 * cdktf records a full stack trace for every token it creates (cdktf 0.21.0 lib/tokens/private/stack-trace.js
 * `captureStackTrace`, called from the constructors of Intrinsic, Lazy, ComplexComputedList and the dynamic
 * blocks), only to quote in an error about that token. A 1M-accelerator plan of 5,000 pools creates millions of
 * tokens: the traces were half of `synth`'s memory (1.3 GB of 2.6) and a quarter of its time. `fn` runs with the
 * capture switched off, and the previous function is put back afterwards, so a cdktf app of a user's own keeps
 * its traces. The modules call the function through the module's exports object (`(0, stack_trace_1.
 * captureStackTrace)()`), which is what makes the switch reach them; test/synth-cost.test.ts fails when a
 * cdktf release changes that.
 */
export function withoutTokenStackTraces<T>(fn: () => T): T {
  const traces = tokenStackTraces as unknown as {
    captureStackTrace: typeof tokenStackTraces.captureStackTrace;
  };
  const capture = traces.captureStackTrace;
  traces.captureStackTrace = () => [];
  try {
    return fn();
  } finally {
    traces.captureStackTrace = capture;
  }
}
