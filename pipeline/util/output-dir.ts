/**
 * Atomic output directories. Every command that writes files (synth, inventory, report) builds the whole
 * tree in a temporary sibling directory and renames it into place, so a failure or a kill mid-write leaves
 * the previous output intact. A manifest records the files gigawatt wrote; files it did not write are
 * carried over untouched, and a non-empty directory gigawatt did not create is never replaced.
 *
 * The output directory may be committed by whoever wrote the pull request, so nothing in it is trusted:
 * - the directory itself must not be a symlink, and nothing in it is followed: only regular files with a
 *   single link are carried over (with their modes); a symlink, FIFO, socket, device or hard link stops the
 *   run before anything is read or written;
 * - a manifest counts only when it names the directory it sits in (device and inode), which a manifest
 *   copied or committed from elsewhere cannot do, and when it was written by the same command;
 * - what `terraform init` / `apply` wrote into a stack directory (`.terraform/`, the lock file, local
 *   state) is not gigawatt's: it is moved across by rename, never read, followed or copied, and only in a
 *   directory gigawatt wrote (with its manifest) and only when it is what Terraform makes (a directory,
 *   single-link regular files), never a symlink;
 * - a run killed between the two renames of the swap leaves `.<name>.old-*` beside a missing output; the
 *   next run puts it back before doing anything else.
 */
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { GigawattError } from './errors';

export const MANIFEST = '.gigawatt-manifest.json';

/** The largest manifest read (bytes); gigawatt's own manifests for a 1M-accelerator fleet are far smaller. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

interface Manifest {
  readonly generator: 'gigawatt';
  /** The command that wrote the directory (synth, inventory, report, start). */
  readonly command: string;
  /** The directory the manifest was written into: a manifest from anywhere else is foreign. */
  readonly dir: { readonly dev: number; readonly ino: number };
  readonly files: string[];
}

export interface OutputOptions {
  /** The command writing; a directory written by another command is refused (they would delete each other's files). */
  readonly command?: string;
}

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK } = constants;

function kindOf(st: Stats): string {
  if (st.isSymbolicLink()) return 'a symlink';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isBlockDevice() || st.isCharacterDevice()) return 'a device';
  if (st.isFile() && st.nlink > 1) return 'a hard link';
  return 'not a regular file';
}

const unsafe = (dir: string, path: string, what: string): GigawattError =>
  new GigawattError(
    'GW-E-OUTPUT',
    `${dir}: ${JSON.stringify(path)} is ${what}; gigawatt carries over only regular files and never follows links. Remove it or choose an empty --out directory.`,
  );

/** Entries Terraform writes beside a configuration: provider cache, lock file, local state and its lock. */
export const isTerraformOwned = (name: string): boolean =>
  name === '.terraform' ||
  name === '.terraform.lock.hcl' ||
  name === '.terraform.tfstate.lock.info' ||
  /^terraform(\.[\w.-]+)?\.tfstate(\.backup)?$/.test(name);

/**
 * Every entry under `root`, by lstat: directories are walked, anything but a single-link regular file is
 * refused. Terraform-owned entries go to `terraform` instead (not descended into, moved by rename).
 */
function listFiles(dir: string, root: string, terraform: string[] = [], base = root): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const full = join(root, entry.name);
    const rel = relative(base, full).split(sep).join('/');
    if (isTerraformOwned(entry.name)) {
      // Moved, never read; still only what Terraform makes: a real `.terraform/` directory, single-link
      // regular lock and state files. A symlink here would land in the new output (and in an uploaded
      // artifact of it) pointing wherever the pull request chose.
      const st = lstatSync(full);
      const real = entry.name === '.terraform' ? st.isDirectory() : st.isFile() && st.nlink === 1;
      if (!real) throw unsafe(dir, rel, st.isDirectory() ? 'a directory' : kindOf(st));
      terraform.push(rel);
    } else if (entry.isDirectory()) out.push(...listFiles(dir, full, terraform, base));
    else {
      const st = lstatSync(full);
      if (!st.isFile() || st.nlink > 1) throw unsafe(dir, rel, kindOf(st));
      out.push(rel);
    }
  }
  return out.sort();
}

