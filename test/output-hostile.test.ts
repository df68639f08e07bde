/**
 * Hostile output directories: a pull request can commit anything under the --out path. gigawatt never
 * follows a symlink or reads a special file there, never trusts a manifest it did not write in this
 * directory, keeps the modes of files it carries over, and recovers from a kill inside the swap.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { MANIFEST } from '../pipeline/util/output-dir';
import { runCli, tempDir } from './helpers';

const PLAN = 'examples/mining-site-dgx.yaml';
const SECRET = 'token=ghs_SECRET_CI_TOKEN\n';

/** A checkout with a secret beside the output directory, as in CI (.git/config holds the token). */
function checkout(): { root: string; secret: string } {
  const root = tempDir('gigawatt-out-hostile-');
  mkdirSync(join(root, '.git'));
  const secret = join(root, '.git', 'config');
  writeFileSync(secret, SECRET);
  return { root, secret };
}

const inventory = (out: string) => runCli(['inventory', PLAN, '--out', out]);
const listing = (dir: string): string[] => readdirSync(dir).sort();

describe('output directory from a pull request', () => {
  test('a committed manifest with a symlink to .git/config: refused, the token is never copied', () => {
    const { root } = checkout();
    const out = join(root, 'gigawatt.inventory');
    // A real manifest, copied as a contributor would commit it.
    const real = join(tempDir(), 'real');
    expect(inventory(real).status).toBe(0);
    cpSync(real, out, { recursive: true });
    symlinkSync('../.git/config', join(out, 'README'));
    const r = inventory(out);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('"README" is a symlink');
    expect(r.stderr + r.stdout).not.toContain('SECRET');
    expect(readlinkSync(join(out, 'README'))).toBe('../.git/config');
    // Nothing staged or swapped beside it.
    expect(listing(root)).toEqual(['.git', 'gigawatt.inventory']);
  });

  test('Terraform-named entries committed by the PR are never carried into the output', () => {
    const synth = (out: string) => runCli(['synth', 'examples/p5-efa.yaml', '--out', out]);
    const stackOf = (out: string) => join(out, 'terraform', 'stacks', 'virginia');
    // A fresh checkout holding only names Terraform writes (which are moved, not read): foreign all the same.
    const { root } = checkout();
    const out = join(root, 'gigawatt.out');
    mkdirSync(stackOf(out), { recursive: true });
    writeFileSync(join(stackOf(out), '.terraform.lock.hcl'), 'lock');
    const r = synth(out);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('was not written by gigawatt here');
    symlinkSync('../../../../.git/config', join(stackOf(out), 'terraform.tfstate'));
    const link = synth(out);
    expect(link.status).toBe(2);
    expect(link.stderr).toContain('"terraform/stacks/virginia/terraform.tfstate" is a symlink');
    expect(link.stderr + link.stdout).not.toContain('SECRET');
    expect(listing(out)).toEqual(['terraform']);
    expect(listing(root)).toEqual(['.git', 'gigawatt.out']);
    // In gigawatt's own output, a symlink or hard link under a Terraform name is refused, never moved.
    const own = join(tempDir(), 'own');
    expect(synth(own).status).toBe(0);
    for (const [name, make] of [
      ['.terraform.lock.hcl', (p: string) => symlinkSync(join(root, '.git', 'config'), p)],
      ['.terraform', (p: string) => symlinkSync(join(root, '.git'), p)],
      ['terraform.tfstate', (p: string) => linkSync(join(root, '.git', 'config'), p)],
    ] as const) {
      const path = join(stackOf(own), name);
      make(path);
      const again = synth(own);
      expect(again.status).toBe(2);
      expect(again.stderr).toContain(`"terraform/stacks/virginia/${name}" is a`);
      expect(again.stderr + again.stdout).not.toContain('SECRET');
      execFileSync('rm', [path]);
    }
    expect(synth(own).status).toBe(0);
  });

  test('a committed manifest alone does not make a foreign directory gigawatt-owned', () => {
    const { root } = checkout();
    const out = join(root, 'gigawatt.inventory');
    const real = join(tempDir(), 'real');
    expect(inventory(real).status).toBe(0);
    cpSync(real, out, { recursive: true });
    writeFileSync(join(out, 'inventory', 'racks.csv'), 'theirs');
    const r = inventory(out);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('not written by gigawatt here');
    expect(readFileSync(join(out, 'inventory', 'racks.csv'), 'utf8')).toBe('theirs');
  });

  test.each([
    [
      'a symlink to a secret',
      (d: string, secret: string) => symlinkSync(secret, join(d, 'notes.txt')),
      'a symlink',
    ],
    ['a symlink to /dev/zero', (d: string) => symlinkSync('/dev/zero', join(d, 'zero')), 'a symlink'],
    [
      'a symlink to /proc/self/environ',
      (d: string) => symlinkSync('/proc/self/environ', join(d, 'env')),
      'a symlink',
    ],
    ['a symlink to a directory', (d: string) => symlinkSync('/etc', join(d, 'etc')), 'a symlink'],
    ['a FIFO', (d: string) => execFileSync('mkfifo', [join(d, 'pipe')]), 'a FIFO'],
    [
      'a hard link to a secret',
      (d: string, secret: string) => linkSync(secret, join(d, 'linked')),
      'a hard link',
    ],
  ])(
    '%s added to gigawatt’s own output: refused before anything is read, output unchanged',
    (_name, plant, what) => {
      const { root, secret } = checkout();
      const out = join(root, 'out');
      expect(inventory(out).status).toBe(0);
      const before = readFileSync(join(out, MANIFEST), 'utf8');
      plant(out, secret);
      const started = Date.now();
      const r = inventory(out);
      expect(Date.now() - started).toBeLessThan(20000); // a FIFO must not hang the run
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`is ${what}`);
      expect(r.stderr + r.stdout).not.toContain('SECRET');
      expect(readFileSync(join(out, MANIFEST), 'utf8')).toBe(before);
      expect(listing(root)).toEqual(['.git', 'out']);
    },
  );

  test('the output directory itself a symlink: refused, its target untouched', () => {
    const { root } = checkout();
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(root, 'out'));
    const r = inventory(join(root, 'out'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is a symlink');
    expect(listing(elsewhere)).toEqual([]);
    expect(lstatSync(join(root, 'out')).isSymbolicLink()).toBe(true);
  });
});

