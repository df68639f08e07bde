/**
 * What gigawatt's synth leaves out of cdktf's work, and that the output does not change:
 * - per-token stack traces (constructs/cdk.ts withoutTokenStackTraces): the switch must reach the tokens
 *   cdktf creates, and must be undone afterwards;
 * - the preparing resolve of site stacks (constructs/synth.ts skipPreparingRun): every example, and every example
 *   with each AWS pool in a stack of its own (cross-stack references), synthesizes to the same files as with
 *   cdktf's own prepareStack.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Lazy } from 'cdktf';
import { withoutTokenStackTraces } from '../constructs/cdk';
import { synthesizeTerraform } from '../constructs/synth';
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
  "%s synthesizes to the same files without the site stacks' preparing run",
  (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    test.each([
      ['as written', text],
      ['with each AWS pool in a stack of its own', ownStacks(text)],
    ])('%s', (_how, yaml) => {
      const plan = check(yaml).plan!;
      const at = Date.parse('2026-12-01T00:00:00Z');
      const skipped = synthesizeTerraform(plan, { skipValidation: true, at });
      const full = synthesizeTerraform(plan, { skipValidation: true, at, fullPrepare: true });
      expect([...skipped.keys()]).toEqual([...full.keys()]);
      for (const [path, content] of skipped)
        expect({ path, content }).toEqual({ path, content: full.get(path) });
    });
  },
);