/** Open a file for reading without following a symlink or blocking on a FIFO; it must be a single-link regular file. */
function openRegular(dir: string, path: string, rel: string): { fd: number; st: Stats } {
  const fd = openSync(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  const st = fstatSync(fd);
  if (!st.isFile() || st.nlink > 1) {
    closeSync(fd);
    throw unsafe(dir, rel, kindOf(st));
  }
  return { fd, st };
}

function readManifest(dir: string, target: string, self: Stats): Manifest | undefined {
  let fd: number;
  try {
    ({ fd } = openRegular(dir, join(target, MANIFEST), MANIFEST));
  } catch {
    return undefined;
  }
  try {
    if (fstatSync(fd).size > MAX_MANIFEST_BYTES) return undefined;
    const m = JSON.parse(readFileSync(fd, 'utf8')) as Partial<Manifest>;
    const ok =
      m.generator === 'gigawatt' &&
      Array.isArray(m.files) &&
      m.files.every((f) => typeof f === 'string') &&
      typeof m.command === 'string' &&
      m.dir?.dev === self.dev &&
      m.dir?.ino === self.ino;
    return ok ? (m as Manifest) : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function writeNew(path: string, content: string | Buffer, mode = 0o644): void {
  const fd = openSync(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode);
  try {
    const data = typeof content === 'string' ? Buffer.from(content) : content;
    for (let off = 0; off < data.length;) off += writeSync(fd, data, off, data.length - off);
    fchmodSync(fd, mode);
  } finally {
    closeSync(fd);
  }
}

const lstatOrUndefined = (path: string): Stats | undefined => {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
};

/**
 * Recovery after a kill between the two renames of the swap: the output is missing and the previous one
 * sits beside it as `.<name>.old-<pid>-<time>`. Put the newest back so the run starts from it.
 */
function recover(parent: string, name: string, target: string): void {
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  const prefix = `.${name}.old-`;
  const olds = entries
    .filter((e) => e.startsWith(prefix))
    .filter((e) => lstatSync(join(parent, e)).isDirectory())
    .sort((a, b) => Number(b.split('-').pop()) - Number(a.split('-').pop()));
  if (olds.length && !lstatOrUndefined(target)) renameSync(join(parent, olds[0]), target);
  for (const stale of olds.slice(1)) rmSync(join(parent, stale), { recursive: true, force: true });
}

/**
 * Write `files` (relative path → content) as the complete content of `dir`, atomically.
 * Throws GigawattError (exit 2) when `dir` is a non-empty directory gigawatt did not create, holds another
 * command's output, is a symlink, or holds anything but regular files.
 */
export function writeOutputTree(
  dir: string,
  files: ReadonlyMap<string, string | Buffer>,
  options: OutputOptions = {},
): void {
  const command = options.command ?? 'synth';
  const target = resolve(dir);
  const parent = dirname(target);
  const name = basename(target);
  for (const path of files.keys())
    if (path.startsWith('/') || path.split('/').includes('..') || path === MANIFEST)
      throw new Error(`invalid output path ${path}`);

  try {
    recover(parent, name, target);
  } catch (err) {
    throw new GigawattError(
      'GW-E-OUTPUT',
      `${dir}: cannot restore the previous output left by an interrupted run (${(err as Error).message}).`,
    );
  }
  const self = lstatOrUndefined(target);
  if (self?.isSymbolicLink())
    throw new GigawattError(
      'GW-E-OUTPUT',
      `${dir}: is a symlink; gigawatt never writes through one. Pass the real directory as --out.`,
    );
  if (self && !self.isDirectory())
    throw new GigawattError('GW-E-OUTPUT', `${dir}: exists and is not a directory.`);
  const previous = self ? readManifest(dir, target, self) : undefined;
  const terraform: string[] = [];
  const current = self ? listFiles(dir, target, terraform) : [];
  const foreign = current.filter((f) => f !== MANIFEST);
  // Terraform's entries count as foreign too: only a directory gigawatt wrote here can have had
  // `terraform init` run in it.
  if (self && !previous && (foreign.length > 0 || terraform.length > 0))
    throw new GigawattError(
      'GW-E-OUTPUT',
      `${dir}: directory is not empty and was not written by gigawatt here (a manifest copied or committed from elsewhere does not count); choose an empty or new --out directory.`,
    );
  if (previous && previous.command !== command)
    throw new GigawattError(
      'GW-E-OUTPUT',
      `${dir}: holds the output of 'gigawatt ${previous.command}'; writing '${command}' there would delete it. Choose another --out directory.`,
    );

  mkdirSync(parent, { recursive: true });
  const stamp = `${process.pid}-${Date.now()}`;
  let staging: string | undefined;
  const old = join(parent, `.${name}.old-${stamp}`);
  const moved: string[] = [];
  try {
    staging = mkdtempSync(join(parent, `.${name}.tmp-${stamp}-`));
    const made = new Set<string>();
    const ensureDir = (full: string) => {
      const d = dirname(full);
      if (made.has(d)) return;
      mkdirSync(d, { recursive: true });
      made.add(d);
    };
    for (const [path, content] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const full = join(staging, path);
      ensureDir(full);
      writeNew(full, content);
    }
    // Carry over files that gigawatt did not write (a user's notes, a .gitkeep), unless overwritten,
    // with their modes; nothing is followed and nothing but a regular file is read.
    const ours = new Set(previous?.files ?? []);
    for (const path of current) {
      if (path === MANIFEST || ours.has(path) || files.has(path)) continue;
      const { fd, st } = openRegular(dir, join(target, path), path);
      let content: Buffer;
      try {
        content = readFileSync(fd);
      } finally {
        closeSync(fd);
      }
      const full = join(staging, path);
      ensureDir(full);
      writeNew(full, content, st.mode & 0o7777);
    }
    // Terraform's own entries move by rename (same file system: staging is a sibling), links unfollowed.
    for (const path of terraform) {
      if (files.has(path)) continue;
      mkdirSync(dirname(join(staging, path)), { recursive: true });
      renameSync(join(target, path), join(staging, path));
      moved.push(path);
    }
    const stagingStat = lstatSync(staging);
    const manifest: Manifest = {
      generator: 'gigawatt',
      command,
      dir: { dev: stagingStat.dev, ino: stagingStat.ino },
      files: [...files.keys()].sort(),
    };
    writeNew(join(staging, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
    if (self) {
      renameSync(target, old);
      renameSync(staging, target);
      rmSync(old, { recursive: true, force: true });
    } else renameSync(staging, target);
  } catch (err) {
    // Put Terraform's entries back beside the previous output (in `old` if the swap stopped half-way).
    const home = lstatOrUndefined(target) ? target : old;
    for (const path of moved) {
      mkdirSync(dirname(join(home, path)), { recursive: true });
      renameSync(join(staging!, path), join(home, path));
    }
    if (staging) rmSync(staging, { recursive: true, force: true });
    if (err instanceof GigawattError) throw err;
    throw new GigawattError('GW-E-OUTPUT', `${dir}: cannot write output (${(err as Error).message}).`);
  }
}
