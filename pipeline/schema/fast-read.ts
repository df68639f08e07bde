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

/**
 * The nodes as the listener saw them, numbered in the order they opened (a node's descendants follow it,
 * up to `end`): where each opened and closed, what it became. Flat typed arrays rather than an object per
 * node: a 20,000-pool plan has about 245,000 nodes, and a tree of objects that stays alive while js-yaml
 * reads doubled the reading's time in garbage collection.
 */
class Seen {
  open = new Int32Array(1024);
  close = new Int32Array(1024);
  /** One past the node's last descendant: its children are i + 1, end[i + 1], … before end[i]. */
  end = new Int32Array(1024);
  /**
   * For a mapping key: the node of its value; where the value is null (placed apart), -1 when js-yaml read
   * no node for it and -2 when its node follows the key.
   */
  value = new Int32Array(1024);
  readonly result: unknown[] = [];
  count = 0;

  add(open: number): number {
    if (this.count === this.open.length) this.grow();
    this.open[this.count] = open;
    this.result.push(undefined);
    return this.count++;
  }

  private grow(): void {
    const grown = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.open = grown(this.open);
    this.close = grown(this.close);
    this.end = grown(this.end);
    this.value = grown(this.value);
  }

  /** The children of node `i`, in order. */
  *children(i: number): Generator<number> {
    for (let c = i + 1; c < this.end[i]!; c = this.end[c]!) yield c;
  }

  /** The node after mapping key `k` and its value's node, once place() has paired them. */
  afterPair(k: number): number {
    const value = this.value[k]!;
    return value >= 0 ? this.end[value]! : value === -2 ? this.end[this.end[k]!]! : this.end[k]!;
  }

  /** The key node `key` of mapping node `i` (after place() paired keys with values). */
  keyOf(i: number, key: PlanPath[number]): number | undefined {
    for (let k = i + 1; k < this.end[i]!; k = this.afterPair(k)) if (this.result[k] === key) return k;
    return undefined;
  }

  /**
   * A node read as a possible key and kept as the node itself (js-yaml's readBlockMapping) sits inside a
   * node with the same result: the inner one is the node.
   */
  unwrap(i: number): number {
    while (
      i + 1 < this.end[i]! &&
      this.end[i + 1] === this.end[i] &&
      typeof this.result[i] === 'object' &&
      this.result[i + 1] === this.result[i]
    )
      i++;
    return i;
  }
}

class Mismatch extends Error {}

const isMappingValue = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Maps plan paths to positions, as PlanSource does over the yaml library's document. */
export class FastLocator {
  private lineStarts?: number[];
  /** The items of each list a path went through, by node. */
  private readonly items = new Map<number, number[]>();

  constructor(
    private readonly text: string,
    private readonly seen: Seen,
    private readonly root: number,
  ) {}

