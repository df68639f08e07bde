/**
 * The one module that imports the CDK for Terraform framework. cdktf 0.21.0 is its final release; the
 * community fork CDK Terrain (`cdktn`) keeps the same API, so moving to it is a change to this file only.
 */
import {
  containsMapToken,
  containsNumberListTokenElement,
  containsStringListTokenElement,
  extractTokenDouble,
  TokenString,
  unresolved,
} from 'cdktf/lib/tokens/private/encoding';
import * as tokenResolution from 'cdktf/lib/tokens/private/resolve';
import * as tokenStackTraces from 'cdktf/lib/tokens/private/stack-trace';
import { TokenMap } from 'cdktf/lib/tokens/private/token-map';

export {
  Annotations,
  App,
  Fn,
  LocalBackend,
  Manifest,
  S3Backend,
  TerraformOutput,
  TerraformStack,
  Testing,
} from 'cdktf';
export type { AppConfig, ITerraformDependable, StackManifest } from 'cdktf';
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

type ResolveOptions = Parameters<typeof tokenResolution.resolve>[1];

/** cdktf's own string test for a string it would change or refuse (lib/tokens/private/resolve.js, strings). */
const stringNeedsCdktf = (s: string): boolean =>
  s.includes('TfToken[') ||
  s === 'String Map Token Value' || // Token.STRING_MAP_TOKEN_VALUE, ANY_MAP_TOKEN_VALUE: cdktf throws
  s === 'Any Map Token Value' ||
  TokenString.forNumbers(s).test();

/** The same walk as cdktf's resolve over plain data; `cdktf` for anything else, with the same path. */
function resolvePlain(obj: unknown, options: ResolveOptions, prefix: string[], cdktf: Resolve): unknown {
  const delegate = () => cdktf(obj, { ...options, prefix });
  // cdktf refuses paths deeper than 200 (a cycle), in its own words.
  if (prefix.length > 200) return delegate();
  switch (typeof obj) {
    case 'undefined':
      return undefined;
    case 'string':
      return stringNeedsCdktf(obj) ? delegate() : obj;
    case 'number':
      return obj === -123456789 || extractTokenDouble(obj, false) !== undefined ? delegate() : obj;
    case 'object':
      break;
    case 'function':
      return delegate();
    default:
      return obj;
  }
  if (obj === null || obj instanceof Date) return obj;
  if (Array.isArray(obj)) {
    if (containsStringListTokenElement(obj) || containsNumberListTokenElement(obj)) return delegate();
    return obj
      .map((x, i) => resolvePlain(x, options, [...prefix, `${i}`], cdktf))
      .filter((x) => typeof x !== 'undefined');
  }
  const record = obj as Record<string, unknown>;
  const keys = Object.keys(record);
  if (
    containsMapToken(record) ||
    unresolved(record) ||
    (record._children !== undefined && record._metadata !== undefined) || // a construct: cdktf throws
    keys.some(stringNeedsCdktf)
  )
    return delegate();
  const result: Record<string, unknown> = {};
  for (const key of keys) {
    const value = resolvePlain(record[key], options, [...prefix, key], cdktf);
    if (typeof value !== 'undefined') result[key] = value;
  }
  return result;
}

type Resolve = typeof tokenResolution.resolve;

/**
 * cdktf resolves every value of every element twice (each element's `toTerraform()`, then the whole stack,
 * cdktf 0.21.0 lib/terraform-stack.js toTerraform), and each step of its walk builds a context, two closures
 * and the joined path (lib/tokens/private/resolve.js): 70 % of `synth` on a 5,000-pool plan, where almost all
 * of the data holds no token. While `fn` runs, a resolve that starts with no enclosing context walks plain data
 * itself, exactly as cdktf does (undefined dropped, keys and order kept), and hands cdktf every value it would
 * treat otherwise: a string or key with a token marker or an encoded number, a token number, a token list, an
 * IResolvable, a construct, a path over 200 deep. Token resolution itself stays cdktf's. The entry point is
 * reached through the module's exports object (`(0, resolve_1.resolve)` in lib/tokens/token.js), as with the
 * stack traces above; test/synth-cost.test.ts compares every example's output with and without it.
 */
export function withPlainResolution<T>(fn: () => T): T {
  const module = tokenResolution as unknown as { resolve: Resolve };
  const cdktf = module.resolve;
  module.resolve = (obj, options) =>
    options.previousContext === undefined
      ? resolvePlain(obj, options, options.prefix ?? [], cdktf)
      : cdktf(obj, options);
  try {
    return fn();
  } finally {
    module.resolve = cdktf;
  }
}

interface TokenStore {
  readonly stringTokenMap: Map<string, unknown>;
  readonly numberTokenMap: Map<number, unknown>;
  readonly tokenCounter: number;
}

/**
 * cdktf registers every token in one TokenMap for the whole process and never removes one
 * (lib/tokens/private/token-map.js): each token holds its construct, so every app synthesized stays alive with
 * all its constructs, and a worker of a 20,000-pool plan grew by 14 MB an app to 600 MB. After `fn` (one
 * app's build and synth), the tokens it registered are forgotten: their keys carry the counter they were
 * registered at (`<hint>.<n>` for strings, n itself for numbers), and only those from `fn` are at or above
 * the counter it started at. A token made in `fn` and used after it would throw cdktf's "Unrecognized token
 * key" (the token caches its key), never resolve to something else.
 */
export function withTokensReleased<T>(fn: () => T): T {
  const store = TokenMap.instance() as unknown as TokenStore;
  const first = store.tokenCounter;
  try {
    return fn();
  } finally {
    for (const key of store.stringTokenMap.keys())
      if (Number(key.slice(key.lastIndexOf('.') + 1)) >= first) store.stringTokenMap.delete(key);
    for (const key of store.numberTokenMap.keys()) if (key >= first) store.numberTokenMap.delete(key);
  }
}