describe('carry-over and commands', () => {
  test('carried-over files keep their modes', () => {
    const out = join(tempDir(), 'out');
    expect(inventory(out).status).toBe(0);
    writeFileSync(join(out, 'private.key'), 'k', { mode: 0o600 });
    writeFileSync(join(out, 'run.sh'), '#!/bin/sh\n', { mode: 0o750 });
    expect(inventory(out).status).toBe(0);
    expect(statSync(join(out, 'private.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(out, 'run.sh')).mode & 0o777).toBe(0o750);
    expect(readFileSync(join(out, 'private.key'), 'utf8')).toBe('k');
  });

  test('inventory no longer shares synth’s default output directory', () => {
    const cwd = tempDir();
    const plan = join(process.cwd(), PLAN);
    expect(runCli(['synth', plan], { cwd }).status).toBe(0);
    const r = runCli(['inventory', plan], { cwd });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('gigawatt.inventory/');
    expect(existsSync(join(cwd, 'gigawatt.out', 'terraform'))).toBe(true);
    expect(existsSync(join(cwd, 'gigawatt.inventory', 'inventory', 'racks.csv'))).toBe(true);
  });

  test('one command refuses to overwrite another command’s output', () => {
    const out = join(tempDir(), 'out');
    expect(inventory(out).status).toBe(0);
    const r = runCli(['report', PLAN, '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("holds the output of 'gigawatt inventory'");
    expect(existsSync(join(out, 'inventory', 'racks.csv'))).toBe(true);
  });

  test('a kill between the two renames of the swap is recovered on the next run', () => {
    const parent = tempDir();
    const out = join(parent, 'out');
    expect(inventory(out).status).toBe(0);
    writeFileSync(join(out, 'NOTES.md'), 'mine');
    // What a kill right after the first rename leaves: no output, the previous one beside it.
    renameSync(out, join(parent, `.out.old-12345-${Date.now()}`));
    expect(existsSync(out)).toBe(false);
    const r = inventory(out);
    expect(r.status).toBe(0);
    expect(readFileSync(join(out, 'NOTES.md'), 'utf8')).toBe('mine');
    expect(listing(parent)).toEqual(['out']);
  });
});
