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

/**
 * A parse error in words that never quote the input: the yaml library's messages can (an unresolved tag
 * or alias, a bad escape), so only its fixed error code is shown.
 */
function yamlProblem(code: string, message: string): string {
  if (code === 'DUPLICATE_KEY') return 'duplicate key';
  if (/call stack/i.test(message)) return 'nested too deeply';
  if (code === 'MULTIPLE_DOCS') return 'more than one document';
  return `YAML syntax error (${code.toLowerCase().replace(/_/g, ' ')})`;
}

/** Why a parsed document is not a gigawatt plan, without quoting it; undefined when it may be one. */
function notAPlan(contents: unknown): string | undefined {
  if (isSeq(contents)) return 'the document is a list';
  if (!isMap(contents)) return 'the document is not a mapping';
  const version = contents.get('apiVersion', true);
  if (version === undefined) return 'it has no apiVersion';
  if (!isScalar(version) || typeof version.value !== 'string' || !version.value.startsWith('gigawatt/'))
    return 'its apiVersion is not gigawatt/...';
  return undefined;
}

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
    throw new GigawattError(
      'GW-E-PARSE',
      `${file}:${line}:${col}: not a valid YAML/JSON plan: ${yamlProblem(problem.code, problem.message)}.`,
    );
  }
  // Only YAML 1.2: a %YAML 1.1 directive reads 1:30 as 90 and yes/no/on/off as booleans; %TAG directives
  // and unknown ones are refused too (the yaml library would only warn).
  const directive = doc.warnings.find((w) => w.code === 'BAD_DIRECTIVE');
  const tags = Object.keys(doc.directives?.tags ?? {}).filter((t) => t !== '!!' && t !== '!');
  if (directive || (doc.directives?.yaml.explicit && doc.directives.yaml.version !== '1.2') || tags.length) {
    const at = /^%/m.exec(text)?.index ?? 0;
    const { line, col } = lines.linePos(at);
    throw new GigawattError(
      'GW-E-PARSE',
      `${file}:${line}:${col}: not a valid YAML/JSON plan: only YAML 1.2 is accepted, with no directive other than %YAML 1.2 (%YAML 1.1 would read 1:30 as 90 and yes as true).`,
    );
  }
  // Not a gigawatt plan at all (a credentials file, .git/config, a Kubernetes Secret given by mistake or by
  // a hostile change): say so without showing a byte of it.
  const notPlan = notAPlan(doc.contents);
  if (notPlan)
    throw new GigawattError(
      'GW-E-PARSE',
      `${file}: not a gigawatt plan: ${notPlan}; a plan is a mapping with apiVersion: gigawatt/v1alpha1 (its contents are not shown).`,
    );
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
    const message = (err as Error)?.message ?? '';
    throw new GigawattError(
      'GW-E-PARSE',
      `${file}: not a valid YAML/JSON plan: ${
        /resource exhaustion/i.test(message)
          ? 'too many aliases (resource exhaustion)'
          : /unresolved alias/i.test(message)
            ? 'an alias names no anchor'
            : 'the document cannot be built'
      }.`,
    );
  }
  return { value, source: new PlanSource(file, doc, lines) };
}
