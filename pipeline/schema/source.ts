/**
 * Parse a plan (YAML or JSON; JSON is YAML) while keeping source positions, so every diagnostic can point
 * at file:line:col.
 */
import {
  CST,
  Composer,
  Lexer,
  LineCounter,
  Parser,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
  YAMLParseError,
} from 'yaml';
import { GigawattError } from '../util/errors';
import { fastRead } from './fast-read';
import { planSchema } from './plan-schema';

/** A path into the plan: keys and array indices, e.g. ['pools', 1, 'instances']. */
export type PlanPath = readonly (string | number)[];

export interface SourcePosition {
  readonly line: number;
  readonly col: number;
}

/** A list index as YAMLSeq.get reads a path step: a number, or a string of one ('1'). */
function itemIndex(step: string | number): number | undefined {
  const i = typeof step === 'string' && step !== '' ? Number(step) : step;
  return typeof i === 'number' && Number.isInteger(i) && i >= 0 ? i : undefined;
}

/** Finds where a path of the plan is written: over the yaml library's document, or the fast reading's. */
export interface PlanLocator {
  locate(path: PlanPath, key: boolean): SourcePosition | undefined;
}

/** Maps plan paths back to positions in the file the plan came from. */
export class PlanSource {
  constructor(
    readonly file: string,
    private readonly locator?: PlanLocator,
  ) {}

  /** Position of the value at `path`, or of its nearest ancestor that exists. `key` points at the key instead. */
  locate(path: PlanPath, key = false): SourcePosition | undefined {
    return this.locator?.locate(path, key);
  }
}

/** Positions over the yaml library's document. */
class DocumentLocator implements PlanLocator {
  /**
   * Each mapping's pairs by key, built the first time a path goes through it: a lookup by the yaml library
   * (`getIn`, `YAMLMap.get`) scans the mapping's pairs, so locating every key of a 20,000-key mapping was
   * quadratic.
   */
  private readonly pairs = new WeakMap<YAMLMap, Map<unknown, Pair>>();

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  locate(path: PlanPath, key: boolean): SourcePosition | undefined {
    // One walk down the path, as the yaml library's getIn reads it (a mapping by key, a list by index,
    // nothing below a scalar or an alias): nodes[d] is the node at path.slice(0, d).
    const nodes: unknown[] = [this.doc.contents];
    for (const step of path) {
      const at = nodes[nodes.length - 1];
      let next: unknown;
      if (isMap(at)) {
        next = this.pairOf(at, step)?.value;
      } else if (isSeq(at)) {
        const i = itemIndex(step);
        next = i === undefined ? undefined : at.items[i];
      } else break;
      if (next === undefined || next === null) break;
      nodes.push(next);
    }
    if (key && path.length > 0 && nodes.length >= path.length && isMap(nodes[path.length - 1])) {
      const k = this.pairOf(nodes[path.length - 1] as YAMLMap, path[path.length - 1])?.key as
        Node | undefined;
      if (k?.range) return this.position(k.range[0]);
    }
    for (let depth = nodes.length - 1; depth >= 0; depth--) {
      const node = nodes[depth];
      if ((isScalar(node) || isMap(node) || isSeq(node)) && node.range) return this.position(node.range[0]);
    }
    return undefined;
  }

  /** The pair of `map` whose scalar key is `key` (the first, as YAMLMap.get finds it). */
  private pairOf(map: YAMLMap, key: string | number): Pair | undefined {
    let index = this.pairs.get(map);
    if (!index) {
      index = new Map();
      for (const p of map.items)
        if (isPair(p) && isScalar(p.key) && !index.has(p.key.value)) index.set(p.key.value, p);
      this.pairs.set(map, index);
    }
    return index.get(key);
  }

  private position(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(offset);
    return { line, col };
  }
}

/** Largest plan accepted (bytes): a 1M-accelerator fleet is a few hundred kB. */
export const MAX_PLAN_BYTES = 16 * 1024 * 1024;

/** Most pools a plan may have: the schema's own limit, checked while parsing. */
export const MAX_POOLS = planSchema.properties.pools.maxItems;

