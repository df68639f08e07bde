/** Outputs are written atomically: a failure or a kill leaves the previous output whole; foreign files survive. */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MANIFEST, writeOutputTree } from '../lib/util/output-dir';
import { CLI, ROOT, runCli, tempDir } from './helpers';

const tree = (dir: string): Record<string, string> => {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
};

describe('writeOutputTree', () => {
  test('replaces its own files, keeps files it did not write, records a manifest', () => {
    const dir = join(tempDir(), 'out');
    writeOutputTree(
      dir,
      new Map([
        ['a/one.txt', '1'],
        ['two.txt', '2'],
      ]),
    );
    writeFileSync(join(dir, 'NOTES.md'), 'mine');
    writeOutputTree(dir, new Map([['a/one.txt', '1b']]));
    expect(tree(dir)).toEqual({
      'a/one.txt': '1b',
      'NOTES.md': 'mine',
      [MANIFEST]: expect.stringContaining('"a/one.txt"'),
    });
  });
  test('refuses a non-empty directory it did not create, and changes nothing', () => {
    const dir = join(tempDir(), 'foreign');
    mkdirSync(dir);
    writeFileSync(join(dir, 'important.tf'), 'x');
    expect(() => writeOutputTree(dir, new Map([['a.txt', 'a']]))).toThrow(
      /not empty and was not written by gigawatt/,
    );
    expect(tree(dir)).toEqual({ 'important.tf': 'x' });
  });
  test('a failure while writing leaves the previous output intact', () => {
    const dir = join(tempDir(), 'out');
    writeOutputTree(dir, new Map([['keep.txt', 'old']]));
    const before = tree(dir);
    expect(() =>
      writeOutputTree(
        dir,
        new Map([
          ['ok.txt', 'new'],
          ['bad/../../escape.txt', 'x'],
        ]),
      ),
    ).toThrow();
    expect(tree(dir)).toEqual(before);
  });
});

test('killing synth mid-write leaves either the old or the new output, never a mix', async () => {
  const out = join(tempDir(), 'out');
  expect(runCli(['synth', 'examples/fleet-10k.yaml', '--out', out]).status).toBe(0);
  const old = tree(out);
  for (const delay of [50, 150, 300, 450, 600, 800, 1100]) {
    const child = spawn(process.execPath, [CLI, 'synth', 'examples/fleet-1m.yaml', '--out', out], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    await new Promise((r) => setTimeout(r, delay));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    expect(existsSync(out)).toBe(true);
    const now = tree(out);
    if (JSON.stringify(now) === JSON.stringify(old)) continue;
    // The new output is complete: every file the manifest lists is there.
    const manifest = JSON.parse(now[MANIFEST]) as { files: string[] };
    expect(manifest.files.every((f) => f in now)).toBe(true);
    expect(Object.keys(now).every((f) => f === MANIFEST || manifest.files.includes(f))).toBe(true);
    expect(existsSync(join(out, 'terraform/stacks/mine-10/cdk.tf.json'))).toBe(true);
    break;
  }
  // A kill can leave an unfinished staging directory beside the output, never a half-replaced output.
  expect(readdirSync(join(out, '..')).filter((e) => e.includes('.old-'))).toEqual([]);
});
