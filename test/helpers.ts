/** Shared test helpers: run the built CLI as a process, validate plan text, find example files. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { validateText, type ValidationResult } from '../pipeline/run';

export const ROOT = resolve(__dirname, '..');
export const CLI = join(ROOT, 'bin', 'gigawatt');

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Spawn the installed CLI entry (bin/gigawatt → dist/), as a user would. */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; input?: string } = {},
): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    input: options.input,
    encoding: 'utf8',
    timeout: 120000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const exampleFiles = (): string[] =>
  readdirSync(join(ROOT, 'examples'))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join('examples', f));

/**
 * An instant before every Capacity Block of the examples and tests (the first starts 2027-01-04T11:30Z).
 * `synth` and `diff` size Capacity Block pools for `--at`, default now (before the block: size 0 and two
 * scheduled actions; after it: size 0 and none), so a test that synthesizes or diffs one passes
 * `--at BEFORE_BLOCKS` and sees the same Terraform whatever day it runs.
 */
export const BEFORE_BLOCKS = '2026-12-01T00:00:00Z';

/** The UTC date (YYYY-MM-DD) `days` days from the moment of the call. */
export const daysFromNow = (days: number): string =>
  new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);

export const tempDir = (prefix = 'gigawatt-test-'): string => mkdtempSync(join(tmpdir(), prefix));

/** Validate YAML text with a fixed "now" so waiver expiry is deterministic. */
export const check = (yaml: string, now = new Date('2026-11-22T00:00:00Z')): ValidationResult =>
  validateText(yaml, 'plan.yaml', { now });

/** Rule ids of unwaived diagnostics at error severity. */
export const errorIds = (r: ValidationResult): string[] =>
  [...new Set(r.diagnostics.filter((d) => d.severity === 'error' && !d.waiver).map((d) => d.rule))].sort();
export const allIds = (r: ValidationResult): string[] =>
  [...new Set(r.diagnostics.map((d) => d.rule))].sort();

/** Plan text with `stack: own` on every pool of an AWS site (each pool in a stack of its own). */
export function ownStacks(text: string): string {
  const plan = parseYaml(text) as {
    sites: { name: string; provider: string }[];
    pools: Record<string, unknown>[];
  };
  const aws = new Set(plan.sites.filter((s) => s.provider === 'aws').map((s) => s.name));
  for (const pool of plan.pools) if (aws.has(pool.site as string)) pool.stack = 'own';
  return stringifyYaml(plan);
}
