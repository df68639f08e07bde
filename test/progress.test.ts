import { progress } from '../pipeline/util/progress';

const fakeStream = (isTTY: boolean) => {
  const chunks: string[] = [];
  const stream = {
    isTTY,
    columns: 80,
    write: (c: string) => (chunks.push(String(c)), true),
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
    on: () => stream,
    removeListener: () => stream,
  };
  return { stream: stream as unknown as NodeJS.WriteStream, chunks };
};

describe('progress output', () => {
  const ci = process.env.CI;
  afterEach(() => (ci === undefined ? delete process.env.CI : (process.env.CI = ci)));

  test('draws a bar on a terminal outside CI', () => {
    delete process.env.CI;
    const { stream, chunks } = fakeStream(true);
    const p = progress(2, stream);
    p.step('Terraform stacks');
    p.done();
    expect(chunks.join('')).toContain('Terraform stacks');
  });
  test.each([
    ['not a terminal', false, undefined],
    ['in CI', true, 'true'],
  ])('is silent when %s', (_n, tty, ciValue) => {
    if (ciValue) process.env.CI = ciValue;
    else delete process.env.CI;
    const { stream, chunks } = fakeStream(tty as boolean);
    const p = progress(2, stream);
    p.step('x');
    p.done();
    expect(chunks).toEqual([]);
  });
});