/** The part of a JSON Schema node the list limits read. */
interface ListSchema {
  readonly [keyword: string]: unknown;
  readonly maxItems?: number;
  readonly properties?: Readonly<Record<string, ListSchema>>;
  readonly items?: ListSchema;
}

const childSchema = (s: ListSchema | undefined, key: string | number | undefined): ListSchema | undefined =>
  s === undefined || key === undefined ? undefined : typeof key === 'number' ? s.items : s.properties?.[key];

type Collection = CST.BlockMap | CST.BlockSequence | CST.FlowCollection;
const isCollection = (t: CST.Token | null | undefined): t is Collection =>
  t?.type === 'block-map' || t?.type === 'block-seq' || t?.type === 'flow-collection';
const isMapping = (t: Collection): boolean =>
  t.type === 'block-map' || (t.type === 'flow-collection' && t.start.source === '{');
const keyOf = (t: Collection, i: number): string | number | undefined => {
  if (!isMapping(t)) return i;
  const key = CST.resolveAsScalar(t.items[i]?.key)?.value;
  return key === undefined || key === '' ? undefined : key;
};
/** Entries of a collection; a flow collection's last item may be only the comma after the last entry. */
const entries = (t: Collection): number =>
  t.type === 'flow-collection'
    ? t.items.filter((i) => i.key !== undefined || i.value !== undefined || i.sep !== undefined).length
    : t.items.length;

/**
 * The limit of a list the schema bounds (maxItems), as a parse error at the list's first line: raised while
 * the YAML is still being parsed, before the document is built, so a 16 MiB plan of 234,000 pools fails in
 * the time it takes to read 5,001 of them, not after building all of them.
 */
function overLimit(
  file: string,
  at: SourcePosition | undefined,
  path: PlanPath,
  max: number,
  exact?: number,
): GigawattError {
  const { line, col } = at ?? { line: 1, col: 1 };
  const where = path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');
  const found = exact === undefined ? `more than ${max}` : String(exact);
  const message =
    path.length === 1 && path[0] === 'pools'
      ? `the plan has ${found} pools; at most ${max} are allowed. Merge pools of the same type and site, or split the fleet into several plans.`
      : `${where} has ${found} entries; at most ${max} are allowed (the schema's maxItems).`;
  return new GigawattError('GW-E-TOO-LARGE', `${file}:${line}:${col}: ${message}`);
}

/** While parsing: the lists being read (the parser's stack) against their limits, by a lower bound of their length. */
function checkOpenLists(stack: readonly CST.Token[], file: string, lines: LineCounter): void {
  let schema: ListSchema | undefined = planSchema;
  const path: (string | number)[] = [];
  for (let i = 1; i < stack.length && schema; i++) {
    const t = stack[i];
    if (!isCollection(t)) return;
    // A flow collection's last item may still be empty: one less is a safe lower bound.
    const lower = t.type === 'flow-collection' ? t.items.length - 1 : t.items.length;
    if (schema.maxItems !== undefined && lower > schema.maxItems)
      throw overLimit(file, lines.linePos(t.offset), path, schema.maxItems);
    const key = keyOf(t, t.items.length - 1);
    schema = childSchema(schema, key);
    path.push(key!);
  }
}

/** Before building the document: every list the schema bounds, exactly. */
function checkLists(
  t: CST.Token | null | undefined,
  schema: ListSchema | undefined,
  path: PlanPath,
  file: string,
  lines: LineCounter,
): void {
  if (!schema || !isCollection(t)) return;
  if (schema.maxItems !== undefined) {
    const n = entries(t);
    if (n > schema.maxItems) throw overLimit(file, lines.linePos(t.offset), path, schema.maxItems, n);
  }
  if (!schema.properties && !schema.items) return;
  t.items.forEach((item, i) => {
    const key = keyOf(t, i);
    // A flow sequence entry without a colon is read as a key when it is a collection.
    const value = isMapping(t) ? item.value : (item.value ?? item.key);
    if (key !== undefined) checkLists(value, childSchema(schema, key), [...path, key], file, lines);
  });
}

