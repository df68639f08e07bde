/**
 * `npm run bench`: cold-process wall time and peak memory of `gigawatt validate`, `synth`, `report` and
 * `inventory` on the fleet examples (10k, 100k, 1M accelerators), the `node -e 0` baseline and
 * `terraform validate` on the synthesized output where terraform exists. Prints medians, ratios and
 * PASS/MISS per target, and writes bench/results.json. Not part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'gigawatt');
const HOOK = join(ROOT, 'bench', 'rss-hook.js');
const RUNS = Number(process.env.GIGAWATT_BENCH_RUNS ?? 5);
const SIZES = ['10k', '100k', '1m'] as const;
const COMMANDS = ['validate', 'synth', 'report', 'inventory'] as const;
type Cmd = (typeof COMMANDS)[number];

interface Sample {
  readonly seconds: number;
  readonly maxRssMiB: number;
  readonly status: number | null;
}
interface Measure {
  readonly medianSeconds: number;
  readonly medianMaxRssMiB: number;
  readonly runs: number;
  readonly ok: boolean;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function runNode(args: string[]): Sample {
  const rssFile = join(tmpdir(), `gigawatt-bench-rss-${process.pid}`);
  rmSync(rssFile, { force: true });
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--require', HOOK, ...args], {
    cwd: ROOT,
    env: { ...process.env, GIGAWATT_BENCH_RSS_FILE: rssFile, NO_COLOR: '1', CI: 'true' },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 26,
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const rss = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) / 1024 : NaN;
  if (r.status !== 0 && r.status !== 1)
    process.stderr.write(`  ! ${args.join(' ')} exited ${r.status}: ${r.stderr.toString().split('\n')[0]}\n`);
  return { seconds, maxRssMiB: rss, status: r.status };
}

function measure(fn: () => Sample, runs = RUNS): Measure {
  fn(); // warm the file cache: "cold" means a new process, not a cold disk
  const samples = Array.from({ length: runs }, fn);
  return {
    medianSeconds: median(samples.map((s) => s.seconds)),
    medianMaxRssMiB: median(samples.map((s) => s.maxRssMiB)),
    runs,
    ok: samples.every((s) => s.status === 0 || s.status === 1),
  };
}

const available = (cmd: Cmd): boolean =>
  spawnSync(process.execPath, [CLI, cmd, '--help'], { cwd: ROOT }).status === 0;

function commandArgs(cmd: Cmd, plan: string, out: string): string[] {
  switch (cmd) {
    case 'validate':
      return [CLI, 'validate', plan];
    case 'report':
      return [CLI, 'report', plan, '--format', 'markdown'];
    case 'synth':
    case 'inventory':
      return [CLI, cmd, plan, '--out', out, '--force'];
  }
}

function terraformValidate(synthDir: string): Measure | undefined {
  const tf = ['/usr/local/bin/terraform', '/usr/bin/terraform'].find(existsSync);
  const mirror = process.env.GIGAWATT_TF_PLUGIN_DIR ?? '/opt/tf-plugins';
  if (!tf || !existsSync(mirror)) return undefined;
  const stacksRoot = join(synthDir, 'terraform', 'stacks');
  if (!existsSync(stacksRoot)) return undefined;
  const stacks = readdirSync(stacksRoot)
    .map((s) => join(stacksRoot, s))
    .filter((d) => statSync(d).isDirectory());
  for (const dir of stacks)
    spawnSync(tf, ['init', '-backend=false', '-input=false', `-plugin-dir=${mirror}`], {
      cwd: dir,
      stdio: 'ignore',
    });
  return measure(
    () => {
      const t0 = process.hrtime.bigint();
      let status: number | null = 0;
      for (const dir of stacks)
        status = spawnSync(tf, ['validate', '-no-color'], { cwd: dir, stdio: 'ignore' }).status || status;
      return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, maxRssMiB: NaN, status };
    },
    Math.min(RUNS, 3),
  );
}

function main(): void {
  const work = mkdtempSync(join(tmpdir(), 'gigawatt-bench-'));
  const results: Record<string, unknown> = {};
  const machine = {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString().slice(0, 10),
  };
  process.stdout.write(
    `gigawatt benchmark: ${RUNS} runs per cell, medians; ${machine.cpus} cores (${machine.cpuModel}), Node ${machine.node}\n\n`,
  );
  const baseline = measure(() => runNode(['-e', '0']));
  const table: Record<string, Record<string, Measure | undefined>> = {};
  let tfValidate: Measure | undefined;
  for (const cmd of COMMANDS) {
    table[cmd] = {};
    if (!available(cmd)) continue;
    for (const size of SIZES) {
      const plan = join(ROOT, 'examples', `fleet-${size}.yaml`);
      if (!existsSync(plan)) continue;
      const out = join(work, `${cmd}-${size}`);
      table[cmd][size] = measure(() => runNode(commandArgs(cmd, plan, out)));
      if (cmd === 'synth' && size === '1m') tfValidate = terraformValidate(out);
    }
  }
  const fmt = (m?: Measure) =>
    m
      ? `${m.medianSeconds.toFixed(3)} s ${Number.isFinite(m.medianMaxRssMiB) ? `${m.medianMaxRssMiB.toFixed(0).padStart(5)} MiB` : ''}`
      : 'n/a';
  process.stdout.write(`${'command'.padEnd(12)}${SIZES.map((s) => s.padStart(22)).join('')}\n`);
  process.stdout.write(`${'node -e 0'.padEnd(12)}${fmt(baseline).padStart(22)}\n`);
  for (const cmd of COMMANDS)
    process.stdout.write(`${cmd.padEnd(12)}${SIZES.map((s) => fmt(table[cmd][s]).padStart(22)).join('')}\n`);
  process.stdout.write(`${'tf validate'.padEnd(12)}${''.padStart(44)}${fmt(tfValidate).padStart(22)}\n\n`);

  const v1m = table.validate['1m'];
  const ratio = (a?: Measure, b?: Measure) => (a && b ? a.medianSeconds / b.medianSeconds : undefined);
  const ratios = {
    validateOverNodeStartup: ratio(v1m, baseline),
    terraformValidateOverValidate: ratio(tfValidate, v1m),
    ...Object.fromEntries(COMMANDS.map((c) => [`${c}1mOver100k`, ratio(table[c]['1m'], table[c]['100k'])])),
  };
  const targets = [
    {
      target: 'validate 1M <= 0.5 s',
      value: v1m?.medianSeconds,
      pass: v1m ? v1m.medianSeconds <= 0.5 : undefined,
    },
    {
      target: 'validate 1M >= 5x faster than terraform validate',
      value: ratios.terraformValidateOverValidate,
      pass:
        ratios.terraformValidateOverValidate !== undefined
          ? ratios.terraformValidateOverValidate >= 5
          : undefined,
    },
    {
      target: 'synth 1M <= 15 s',
      value: table.synth['1m']?.medianSeconds,
      pass: table.synth['1m'] ? table.synth['1m'].medianSeconds <= 15 : undefined,
    },
    {
      target: 'synth 1M peak RSS <= 1 GiB',
      value: table.synth['1m']?.medianMaxRssMiB,
      pass: table.synth['1m'] ? table.synth['1m'].medianMaxRssMiB <= 1024 : undefined,
    },
    ...(['validate', 'report', 'inventory'] as const).map((c) => ({
      target: `${c} 1M / 100k <= 12`,
      value: ratios[`${c}1mOver100k` as keyof typeof ratios],
      pass:
        ratios[`${c}1mOver100k` as keyof typeof ratios] !== undefined
          ? (ratios[`${c}1mOver100k` as keyof typeof ratios] as number) <= 12
          : undefined,
    })),
  ];
  process.stdout.write('ratios\n');
  for (const [k, v] of Object.entries(ratios))
    process.stdout.write(`  ${k.padEnd(32)} ${v === undefined ? 'n/a' : v.toFixed(2)}\n`);
  process.stdout.write('\ntargets\n');
  for (const t of targets)
    process.stdout.write(
      `  ${t.pass === undefined ? 'N/A ' : t.pass ? 'PASS' : 'MISS'}  ${t.target.padEnd(50)} ${t.value === undefined ? '' : t.value.toFixed(3)}\n`,
    );
  Object.assign(results, {
    machine,
    runs: RUNS,
    baseline,
    commands: table,
    terraformValidate1m: tfValidate,
    ratios,
    targets,
  });
  writeFileSync(join(ROOT, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(`\nwrote bench/results.json\n`);
  rmSync(work, { recursive: true, force: true });
}

main();
