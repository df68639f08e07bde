/**
 * gigawatt's synth switches off cdktf's per-token stack traces (constructs/cdk.ts withoutTokenStackTraces):
 * the switch must reach the tokens cdktf creates, and must be undone afterwards.
 */
import { Lazy } from 'cdktf';
import { withoutTokenStackTraces } from '../constructs/cdk';

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
