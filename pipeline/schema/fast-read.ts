/**
 * A fast reading of the plain plans most teams write, beside the yaml library's full one (source.ts).
 *
 * The yaml library keeps a syntax tree with every position, and reading it costs about 1.2 s per MB of
 * flow-style YAML on this machine: two thirds of `validate` for a 5,000-pool plan. js-yaml reads the same
 * text ten times faster; its listener reports where each node opens, which is enough to point at
 * file:line:col. It is used only where both libraries read a text the same way, and the full reading
 * decides everything else:
 * - no anchor, alias, tag or directive (`&`, `*`, `!`, `%` appear nowhere), no tab, carriage return or byte
 *   order mark, at most FAST_READ_MAX bytes (larger plans need the full reading's limits while parsing);
 * - scalars resolve by the YAML 1.2 core schema as the yaml library writes it (schema/core/*.js): js-yaml's
 *   own also reads 0b101, -0x1F and 1_000 as numbers;
 * - every mapping key is a string that is not `__proto__`, and the nodes the listener saw fit the value
 *   exactly (each list item, each key and its value in order); anything else, and any error or warning
 *   from js-yaml, and the text goes to the full reading, which gives the error messages.
 * test/fast-read.test.ts checks both readings give the same value and the same positions on every example
 * and on mutated ones.
 */
import { FAILSAFE_SCHEMA, load, Type, type State } from 'js-yaml';
import { planSchema } from './plan-schema';
import type { PlanPath, SourcePosition } from './source';

/** Largest text read the fast way: a 1M-accelerator fleet as 20,000 pools is about 2 MB. */
export const FAST_READ_MAX = 4 * 1024 * 1024;

/** Characters that start what only the full reading handles: anchors, aliases, tags, directives, tabs. */
const OUTSIDE = /[&*!%\t\r\uFEFF]/;

/**
 * A `#` right after a quote, bracket, brace, comma or colon: js-yaml reads `'x'#c` and `[x]#c` as a value
 * and a comment, the yaml library refuses a comment not preceded by white space (compose/resolve-props.js,
 * MISSING_CHAR). Inside a plain or quoted scalar it is only text, and such a text merely takes the full
 * reading.
 */