/**
 * Parse with the yaml library's own stages (lexer, parser, composer), as its parseDocument does, checking
 * the schema's list limits (pools, sites, halls, ...) on the parser's stack every few thousand tokens and on
 * the whole syntax tree before the document is composed: composing is where time and memory go.
 */
function parseLimited(text: string, file: string, lines: LineCounter): Document.Parsed {
  const parser = new Parser(lines.addNewLine);
  const tokens: CST.Token[] = [];
  lines.addNewLine(0);
  let n = 0;
  for (const lexeme of new Lexer().lex(text)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    if (++n % 4096 === 0) checkOpenLists(parser.stack, file, lines);
  }
  for (const token of parser.end()) tokens.push(token);
  for (const token of tokens)
    if (token.type === 'document') checkLists(token.value, planSchema, [], file, lines);
  // uniqueKeys: false, and duplicateKey below instead: the library compares each key with every key before
  // it in its mapping (compose/util-map-includes.js), quadratic in the keys of one mapping.
  // logLevel 'error': the library's warnings go to process.emitWarning, and one of them quotes the plan
  // (a mapping used as a key).
  const composer = new Composer({ uniqueKeys: false, prettyErrors: false, strict: true, logLevel: 'error' });
  let doc: Document.Parsed | undefined;
  for (const d of composer.compose(tokens, true, text.length)) {
    if (!doc) {
      doc = d;
      const duplicate = duplicateKey(d, text);
      if (duplicate) {
        // Where the library would have reported it: among the errors, in the order of the text.
        const at = doc.errors.findIndex((e) => e.pos[0] > duplicate.pos[0]);
        doc.errors.splice(at === -1 ? doc.errors.length : at, 0, duplicate);
      }
    } else {
      doc.errors.push(
        new YAMLParseError([d.range[0], d.range[1]], 'MULTIPLE_DOCS', 'more than one document'),
      );
      break;
    }
  }
  return doc!;
}

/**
 * Where a key starts, as the yaml library reports a duplicate: a written key at its first character (its
 * anchor or tag excluded); an absent one (`: 2`), which the library places after the whitespace before it,
 * at the next character that is not blank or a comment: its `:`.
 */
function keyStart(text: string, range: readonly [number, number, number]): number {
  let at = range[0];
  if (range[1] !== at) return at;
  while (at < text.length) {
    const c = text[at];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') at++;
    else if (c === '#') while (at < text.length && text[at] !== '\n') at++;
    else break;
  }
  return at;
}

/**
 * The first key (in the text) that repeats an earlier key of its mapping, as the yaml library's uniqueKeys
 * check finds it (compose/util-map-includes.js: scalar keys with equal values, compared with ===, so
 * `1` and `1.0` are one key, `1` and `'1'` two, and NaN never equal; other keys only to themselves), at the
 * same place (the key's start): one Set per mapping, linear in the keys. Aliases are not followed: the
 * node they name is checked where it is written. Iterative, so a deep document does not overflow the stack.
 */
function duplicateKey(doc: Document.Parsed, text: string): YAMLParseError | undefined {
  let first: number | undefined;
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const node = stack.pop();
    if (isSeq(node)) for (const item of node.items) stack.push(item);
    else if (isMap(node)) {
      const keys = new Set<unknown>();
      for (const pair of node.items) {
        const k = pair.key;
        if (isScalar(k) && !(typeof k.value === 'number' && Number.isNaN(k.value))) {
          if (keys.has(k.value)) {
            const at = k.range ? keyStart(text, k.range) : undefined;
            if (at !== undefined && (first === undefined || at < first)) first = at;
          } else keys.add(k.value);
        }
        stack.push(k, pair.value);
      }
    }
  }
  return first === undefined
    ? undefined
    : new YAMLParseError([first, first + 1], 'DUPLICATE_KEY', 'Map keys must be unique');
}

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

/**
 * Why a document is not a gigawatt plan, without quoting it; undefined when it may be one. `version` is
 * its apiVersion: absent (undefined), or the string it is (null for anything else).
 */
