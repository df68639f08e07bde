/**
 * What gigawatt's synth leaves out of cdktf's work, and that the output does not change:
 * - per-token stack traces (constructs/cdk.ts withoutTokenStackTraces): the switch must reach the tokens
 *   cdktf creates, and must be undone afterwards;
 * - the preparing resolve of site stacks (constructs/synth.ts skipPreparingRun), cdktf's resolve of plain data
 *   (constructs/cdk.ts withPlainResolution) and one app for all sites (constructs/synth.ts POOLS_PER_APP): every
 *   example, and every example with each AWS pool in a stack of its own (cross-stack references), synthesizes
 *   to the same files as with cdktf's own prepareStack and resolve in one app per site and in one app for all.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Lazy } from 'cdktf';
import { DefaultTokenResolver, Fn, StringConcat, Token, Tokenization } from 'cdktf';
import { App, TerraformStack, withPlainResolution, withoutTokenStackTraces } from '../constructs/cdk';
import { synthesizeTerraform } from '../constructs/synth';
import type { resolve as cdktfResolve } from 'cdktf/lib/tokens/private/resolve';
import { check, exampleFiles, ownStacks, ROOT } from './helpers';

const lazyTrace = () =>
  (Lazy.anyValue({ produce: () => 1 }) as unknown as { creationStack: string[] }).creationStack;

test('a token made inside withoutTokenStackTraces records no stack trace', () => {
  expect(withoutTokenStackTraces(lazyTrace)).toEqual([]);
});

test('outside it, and after a throw inside it, tokens record their creation stack again', () => {
  expect(lazyTrace().length).toBeGreaterThan(0);
  expect(() =>
    withoutTokenStackTraces(() => {
      throw new Error('inside');
    }),
  ).toThrow('inside');
  expect(lazyTrace().length).toBeGreaterThan(0);
});

describe.each(exampleFiles())(
  "%s synthesizes to the same files as cdktf's own prepareStack and resolve write them",
  (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    test.each([
      ['as written', text],
      ['with each AWS pool in a stack of its own', ownStacks(text)],
    ])('%s', (_how, yaml) => {
      const plan = check(yaml).plan!;
      const at = Date.parse('2026-12-01T00:00:00Z');
      const ours = synthesizeTerraform(plan, { skipValidation: true, at });
      const cdktf = { skipValidation: true, at, fullPrepare: true, cdktfResolve: true };
      for (const poolsPerApp of [1, Infinity]) {
        const theirs = synthesizeTerraform(plan, { ...cdktf, poolsPerApp });
        expect([...ours.keys()]).toEqual([...theirs.keys()]);
        for (const [path, content] of ours)
          expect({ path, content }).toEqual({ path, content: theirs.get(path) });
      }
    });
  },
);

describe('withPlainResolution', () => {
  const stack = new TerraformStack(new App(), 'plain');
  const resolve = (value: unknown) =>
    Tokenization.resolve(value, {
      scope: stack,
      preparing: false,
      resolver: new DefaultTokenResolver(new StringConcat()),
    });
  const outcome = (value: unknown, plain: boolean) => {
    try {
      return { value: plain ? withPlainResolution(() => resolve(value)) : resolve(value) };
    } catch (e) {
      return { error: (e as Error).message };
    }
  };
  let deep: unknown = 'bottom';
  for (let i = 0; i < 250; i++) deep = { down: deep };

  test.each([
    [
      'plain data, undefined dropped',
      { a: 1, b: undefined, c: [1, undefined, 'x'], d: { e: null, f: true } },
    ],
    [
      'strings cdktf reads as numbers or escapes',
      ['p5e.48xlarge', '1e5', '${aws_vpc.x.id}', '$${literal}', '}'],
    ],
    ['a string token', { name: Token.asString(Fn.join('-', ['a', 'b'])), inner: `x-${Fn.upper('y')}-z` }],
    ['a number token', { n: Token.asNumber(Fn.max([1, 2])), list: [Token.asNumber(Fn.min([3, 4]))] }],
    [
      'a list token',
      { l: Token.asList(Fn.concat([['a'], ['b']])), tags: ['c', ...Token.asList(Fn.keys({}))] },
    ],
    ['a token as a key', { [Token.asString(Fn.lower('K'))]: 1 }],
    ['an IResolvable', { r: Fn.join(',', ['a']) }],
    ['a date', { at: new Date(0) }],
    ['a function', { f: () => 1 }],
    ['the string map token value', { m: Token.STRING_MAP_TOKEN_VALUE }],
    ['the number map token value', { m: Token.NUMBER_MAP_TOKEN_VALUE }],
    ['a construct', { c: stack }],
    ['a path deeper than 200', deep],
    // eslint-disable-next-line no-sparse-arrays
    ['a sparse array', [1, , 3]],
    ['negative zero, NaN and infinities', { z: -0, n: NaN, i: [Infinity, -Infinity] }],
    ['template and escape markers', ['%{if x}', '$${', '${', 'a${b', '%%{x}']],
    [
      'a getter',
      {
        get g() {
          return 'got';
        },
      },
    ],
    ['an object with toJSON', { j: { toJSON: () => 'json' } }],
  ])('%s: the same value or error as cdktf', (_what, value) => {
    // Strict: an undefined cdktf drops must be dropped here too, not kept as a key.
    expect(outcome(value, true)).toStrictEqual(outcome(value, false));
  });

  test('walks plain data itself and hands cdktf only the values that hold tokens', () => {
    const module = jest.requireActual<{ resolve: typeof cdktfResolve }>('cdktf/lib/tokens/private/resolve');
    const cdktf = module.resolve;
    const spy = jest.fn(cdktf);
    module.resolve = spy;
    try {
      const token = Token.asString(Fn.upper('y'));
      expect(withPlainResolution(() => resolve({ a: [1, undefined, 'x'], b: { c: undefined } }))).toEqual({
        a: [1, 'x'],
        b: {},
      });
      expect(spy).not.toHaveBeenCalled();
      expect(withPlainResolution(() => resolve({ a: 'plain', b: { t: token } }))).toEqual({
        a: 'plain',
        b: { t: '${upper("y")}' },
      });
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0]![0]).toBe(token);
      expect(spy.mock.calls[0]![1].prefix).toEqual(['b', 't']);
    } finally {
      module.resolve = cdktf;
    }
  });

  test('is undone afterwards, and after a throw', () => {
    const module = jest.requireActual<{ resolve: unknown }>('cdktf/lib/tokens/private/resolve');
    const before = module.resolve;
    withPlainResolution(() => expect(module.resolve).not.toBe(before));
    expect(() =>
      withPlainResolution(() => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(module.resolve).toBe(before);
  });
});