const UNSPACED_COMMENT = /["'\]},:]#/;

/**
 * Content on the `---` line: js-yaml reads `--- a: 1` as a mapping, the yaml library refuses a block
 * mapping there. `--- [1]` or `--- x` are read alike, but the full reading decides them all.
 */
const ON_DOCUMENT_START = /^--- +[^ #\n]/m;

/**
 * Most entries (list items, or keys and values) any one collection may have in the fast reading: twice the
 * largest maxItems of the schema. The full reading stops a list over its limit after about that many
 * entries (source.ts, checkOpenLists); without this the fast one built all of a 4 MiB list first
 * (1.4M pools: 1.2 s and 700 MB, against 70 ms and 70 MB). Over it, the text goes to the full reading.
 */
const MOST_ENTRIES = (() => {
  let most = 0;
  const walk = (s: unknown): void => {
    if (typeof s !== 'object' || s === null) return;
    const { maxItems } = s as { maxItems?: unknown };
    if (typeof maxItems === 'number') most = Math.max(most, maxItems);
    for (const v of Object.values(s)) walk(v);
  };
  walk(planSchema);
  return 2 * most;
})();

/** Thrown from the listener to stop js-yaml once a collection has more than MOST_ENTRIES entries. */
class TooMany extends Error {}

/**
 * One js-yaml type per tag (its schema keeps only the last type of a tag): the yaml library's forms of that
 * tag as [test, construct], tried in its order.
 */
const scalar = (tag: string, forms: readonly [RegExp, (s: string) => unknown][]) =>
  new Type(`tag:yaml.org,2002:${tag}`, {
    kind: 'scalar',
    resolve: (s: string | null) => s !== null && forms.some(([test]) => test.test(s)),
    construct: (s: string) => forms.find(([test]) => test.test(s))![1](s),
  });

/** The yaml library's YAML 1.2 core schema (schema/core/schema.js), in its order. */
const CORE = FAILSAFE_SCHEMA.extend({
  implicit: [
    scalar('null', [[/^(?:~|[Nn]ull|NULL)?$/, () => null]]),
    scalar('bool', [[/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === 't' || s[0] === 'T']]),
    scalar('int', [
      [/^0o[0-7]+$/, (s) => parseInt(s.substring(2), 8)],
      [/^[-+]?[0-9]+$/, (s) => parseInt(s, 10)],
      [/^0x[0-9a-fA-F]+$/, (s) => parseInt(s.substring(2), 16)],
    ]),
    scalar('float', [
      [
        /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
        (s) => (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity),
      ],
      [/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, (s) => parseFloat(s)],
      [/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, (s) => parseFloat(s)],
    ]),
  ],
});

/** A node as the listener saw it: where it opened, what it became, the nodes read inside it. */
interface Seen {
  readonly open: number;
  close?: number;
  result: unknown;
  readonly inside: Seen[];
}

/** A node of the value with where it starts in the text. */
interface Placed {
  readonly start: number;
  readonly items?: readonly Placed[];
  readonly pairs?: ReadonlyMap<string, { readonly key: number; readonly value?: Placed }>;
}

class Mismatch extends Error {}

const isMappingValue = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Maps plan paths to positions, as PlanSource does over the yaml library's document. */
export class FastLocator {
  private lineStarts?: number[];

  constructor(
    private readonly text: string,
    private readonly root: Placed,
  ) {}

  locate(path: PlanPath, key: boolean): SourcePosition | undefined {
    const nodes: Placed[] = [this.root];
    let keyAt: number | undefined;
    for (const [d, step] of path.entries()) {
      const at = nodes[nodes.length - 1]!;
      let next: Placed | undefined;
      if (at.pairs) {
        const pair = typeof step === 'string' ? at.pairs.get(step) : undefined;
        if (pair && d === path.length - 1) keyAt = pair.key;
        next = pair?.value;
      } else if (at.items) {
        const i = typeof step === 'string' && step !== '' ? Number(step) : step;
        next = Number.isInteger(i) && (i as number) >= 0 ? at.items[i as number] : undefined;
      }
      if (!next) break;
      nodes.push(next);
    }
    if (key && keyAt !== undefined) return this.position(keyAt);
    return this.position(nodes[nodes.length - 1]!.start);
  }

  private position(offset: number): SourcePosition {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1))
        this.lineStarts.push(i + 1);
    }
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo]! + 1 };
  }
}

/** The first character of a node the listener opened at `at`: past blanks, line breaks and comments. */
function startOf(text: string, at: number): number {
  while (at < text.length) {
    const c = text[at];
    if (c === ' ' || c === '\n') at++;
    else if (c === '#' && (at === 0 || text[at - 1] === ' ' || text[at - 1] === '\n'))
      while (at < text.length && text[at] !== '\n') at++;
    else break;
  }
  return at;
}

/**
 * An empty value, where the yaml library places it: after the key's `:` and the blanks on its line (at a
 * comment, the line's end, or the `,` or `}` of a flow mapping); none for a flow entry with no `:`.
 */
function emptyValue(text: string, afterKey: number): Placed | undefined {
  let at = afterKey;
  while (text[at] === ' ') at++;
  if (text[at] !== ':') return undefined;
  at++;
  while (text[at] === ' ') at++;
  return { start: at };
}