function notAPlan(
  kind: 'list' | 'mapping' | 'other',
  version: string | null | undefined,
): string | undefined {
  if (kind === 'list') return 'the document is a list';
  if (kind === 'other') return 'the document is not a mapping';
  if (version === undefined) return 'it has no apiVersion';
  if (version === null || !version.startsWith('gigawatt/')) return 'its apiVersion is not gigawatt/...';
  return undefined;
}

/** notAPlan over the yaml library's document, before it is built into a value. */
function documentNotAPlan(contents: unknown): string | undefined {
  if (!isMap(contents)) return notAPlan(isSeq(contents) ? 'list' : 'other', undefined);
  const version = contents.get('apiVersion', true);
  if (version === undefined) return notAPlan('mapping', undefined);
  return notAPlan('mapping', isScalar(version) && typeof version.value === 'string' ? version.value : null);
}

/** notAPlan over a value. */
function valueNotAPlan(value: unknown): string | undefined {
  if (Array.isArray(value)) return notAPlan('list', undefined);
  if (typeof value !== 'object' || value === null) return notAPlan('other', undefined);
  if (!Object.prototype.hasOwnProperty.call(value, 'apiVersion')) return notAPlan('mapping', undefined);
  const version = (value as { apiVersion: unknown }).apiVersion;
  return notAPlan('mapping', typeof version === 'string' ? version : null);
}

/**
 * Whether the fast reading's value keeps every list the schema bounds (maxItems) within its limit. One
 * over it goes to the full reading, which words the error: it says "more than 5000" or the exact count
 * depending on where its check while parsing (checkOpenLists, every 4096 tokens) fell.
 */
function withinLists(v: unknown, schema: ListSchema | undefined): boolean {
  if (!schema || typeof v !== 'object' || v === null) return true;
  const keys = Array.isArray(v) ? undefined : Object.keys(v);
  if (schema.maxItems !== undefined && (keys ? keys.length : (v as unknown[]).length) > schema.maxItems)
    return false;
  if (!schema.properties && !schema.items) return true;
  if (keys) return keys.every((k) => withinLists((v as Record<string, unknown>)[k], childSchema(schema, k)));
  return (v as unknown[]).every((item, i) => withinLists(item, childSchema(schema, i)));
}

const notAPlanError = (file: string, why: string) =>
  new GigawattError(
    'GW-E-PARSE',
    `${file}: not a gigawatt plan: ${why}; a plan is a mapping with apiVersion: gigawatt/v1alpha1 (its contents are not shown).`,
  );

/**
 * Parse plan text. Throws GigawattError GW-E-PARSE with file:line:col for text that is not YAML/JSON.
 * `reading`: 'auto' reads the fast way where it applies (fast-read.ts); 'full' always uses the yaml
 * library (the tests compare the two).
 */
export function parsePlanText(
  text: string,
  file: string,
  reading: 'auto' | 'full' = 'auto',
): { value: unknown; source: PlanSource } {
  if (Buffer.byteLength(text) > MAX_PLAN_BYTES)
    throw new GigawattError(
      'GW-E-TOO-LARGE',
      `${file}: plan is larger than ${MAX_PLAN_BYTES / 1024 / 1024} MiB; split the fleet into several plans.`,
    );
  if (text.includes('\u0000'))
    throw new GigawattError('GW-E-PARSE', `${file}: not a YAML or JSON plan (binary data).`);
  if (text.trim() === '') throw new GigawattError('GW-E-PARSE', `${file}: the plan is empty.`);
  const fast = reading === 'auto' ? fastRead(text) : undefined;
  if (fast && withinLists(fast.value, planSchema)) {
    const notPlan = valueNotAPlan(fast.value);
    if (notPlan) throw notAPlanError(file, notPlan);
    return { value: fast.value, source: new PlanSource(file, fast.locator) };
  }
  const lines = new LineCounter();
  const doc = parseLimited(text, file, lines);
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
  const notPlan = documentNotAPlan(doc.contents);
  if (notPlan) throw notAPlanError(file, notPlan);
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
  return { value, source: new PlanSource(file, new DocumentLocator(doc, lines)) };
}
