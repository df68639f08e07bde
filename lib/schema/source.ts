/**
 * Parse a plan (YAML or JSON; JSON is YAML) while keeping source positions, so every diagnostic can point
 * at file:line:col.
 */
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { GigawattError } from '../util/errors';
import { planSchema } from './plan-schema';

/** A path into the plan: keys and array indices, e.g. ['pools', 1, 'instances']. */
export type PlanPath = readonly (string | number)[];

export interface SourcePosition {
  readonly line: number;
  readonly col: number;
}

/** Maps plan paths back to positions in the file the plan came from. */
export class PlanSource {
  constructor(
    readonly file: string,
    private readonly doc?: Document,
    private readonly lines?: LineCounter,
  ) {}

  /** Position of the value at `path`, or of its nearest ancestor that exists. `key` points at the key instead. */
  locate(path: PlanPath, key = false): SourcePosition | undefined {
    if (!this.doc || !this.lines) return undefined;
    for (let depth = path.length; depth >= 0; depth--) {
      const at = path.slice(0, depth);
      const node = (at.length ? this.doc.getIn(at, true) : this.doc.contents) as Node | undefined;
      if (key && depth === path.length && depth > 0) {
        const parent = this.doc.getIn(at.slice(0, -1), true);
        if (isMap(parent)) {
          const pair = parent.items.find(
            (p) => isPair(p) && isScalar(p.key) && p.key.value === at[at.length - 1],
          );
          const k = pair?.key as Node | undefined;
          if (k?.range) return this.position(k.range[0]);
        }
      }
      if (node && (isScalar(node) || isMap(node) || isSeq(node)) && node.range)
        return this.position(node.range[0]);
    }
    return undefined;
  }

  private position(offset: number): SourcePosition {
    const { line, col } = this.lines!.linePos(offset);
    return { line, col };
  }
}

/** Largest plan accepted (bytes): a 1M-accelerator fleet is a few hundred kB. */
export const MAX_PLAN_BYTES = 16 * 1024 * 1024;

/** Most pools a plan may have: the schema's own limit, checked right after parsing. */
export const MAX_POOLS = planSchema.properties.pools.maxItems;

/** Parse plan text. Throws GigawattError GW-E-PARSE with file:line:col for text that is not YAML/JSON. */
export function parsePlanText(text: string, file: string): { value: unknown; source: PlanSource } {
  if (Buffer.byteLength(text) > MAX_PLAN_BYTES)
    throw new GigawattError(
      'GW-E-TOO-LARGE',
      `${file}: plan is larger than ${MAX_PLAN_BYTES / 1024 / 1024} MiB; split the fleet into several plans.`,
    );
  if (text.includes('\u0000'))
    throw new GigawattError('GW-E-PARSE', `${file}: not a YAML or JSON plan (binary data).`);
  if (text.trim() === '') throw new GigawattError('GW-E-PARSE', `${file}: the plan is empty.`);
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
  });
  const problem = doc.errors[0];
  if (problem) {
    const { line, col } = lines.linePos(problem.pos[0]);
    const what =
      problem.code === 'DUPLICATE_KEY'
        ? 'duplicate key'
        : /call stack/i.test(problem.message)
          ? 'nested too deeply'
          : problem.message.split('\n')[0];
    throw new GigawattError('GW-E-PARSE', `${file}:${line}:${col}: not a valid YAML/JSON plan: ${what}.`);
  }
  // Count the pools before building and schema-checking the whole plan, so an oversized fleet fails fast.
  const pools = isMap(doc.contents) ? doc.contents.get('pools', true) : undefined;
  if (isSeq(pools) && pools.items.length > MAX_POOLS) {
    const { line, col } = lines.linePos(pools.range?.[0] ?? 0);
    throw new GigawattError(
      'GW-E-TOO-LARGE',
      `${file}:${line}:${col}: the plan has ${pools.items.length} pools; at most ${MAX_POOLS} are allowed. Merge pools of the same type and site, or split the fleet into several plans.`,
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new GigawattError(
      'GW-E-PARSE',
      `${file}: not a valid YAML/JSON plan: ${(err as Error).message.split('\n')[0]}.`,
    );
  }
  return { value, source: new PlanSource(file, doc, lines) };
}