/** Fit what the listener saw to the value it built; throws Mismatch where they differ. */
function place(text: string, seen: Seen): Placed {
  // A node read as a possible key and kept as the node itself (js-yaml's readBlockMapping) sits inside a
  // node with the same result.
  while (
    seen.inside.length === 1 &&
    typeof seen.result === 'object' &&
    seen.inside[0]!.result === seen.result
  )
    seen = seen.inside[0]!;
  const start = startOf(text, seen.open);
  const v = seen.result;
  if (Array.isArray(v)) {
    if (seen.inside.length !== v.length) throw new Mismatch();
    return {
      start,
      items: seen.inside.map((s, i) => {
        if (!Object.is(s.result, v[i])) throw new Mismatch();
        return place(text, s);
      }),
    };
  }
  if (isMappingValue(v)) {
    const pairs = new Map<string, { key: number; value?: Placed }>();
    const inside = seen.inside;
    for (let i = 0; i < inside.length;) {
      const k = inside[i++]!;
      if (typeof k.result !== 'string' || k.result === '__proto__' || pairs.has(k.result))
        throw new Mismatch();
      // An explicit key (`? a`): js-yaml opens it just after the `?` (loader.js readBlockMapping), or after
      // the blanks past it (readFlowCollection). Its empty or null value is placed apart from the yaml
      // library's; rare in plans. (A value ending in `?` before the key only costs the full reading.)
      let before = k.open - 1;
      while (text[before] === ' ' || text[before] === '\n') before--;
      if (text[k.open - 1] === '?' || text[before] === '?') throw new Mismatch();
      const keyStart = startOf(text, k.open);
      // The yaml library refuses an implicit key whose `:` is more than 1024 characters after its start
      // (compose/resolve-block-map.js, KEY_OVER_1024_CHARS, strict); js-yaml reads it.
      let colon = k.close!;
      while (text[colon] === ' ') colon++;
      if (colon - keyStart > 1024) throw new Mismatch();
      if (!Object.prototype.hasOwnProperty.call(v, k.result)) throw new Mismatch();
      const value = v[k.result];
      // A value js-yaml did not read as a node (an empty one on the next line) has no entry here.
      const next = inside[i];
      let placed: Placed | undefined;
      if (next && (value === null ? next.result === null : Object.is(next.result, value))) {
        i++;
        if (value !== null) placed = place(text, next);
      } else if (value !== null) throw new Mismatch();
      if (value === null) {
        placed = emptyValue(text, k.close!);
        // A null written on a later line (`a:\n  null`, `a: # c\n  ~`): the yaml library places it there,
        // emptyValue at the `:`'s line. Anything starting like a null there goes to the full reading.
        if (placed && '\n#'.includes(text[placed.start] ?? '\n')) {
          const at = startOf(text, placed.start);
          if (/^(?:~|null|Null|NULL)/.test(text.slice(at, at + 4))) throw new Mismatch();
        }
      }
      pairs.set(k.result, { key: keyStart, value: placed });
    }
    if (pairs.size !== Object.keys(v).length) throw new Mismatch();
    return { start, pairs };
  }
  if (typeof v === 'object' && v !== null) throw new Mismatch();
  // A block scalar (`|`, `>`): the two libraries differ on lines of only spaces and on indentation
  // indicators (`a: |2` then a line of six spaces: js-yaml '    \n', the yaml library ''). Plans rarely
  // have one; the full reading reads them.
  if (typeof v === 'string' && (text[start] === '|' || text[start] === '>')) throw new Mismatch();
  return { start };
}

/**
 * The plan's value and a locator when the text is inside the fast reading's bounds (see above) and
 * js-yaml reads it without error or warning; undefined otherwise, and the full reading takes over.
 */
export function fastRead(text: string): { value: unknown; locator: FastLocator } | undefined {
  if (
    text.length > FAST_READ_MAX ||
    OUTSIDE.test(text) ||
    UNSPACED_COMMENT.test(text) ||
    ON_DOCUMENT_START.test(text)
  )
    return undefined;
  const root: Seen = { open: 0, result: undefined, inside: [] };
  const open: Seen[] = [root];
  let warned = false;
  let value: unknown;
  try {
    value = load(text, {
      schema: CORE,
      onWarning: () => (warned = true),
      listener(event: 'open' | 'close', state: State) {
        if (event === 'open') {
          const seen: Seen = { open: state.position, result: undefined, inside: [] };
          const parent = open[open.length - 1]!;
          if (parent.inside.length >= MOST_ENTRIES) throw new TooMany();
          parent.inside.push(seen);
          open.push(seen);
        } else {
          const seen = open.pop()!;
          seen.result = state.result;
          seen.close = state.position;
        }
      },
    });
  } catch {
    return undefined;
  }
  if (warned || open.length !== 1 || root.inside.length !== 1 || root.inside[0]!.result !== value)
    return undefined;
  try {
    return { value, locator: new FastLocator(text, place(text, root.inside[0]!)) };
  } catch (err) {
    if (err instanceof Mismatch) return undefined;
    throw err;
  }
}
