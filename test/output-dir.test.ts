/** Outputs are written atomically: a failure or a kill leaves the previous output whole; foreign files survive. */
import { spawn } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { MANIFEST, writeOutputTree } from '../pipeline/util/output-dir';
import { BEFORE_BLOCKS, CLI, ROOT, runCli, tempDir } from './helpers';

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
  const synth1m = () => {
    const child = spawn(
      process.execPath,
      [CLI, 'synth', 'examples/fleet-1m.yaml', '--at', BEFORE_BLOCKS, '--out', out],
      {
        cwd: ROOT,
        stdio: 'ignore',
      },
    );
    // Listen from the start: a synth that ends before the kill must not leave the test waiting.
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    return { child, exited };
  };
  // The kill points are fractions of how long a whole synth takes on this machine, so they land
  // inside the write on a fast machine and a slow one alike.
  const started = Date.now();
  const probe = synth1m();
  await probe.exited;
  const whole = Date.now() - started;
  expect(probe.child.exitCode).toBe(0);
  // The manifest records the output directory's inode, so it is compared on its file list alone.
  const fresh = tree(out);
  delete fresh[MANIFEST];
  expect(runCli(['synth', 'examples/fleet-10k.yaml', '--at', BEFORE_BLOCKS, '--out', out]).status).toBe(0);
  const old = tree(out);

  for (const fraction of [0.3, 0.5, 0.65, 0.75, 0.85, 0.92, 0.97]) {
    const { child, exited } = synth1m();
    await new Promise((r) => setTimeout(r, Math.round(whole * fraction)));
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(out)).toBe(true);
    const now = tree(out);
    if (JSON.stringify(now) === JSON.stringify(old)) continue;
    // Otherwise the new output is there whole: exactly the files of an uninterrupted synth.
    const { [MANIFEST]: manifest, ...files } = now;
    expect(files).toEqual(fresh);
    expect((JSON.parse(manifest) as { files: string[] }).files.sort()).toEqual(Object.keys(fresh).sort());
    break;
  }
  // A kill can leave an unfinished staging directory beside the output, never a half-replaced output.
  expect(readdirSync(join(out, '..')).filter((e) => e.includes('.old-'))).toEqual([]);
}, 180_000);

describe('re-synth into a directory where terraform init ran', () => {
  test("Terraform's .terraform/, lock file and state stay in place, links unfollowed and files not copied", () => {
    const base = tempDir();
    const dir = join(base, 'out');
    const r1 = runCli(['synth', join(ROOT, 'examples', 'p5-efa.yaml'), '--out', dir]);
    expect(r1.status).toBe(0);
    const stacks = join(dir, 'terraform', 'stacks');
    const stack = join(stacks, readdirSync(stacks).filter((s) => statSync(join(stacks, s)).isDirectory())[0]);
    // What `terraform init -plugin-dir=<mirror>` and `apply` leave: a provider symlink into a mirror
    // (a directory: reading it as a file fails with EISDIR), a lock file, local state.
    const mirror = join(base, 'mirror', 'provider');
    mkdirSync(mirror, { recursive: true });
    writeFileSync(join(mirror, 'terraform-provider-aws'), 'binary');
    mkdirSync(join(stack, '.terraform', 'providers'), { recursive: true });
    symlinkSync(mirror, join(stack, '.terraform', 'providers', 'aws'));
    writeFileSync(join(stack, '.terraform.lock.hcl'), 'lock');
    writeFileSync(join(stack, 'terraform.tfstate'), '{"serial": 3}');
    const inode = (p: string) => lstatSync(p).ino;
    const before = [inode(join(stack, '.terraform')), inode(join(stack, '.terraform.lock.hcl'))];

    const r2 = runCli(['synth', join(ROOT, 'examples', 'p5-efa.yaml'), '--out', dir]);
    expect(r2.stderr).toBe('');
    expect(r2.status).toBe(0);
    const link = join(stack, '.terraform', 'providers', 'aws');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(mirror);
    expect(readFileSync(join(stack, '.terraform.lock.hcl'), 'utf8')).toBe('lock');
    expect(readFileSync(join(stack, 'terraform.tfstate'), 'utf8')).toBe('{"serial": 3}');
    // Moved by rename, not copied: the same inodes.
    expect([inode(join(stack, '.terraform')), inode(join(stack, '.terraform.lock.hcl'))]).toEqual(before);
    // Not listed as gigawatt's files.
    expect(readFileSync(join(dir, MANIFEST), 'utf8')).not.toMatch(/\.terraform|tfstate/);
  });
});
