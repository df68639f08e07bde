/**
 * Atomic output directories. Every command that writes files (synth, inventory, report) builds the whole
 * tree in a temporary sibling directory and renames it into place, so a failure or a kill mid-write leaves
 * the previous output intact. A manifest records the files gigawatt wrote; files it did not write are
 * carried over untouched, and a non-empty directory gigawatt did not create is never replaced.
 * What `terraform init` / `apply` wrote into a stack directory (`.terraform/`, the lock file, local state)
 * is not gigawatt's: it is moved across by rename, never read, followed or copied.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { GigawattError } from './errors';

export const MANIFEST = '.gigawatt-manifest.json';

interface Manifest {
  readonly generator: 'gigawatt';
  readonly files: string[];
}

/** Entries Terraform writes beside a configuration: provider cache, lock file, local state and its lock. */
export const isTerraformOwned = (name: string): boolean =>
  name === '.terraform' ||
  name === '.terraform.lock.hcl' ||
  name === '.terraform.tfstate.lock.info' ||
  /^terraform(\.[\w.-]+)?\.tfstate(\.backup)?$/.test(name);

/** Files under `root`; Terraform-owned entries go to `terraform` instead (not descended into). */
function listFiles(root: string, terraform: string[] = [], base = root): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const full = join(root, entry.name);
    const rel = relative(base, full).split(sep).join('/');
    if (isTerraformOwned(entry.name)) terraform.push(rel);
    else if (entry.isDirectory()) out.push(...listFiles(full, terraform, base));
    else out.push(rel);
  }
  return out.sort();
}

function readManifest(dir: string): Manifest | undefined {
  try {
    const m = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as Manifest;
    return m.generator === 'gigawatt' && Array.isArray(m.files) ? m : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Write `files` (relative path → content) as the complete content of `dir`, atomically.
 * Throws GigawattError (exit 2) when `dir` is a non-empty directory gigawatt did not create.
 */
export function writeOutputTree(dir: string, files: ReadonlyMap<string, string | Buffer>): void {
  const target = resolve(dir);
  const exists = existsSync(target);
  if (exists && !statSync(target).isDirectory())
    throw new GigawattError('GW-E-OUTPUT', `${dir}: exists and is not a directory.`);
  const previous = exists ? readManifest(target) : undefined;
  const terraform: string[] = [];
  const current = exists ? listFiles(target, terraform) : [];
  if (exists && !previous && current.length > 0)
    throw new GigawattError(
      'GW-E-OUTPUT',
      `${dir}: directory is not empty and was not written by gigawatt; choose an empty or new --out directory.`,
    );

  for (const path of files.keys())
    if (path.startsWith('/') || path.split('/').includes('..') || path === MANIFEST)
      throw new Error(`invalid output path ${path}`);

  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const stamp = `${process.pid}-${Date.now()}`;
  const staging = join(parent, `.${relative(parent, target)}.tmp-${stamp}`);
  const old = join(parent, `.${relative(parent, target)}.old-${stamp}`);
  const moved: string[] = [];
  try {
    mkdirSync(staging, { recursive: true });
    for (const [path, content] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const full = join(staging, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
    // Carry over files that gigawatt did not write (a user's notes, a .gitkeep), unless overwritten.
    const ours = new Set(previous?.files ?? []);
    for (const path of current) {
      if (path === MANIFEST || ours.has(path) || files.has(path)) continue;
      const full = join(staging, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, readFileSync(join(target, path)));
    }
    // Terraform's own entries move by rename (same file system: staging is a sibling), links unfollowed.
    for (const path of terraform) {
      if (files.has(path)) continue;
      mkdirSync(dirname(join(staging, path)), { recursive: true });
      renameSync(join(target, path), join(staging, path));
      moved.push(path);
    }
    const manifest: Manifest = { generator: 'gigawatt', files: [...files.keys()].sort() };
    writeFileSync(join(staging, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
    if (exists) {
      renameSync(target, old);
      renameSync(staging, target);
      rmSync(old, { recursive: true, force: true });
    } else renameSync(staging, target);
  } catch (err) {
    // Put Terraform's entries back beside the previous output (in `old` if the swap stopped half-way).
    const home = existsSync(target) ? target : old;
    for (const path of moved) {
      mkdirSync(dirname(join(home, path)), { recursive: true });
      renameSync(join(staging, path), join(home, path));
    }
    rmSync(staging, { recursive: true, force: true });
    if (err instanceof GigawattError) throw err;
    throw new GigawattError('GW-E-OUTPUT', `${dir}: cannot write output (${(err as Error).message}).`);
  }
}