  locate(path: PlanPath, key: boolean): SourcePosition | undefined {
    const { seen, text } = this;
    let at = this.root;
    let start = startOf(text, seen.open[at]!);
    let keyAt: number | undefined;
    for (const [d, step] of path.entries()) {
      const v = seen.result[at];
      let next: number | undefined;
      if (isMappingValue(v)) {
        const k = seen.keyOf(at, step);
        if (k === undefined) break;
        if (d === path.length - 1) keyAt = startOf(text, seen.open[k]!);
        const value = seen.value[k]!;
        if (value < 0) {
          // An empty or null value: placed after the key's `:`, with nothing inside it.
          const empty = emptyValue(text, seen.close[k]!);
          if (empty !== undefined) start = empty;
          break;
        }
        next = value;
      } else if (Array.isArray(v)) {
        const i = typeof step === 'string' && step !== '' ? Number(step) : step;
        if (!Number.isInteger(i) || (i as number) < 0) break;
        let items = this.items.get(at);
        if (!items) this.items.set(at, (items = [...seen.children(at)]));
        next = items[i as number];
      }
      if (next === undefined) break;
      at = seen.unwrap(next);
      start = startOf(text, seen.open[at]!);
    }
    return this.position(key && keyAt !== undefined ? keyAt : start);
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
 * Where the yaml library places an empty value: after the key's `:` and the blanks on its line (at a
 * comment, the line's end, or the `,` or `}` of a flow mapping); none for a flow entry with no `:`.
 */
function emptyValue(text: string, afterKey: number): number | undefined {
  let at = afterKey;
  while (text[at] === ' ') at++;
  if (text[at] !== ':') return undefined;
  at++;
  while (text[at] === ' ') at++;
  return at;
}

/**
 * Check that what the listener saw fits the value it built, and pair each mapping key with its value's
 * node (Seen.value); throws Mismatch where they differ.
 */
function place(text: string, seen: Seen, node: number): void {
  const i = seen.unwrap(node);
  const v = seen.result[i];
  const end = seen.end[i]!;
  if (Array.isArray(v)) {
    let n = 0;
    for (let c = i + 1; c < end; c = seen.end[c]!) {
      if (n >= v.length || !Object.is(seen.result[c], v[n++])) throw new Mismatch();
      place(text, seen, c);
    }
    if (n !== v.length) throw new Mismatch();
    return;
  }
  if (isMappingValue(v)) {
    // A Set, not a list: a hostile mapping of 20,000 keys would be compared pair by pair.
    const keys = new Set<string>();
    for (let k = i + 1; k < end;) {
      const key = seen.result[k];
      if (typeof key !== 'string' || key === '__proto__' || keys.has(key)) throw new Mismatch();
      keys.add(key);
      // An explicit key (`? a`): js-yaml opens it just after the `?` (loader.js readBlockMapping), or after
      // the blanks past it (readFlowCollection). Its empty or null value is placed apart from the yaml
      // library's; rare in plans. (A value ending in `?` before the key only costs the full reading.)
      const open = seen.open[k]!;
      let before = open - 1;
      while (text[before] === ' ' || text[before] === '\n') before--;
      if (text[open - 1] === '?' || text[before] === '?') throw new Mismatch();
      const keyStart = startOf(text, open);
      // The yaml library refuses an implicit key whose `:` is more than 1024 characters after its start
      // (compose/resolve-block-map.js, KEY_OVER_1024_CHARS, strict); js-yaml reads it.
      let colon = seen.close[k]!;
      while (text[colon] === ' ') colon++;
      if (colon - keyStart > 1024) throw new Mismatch();
      if (!Object.prototype.hasOwnProperty.call(v, key)) throw new Mismatch();
      const value = v[key];
      // A value js-yaml did not read as a node (an empty one on the next line) has no node here.
      const next = seen.end[k]!;
      const hasNode =
        next < end && (value === null ? seen.result[next] === null : Object.is(seen.result[next], value));
      if (!hasNode && value !== null) throw new Mismatch();
      if (value !== null) {
        seen.value[k] = next;
        place(text, seen, next);
      } else {
        seen.value[k] = hasNode ? -2 : -1;
        // A null written on a later line (`a:\n  null`, `a: # c\n  ~`): the yaml library places it there,
        // emptyValue at the `:`'s line. Anything starting like a null there goes to the full reading.
        const empty = emptyValue(text, seen.close[k]!);
        if (empty !== undefined && '\n#'.includes(text[empty] ?? '\n')) {
          const at = startOf(text, empty);
          if (/^(?:~|null|Null|NULL)/.test(text.slice(at, at + 4))) throw new Mismatch();
        }
      }
      k = seen.afterPair(k);
    }
    if (keys.size !== Object.keys(v).length) throw new Mismatch();
    return;
  }
  if (typeof v === 'object' && v !== null) throw new Mismatch();
  // A block scalar (`|`, `>`): the two libraries differ on lines of only spaces and on indentation
  // indicators (`a: |2` then a line of six spaces: js-yaml '    \n', the yaml library ''). Plans rarely
  // have one; the full reading reads them.
  if (typeof v === 'string' && '|>'.includes(text[startOf(text, seen.open[i]!)] ?? ' ')) throw new Mismatch();
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
  const seen = new Seen();
  // The nodes open now, and how many children each has so far.
  const open: number[] = [];
  const children: number[] = [];
  let warned = false;
  let value: unknown;
  try {
    value = load(text, {
      schema: CORE,
      onWarning: () => (warned = true),
      listener(event: 'open' | 'close', state: State) {
        if (event === 'open') {
          if (open.length && ++children[children.length - 1]! > MOST_ENTRIES) throw new TooMany();
          open.push(seen.add(state.position));
          children.push(0);
        } else {
          const i = open.pop()!;
          children.pop();
          seen.result[i] = state.result;
          seen.close[i] = state.position;
          seen.end[i] = seen.count;
        }
      },
    });
  } catch {
    return undefined;
  }
  // One node at the top (node 0, whose descendants are all the others), and it is the value.
  if (warned || open.length || !seen.count || seen.end[0] !== seen.count || seen.result[0] !== value)
    return undefined;
  try {
    place(text, seen, 0);
    return { value, locator: new FastLocator(text, seen, seen.unwrap(0)) };
  } catch (err) {
    if (err instanceof Mismatch) return undefined;
    throw err;
  }
}
