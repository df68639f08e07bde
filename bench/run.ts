/**
 * `npm run bench`: cold-process wall time and peak memory of `gigawatt validate`, `synth`, `report` and
 * `inventory` on the fleet examples (10k, 100k, 1M accelerators) and on generated many-pool plans (1M
 * accelerators as 500 and 5,000 pools over 100 sites; 5,000 is the schema's limit), the `node -e 0` baseline and `terraform
 * validate` on the synthesized 1M output where terraform exists. Not part of `npm test`.
 *
 * Honest by construction: runs are interleaved (round r runs every cell once, so a drift of the machine's
 * speed hits every cell alike) and ratios are the median of per-round ratios; every run's exit status is
 * checked, and a cell with a failed or killed run is reported as FAILED and its targets as MISS, never as
 * a timing; `terraform init` must succeed in every stack before `terraform validate` is timed; the load
 * average before and after is printed and stored, and a loaded machine is said to be one.
 *
 * Environment: GIGAWATT_BENCH_RUNS (rounds, default 5), GIGAWATT_BENCH_SYNTH_RUNS (rounds for synth of the
 * many-pool plans, default 3), GIGAWATT_BENCH_ONLY (comma-separated plan labels to measure, e.g.
 * `1m,1m-5000p`). `--readme` rewrites the table between the bench markers in README.md.
 *
 * `--hostile` measures only the hostile plans of bench/hostile.ts instead (GIGAWATT_BENCH_RUNS rounds,
 * default 3), against the targets of an untrusted plan: validate within 1 s per MB of plan (at least 1 s:
 * a cold process alone takes a few tenths) and at most 2 GiB peak RSS for every command. It prints its
 * table and exits 1 on a miss; it writes no file. `--help` lists the modes.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HOSTILE_CASES } from './hostile';
import { MANY_POOL_PLANS, manyPoolPlan } from './many-pools';
import { PHASES, phasedPlan } from './phased';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'gigawatt');
const HOOK = join(ROOT, 'bench', 'rss-hook.js');
const RUNS = Number(process.env.GIGAWATT_BENCH_RUNS ?? 5);
const SYNTH_RUNS = Number(process.env.GIGAWATT_BENCH_SYNTH_RUNS ?? 3);
const ONLY = process.env.GIGAWATT_BENCH_ONLY?.split(',').filter(Boolean);
const COMMANDS = ['validate', 'synth', 'report', 'inventory'] as const;
type Cmd = (typeof COMMANDS)[number];

/** Plans by label: the checked-in examples and the generated many-pool plans. */
const EXAMPLES = ['10k', '100k', '1m'] as const;
const GENERATED = Object.keys(MANY_POOL_PLANS);
/** The 1M example over time: judged at every phase date (validate and report only). */
const PHASED = `1m-${PHASES}phases`;
const PLANS = [...EXAMPLES, ...GENERATED, PHASED].filter((p) => !ONLY || ONLY.includes(p));

/** A run is killed after this long (seconds): a hung run is a failed run. */
const timeoutOf = (cmd: Cmd): number => (cmd === 'synth' ? 240 : 30);

interface Sample {
  readonly seconds: number;
  readonly maxRssMiB: number;
  /** Exit status; null when the run was killed (timeout or signal). */
  readonly status: number | null;
  readonly error?: string;
}
interface Measure {
  readonly medianSeconds: number;
  readonly medianMaxRssMiB: number;
  readonly maxRssMiB: number;
  readonly runs: number;
  /** Every run exited 0. A cell that is not ok has no timing to quote. */
  readonly ok: boolean;
  readonly error?: string;
  readonly samples: readonly Sample[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function runNode(args: string[], timeoutSeconds = 30, exits: readonly number[] = [0]): Sample {
  const rssFile = join(tmpdir(), `gigawatt-bench-rss-${process.pid}`);
  rmSync(rssFile, { force: true });
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--require', HOOK, ...args], {
    cwd: ROOT,
    env: { ...process.env, GIGAWATT_BENCH_RSS_FILE: rssFile, NO_COLOR: '1', CI: 'true' },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 26,
    timeout: timeoutSeconds * 1000,
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const rss = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) / 1024 : NaN;
  const status = r.signal ? null : r.status;
  const error =
    status !== null && exits.includes(status)
      ? undefined
      : r.signal
        ? `killed by ${r.signal}${r.error ? ` (${r.error.message})` : ''}`
        : `exited ${r.status}: ${(r.stderr?.toString() ?? '').trim().split('\n')[0]}`;
  if (error) process.stderr.write(`  ! ${args.slice(1).join(' ')}: ${error}\n`);
  return { seconds, maxRssMiB: rss, status, error };
}

function summarize(samples: Sample[]): Measure {
  const failed = samples.find((s) => s.status !== 0);
  return {
    medianSeconds: median(samples.map((s) => s.seconds)),
    medianMaxRssMiB: median(samples.map((s) => s.maxRssMiB)),
    maxRssMiB: Math.max(...samples.map((s) => s.maxRssMiB)),
    runs: samples.length,
    ok: samples.length > 0 && !failed,
    error: failed?.error,
    samples,
  };
}

function commandArgs(cmd: Cmd, plan: string, out: string): string[] {
  switch (cmd) {
    case 'validate':
      return [CLI, 'validate', plan];
    case 'report':
      return [CLI, 'report', plan, '--format', 'markdown'];
    case 'synth':
    case 'inventory':
      return [CLI, cmd, plan, '--out', out];
  }
}

/** `terraform init` in every stack (each must succeed), then `terraform validate` timed over all stacks. */
function terraformValidate(synthDir: string): { measure?: Measure; note: string } {
  const tf = ['/usr/local/bin/terraform', '/usr/bin/terraform'].find(existsSync);
  const mirror = process.env.GIGAWATT_TF_PLUGIN_DIR ?? '/opt/tf-plugins';
  if (!tf) return { note: 'terraform not installed' };
  if (!existsSync(mirror)) return { note: `no provider mirror at ${mirror}` };
  const stacksRoot = join(synthDir, 'terraform', 'stacks');
  if (!existsSync(stacksRoot)) return { note: 'synth wrote no stacks' };
  const stacks = readdirSync(stacksRoot)
    .map((s) => join(stacksRoot, s))
    .filter((d) => statSync(d).isDirectory());
  for (const dir of stacks) {
    const init = spawnSync(tf, ['init', '-backend=false', '-input=false', `-plugin-dir=${mirror}`], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (init.status !== 0) {
      const why = (init.stderr?.toString() ?? '').trim().split('\n').slice(-1)[0];
      const m = summarize([
        { seconds: NaN, maxRssMiB: NaN, status: init.status, error: `terraform init failed: ${why}` },
      ]);
      return { measure: m, note: m.error! };
    }
  }
  const samples: Sample[] = [];
  for (let i = 0; i <= Math.min(RUNS, 3); i++) {
    const t0 = process.hrtime.bigint();
    let failed: Sample | undefined;
    for (const dir of stacks) {
      const r = spawnSync(tf, ['validate', '-no-color'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      if (r.status !== 0 && !failed)
        failed = {
          seconds: NaN,
          maxRssMiB: NaN,
          status: r.status,
          error: `terraform validate failed in ${dir}: ${(r.stdout?.toString() ?? '').trim().split('\n').slice(-1)[0]}`,
        };
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (i > 0) samples.push(failed ?? { seconds, maxRssMiB: NaN, status: 0 });
  }
  return { measure: summarize(samples), note: `${stacks.length} stacks` };
}

interface Target {
  readonly target: string;
  readonly limit: number;
  readonly value?: number;
  /** undefined: not measured (a plan filtered out, no terraform); false: missed or a run failed. */
  readonly pass?: boolean;
  readonly note?: string;
}

function main(): void {
  const work = mkdtempSync(join(tmpdir(), 'gigawatt-bench-'));
  const planFile = new Map<string, string>();
  for (const label of PLANS) {
    if ((EXAMPLES as readonly string[]).includes(label))
      planFile.set(label, join(ROOT, 'examples', `fleet-${label}.yaml`));
    else if (label === PHASED) {
      const file = join(work, `${PHASED}.yaml`);
      writeFileSync(file, phasedPlan(readFileSync(join(ROOT, 'examples', 'fleet-1m.yaml'), 'utf8')));
      planFile.set(label, file);
    } else {
      const file = join(work, `many-pools-${label}.yaml`);
      writeFileSync(file, manyPoolPlan(MANY_POOL_PLANS[label]));
      planFile.set(label, file);
    }
  }
  const loadBefore = loadavg();
  const machine = {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString().slice(0, 10),
  };
  process.stdout.write(
    `gigawatt benchmark: ${RUNS} interleaved rounds (${SYNTH_RUNS} for synth of many-pool plans), medians; ` +
      `${machine.cpus} cores (${machine.cpuModel}), Node ${machine.node}; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}\n\n`,
  );

  type Cell = { cmd: Cmd | 'baseline'; plan: string; args: string[]; rounds: number; timeout: number };
  const cells: Cell[] = [{ cmd: 'baseline', plan: '-', args: ['-e', '0'], rounds: RUNS, timeout: 30 }];
  for (const cmd of COMMANDS)
    for (const plan of PLANS.filter((p) => p !== PHASED || cmd === 'validate' || cmd === 'report'))
      cells.push({
        cmd,
        plan,
        args: commandArgs(cmd, planFile.get(plan)!, join(work, `${cmd}-${plan}`)),
        rounds: cmd === 'synth' && GENERATED.includes(plan) ? Math.min(SYNTH_RUNS, RUNS) : RUNS,
        timeout: timeoutOf(cmd),
      });
  const key = (c: { cmd: string; plan: string }) => `${c.cmd}:${c.plan}`;
  const samples = new Map<string, Sample[]>(cells.map((c) => [key(c), []]));
  // Warm-up round (file cache, not counted), then interleaved rounds. A cell whose run failed is not run
  // again: its result is a failure whatever the other rounds would say.
  for (let round = 0; round <= RUNS; round++) {
    for (const c of cells) {
      const got = samples.get(key(c))!;
      if (round > c.rounds || got.some((s) => s.status !== 0)) continue;
      const s = runNode(c.args, c.timeout);
      if (round > 0 || s.status !== 0) got.push(s);
    }
    process.stderr.write(`  round ${round}/${RUNS} done\n`);
  }
  const loadAfter = loadavg();
  const table: Record<string, Record<string, Measure>> = {};
  for (const c of cells) (table[c.cmd] ??= {})[c.plan] = summarize(samples.get(key(c))!);
  const baseline = table.baseline['-'];

  const tf1m = table.synth?.['1m']?.ok ? terraformValidate(join(work, 'synth-1m')) : undefined;
  const tfValidate = tf1m?.measure;

  /** Median of per-round ratios a/b; undefined when either is missing or failed. */
  const pairedRatio = (a?: Measure, b?: Measure): number | undefined => {
    if (!a?.ok || !b?.ok) return undefined;
    const n = Math.min(a.samples.length, b.samples.length);
    return median(Array.from({ length: n }, (_, i) => a.samples[i].seconds / b.samples[i].seconds));
  };
  const cell = (cmd: Cmd, plan: string) => table[cmd]?.[plan];

  const targets: Target[] = [];
  const time = (cmd: Cmd, plan: string, limit: number, what = `${cmd} ${plan} <= ${limit} s`) => {
    const m = cell(cmd, plan);
    targets.push({
      target: what,
      limit,
      value: m?.ok ? m.medianSeconds : undefined,
      pass: m ? m.ok && m.medianSeconds <= limit : undefined,
      note: m && !m.ok ? `FAILED: ${m.error}` : undefined,
    });
  };
  const rss = (cmd: Cmd, plan: string, limitMiB: number) => {
    const m = cell(cmd, plan);
    targets.push({
      target: `${cmd} ${plan} peak RSS <= ${limitMiB} MiB`,
      limit: limitMiB,
      value: m?.ok ? m.maxRssMiB : undefined,
      pass: m ? m.ok && m.maxRssMiB <= limitMiB : undefined,
      note: m && !m.ok ? `FAILED: ${m.error}` : undefined,
    });
  };
  const ratio = (
    what: string,
    a: Measure | undefined,
    b: Measure | undefined,
    limit: number,
    min = false,
  ) => {
    const r = pairedRatio(a, b);
    const failed = (a && !a.ok) || (b && !b.ok);
    targets.push({
      target: what,
      limit,
      value: r,
      pass: failed ? false : r === undefined ? undefined : min ? r >= limit : r <= limit,
      note: failed ? 'FAILED: a run failed' : undefined,
    });
  };

  // The examples: many nodes in few pools.
  time('validate', '1m', 0.5);
  if (tfValidate) {
    const a = tfValidate;
    const b = cell('validate', '1m');
    const r = a.ok && b?.ok ? a.medianSeconds / b.medianSeconds : undefined;
    targets.push({
      target: 'terraform validate 1m / validate 1m >= 5',
      limit: 5,
      value: r,
      pass: r !== undefined && r >= 5,
      note: a.ok ? undefined : `FAILED: ${a.error}`,
    });
  }
  time('synth', '1m', 15);
  rss('synth', '1m', 1024);
  for (const c of ['validate', 'report', 'inventory'] as const)
    ratio(`${c} 1m / 100k <= 12`, cell(c, '1m'), cell(c, '100k'), 12);
  // The pool dimension: the same 1M accelerators as thousands of pools.
  // The time dimension: every rule at each of the phase dates.
  time('validate', PHASED, 1);
  time('report', PHASED, 2);
  time('validate', '1m-5000p', 0.5);
  time('synth', '1m-5000p', 15);
  rss('synth', '1m-5000p', 1024);
  time('report', '1m-5000p', 2);
  time('inventory', '1m-5000p', 2);
  for (const c of COMMANDS)
    ratio(`${c} 5000p / 500p <= 12 (10x pools)`, cell(c, '1m-5000p'), cell(c, '1m-500p'), 12);
  // The schema's limit: 20,000 pools.
  time('validate', '1m-20000p', 1);
  time('synth', '1m-20000p', 60);
  rss('synth', '1m-20000p', 2048);

  const fmt = (m?: Measure) =>
    !m
      ? 'n/a'
      : !m.ok
        ? 'FAILED'
        : `${m.medianSeconds.toFixed(3)} s${Number.isFinite(m.medianMaxRssMiB) ? ` ${m.medianMaxRssMiB.toFixed(0).padStart(5)} MiB` : ''}`;
  const w = 22;
  process.stdout.write(`${'command'.padEnd(12)}${PLANS.map((s) => s.padStart(w)).join('')}\n`);
  process.stdout.write(`${'node -e 0'.padEnd(12)}${fmt(baseline).padStart(w)}\n`);
  for (const cmd of COMMANDS)
    process.stdout.write(`${cmd.padEnd(12)}${PLANS.map((s) => fmt(table[cmd]?.[s]).padStart(w)).join('')}\n`);
  if (tf1m) process.stdout.write(`tf validate 1m (${tf1m.note}): ${fmt(tfValidate)}\n`);
  process.stdout.write('\ntargets\n');
  for (const t of targets)
    process.stdout.write(
      `  ${t.pass === undefined ? 'N/A ' : t.pass ? 'PASS' : 'MISS'}  ${t.target.padEnd(44)} ${t.value === undefined ? '' : t.value.toFixed(3)}${t.note ? `  ${t.note}` : ''}\n`,
    );
  const loaded = Math.max(loadBefore[0], loadAfter[0]) > machine.cpus;
  process.stdout.write(
    `\nload average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')}` +
      (loaded
        ? ` — the machine was loaded (more runnable jobs than ${machine.cpus} cores): absolute times are inflated, paired ratios less so\n`
        : '\n'),
  );

  const strip = (m: Measure) => ({ ...m, samples: m.samples.map((s) => ({ ...s })) });
  const results = {
    machine: { ...machine, loadBefore, loadAfter, loaded },
    runs: RUNS,
    synthRunsManyPools: SYNTH_RUNS,
    plans: Object.fromEntries(
      PLANS.map((p) => [
        p,
        (EXAMPLES as readonly string[]).includes(p) ? `examples/fleet-${p}.yaml` : MANY_POOL_PLANS[p],
      ]),
    ),
    baseline: strip(baseline),
    commands: Object.fromEntries(
      COMMANDS.map((c) => [c, Object.fromEntries(Object.entries(table[c]).map(([p, m]) => [p, strip(m)]))]),
    ),
    terraformValidate1m: tfValidate && { ...strip(tfValidate), note: tf1m?.note },
    targets,
  };
  mkdirSync(join(ROOT, 'bench'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(`wrote bench/results.json\n`);
  if (process.argv.includes('--readme')) writeReadme(results, fmt, baseline, tf1m);
  prettify([
    join(ROOT, 'bench', 'results.json'),
    ...(process.argv.includes('--readme') ? [join(ROOT, 'README.md')] : []),
  ]);
  rmSync(work, { recursive: true, force: true });
  if (targets.some((t) => t.pass === false)) process.exitCode = 1;
}

const START = '<!-- bench:start (generated by npm run bench -- --readme) -->';
const END = '<!-- bench:end -->';

/** Format the files the benchmark wrote with the project's Prettier, so `npm run lint` stays green. */
function prettify(files: readonly string[]): void {
  const r = spawnSync(process.execPath, [require.resolve('prettier/bin/prettier.cjs'), '--write', ...files], {
    encoding: 'utf8',
  });
  if (r.status !== 0) process.stderr.write(`prettier --write failed: ${r.stderr}\n`);
}

function writeReadme(
  results: {
    machine: {
      date: string;
      cpus: number;
      cpuModel: string;
      node: string;
      loadBefore: number[];
      loadAfter: number[];
      loaded: boolean;
    };
    runs: number;
    commands: Record<string, Record<string, Measure>>;
    targets: Target[];
  },
  fmt: (m?: Measure) => string,
  baseline: Measure,
  tf1m?: { measure?: Measure; note: string },
): void {
  const file = join(ROOT, 'README.md');
  const text = readFileSync(file, 'utf8');
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md has no ${START} … ${END} block`);
  const m = results.machine;
  const cellText = (x?: Measure) => fmt(x).replace(/\s+/g, ' ').replace(' s ', ' s, ');
  const header = ['command', ...PLANS.map((p) => (GENERATED.includes(p) ? `${p}ools` : p))];
  const rows = [
    ['`node -e 0` (baseline)', cellText(baseline), ...PLANS.slice(1).map(() => '')],
    ...COMMANDS.map((c) => [`\`${c}\``, ...PLANS.map((p) => cellText(results.commands[c][p]))]),
  ];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const md = [
    START,
    `${results.runs} interleaved rounds per cell, medians; ${m.cpus} cores (${m.cpuModel}), Node ${m.node}, ${m.date}; load average ${m.loadBefore[0].toFixed(2)} before, ${m.loadAfter[0].toFixed(2)} after${m.loaded ? ' (the machine was shared: absolute times are inflated)' : ''}. Plan labels: fleet examples by accelerators; \`1m-Np\` = 1M accelerators as N generated pools over 100 sites (200 for 20,000 pools).`,
    '',
    line(header),
    line(header.map((_, i) => (i === 0 ? '---' : '---:'))),
    ...rows.map(line),
    ...(tf1m?.measure
      ? ['', `\`terraform validate\` of the 1M output (${tf1m.note}): ${cellText(tf1m.measure)}.`]
      : []),
    '',
    ...results.targets.map(
      (t) =>
        `- ${t.pass === undefined ? 'N/A' : t.pass ? 'PASS' : '**MISS**'} ${t.target}${t.value === undefined ? '' : `: ${t.value.toFixed(3)}`}${t.note ? ` (${t.note})` : ''}`,
    ),
    END,
  ].join('\n');
  writeFileSync(file, text.slice(0, a) + md + text.slice(b + END.length));
  process.stdout.write('rewrote the benchmark table in README.md\n');
}

/** `--hostile`: the hostile plans, each command it names, its exit status checked; targets per run. */
function hostile(): void {
  const runs = Number(process.env.GIGAWATT_BENCH_RUNS ?? 3);
  const work = mkdtempSync(join(tmpdir(), 'gigawatt-bench-hostile-'));
  process.stdout.write(
    `gigawatt hostile benchmark: ${runs} rounds, medians; ${cpus().length} cores, Node ${process.version}; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n\n`,
  );
  const head = `${'case'.padEnd(16)}${'plan'.padStart(10)}  ${'command'.padEnd(10)}${'median'.padStart(10)}${'s/MB'.padStart(10)}${'peak RSS'.padStart(12)}  verdict`;
  process.stdout.write(`${head}\n`);
  let missed = false;
  for (const c of HOSTILE_CASES) {
    const plan = join(work, `${c.label}.yaml`);
    writeFileSync(plan, c.text());
    const mb = statSync(plan).size / 1e6;
    for (const [cmd, run] of Object.entries(c.runs)) {
      const out = join(work, `${c.label}-${cmd}`);
      const args = [CLI, cmd, plan, ...run.args.map((a) => a.replace('{out}', out).replace('{plan}', plan))];
      const samples: Sample[] = [];
      for (let i = 0; i < runs; i++) {
        const s = runNode(args, cmd === 'synth' ? 240 : 60, run.exits);
        samples.push(s);
        rmSync(out, { recursive: true, force: true });
        if (s.error) break;
      }
      // An expected exit is a success here; an unexpected one (0 included) a failure.
      const m = summarize(samples.map((s) => ({ ...s, status: s.error ? -1 : 0 })));
      const perMB = m.medianSeconds / mb;
      const timeOk = cmd !== 'validate' || m.medianSeconds <= Math.max(1, mb);
      const rssOk = m.maxRssMiB <= 2048;
      const ok = m.ok && timeOk && rssOk;
      missed ||= !ok;
      const verdict = !m.ok
        ? `FAILED: ${m.error}`
        : `${timeOk ? 'PASS' : 'MISS'} ${cmd === 'validate' ? `<= ${Math.max(1, mb).toFixed(2)} s` : 'time n/a'}, ${rssOk ? 'PASS' : 'MISS'} <= 2048 MiB`;
      process.stdout.write(
        `${c.label.padEnd(16)}${`${(mb * 1000).toFixed(1)} KB`.padStart(10)}  ${cmd.padEnd(10)}${m.ok ? `${m.medianSeconds.toFixed(3)} s`.padStart(10) : 'FAILED'.padStart(10)}${(m.ok && cmd === 'validate' ? perMB.toFixed(2) : '').padStart(10)}${(Number.isFinite(m.maxRssMiB) ? `${m.maxRssMiB.toFixed(0)} MiB` : '').padStart(12)}  ${verdict}\n`,
      );
    }
  }
  process.stdout.write(`\n${HOSTILE_CASES.map((c) => `  ${c.label}: ${c.what}`).join('\n')}\n`);
  if (loadavg()[0] > cpus().length)
    process.stdout.write(
      `\nthe machine was loaded (load average ${loadavg()[0].toFixed(2)} on ${cpus().length} cores): absolute times are inflated\n`,
    );
  rmSync(work, { recursive: true, force: true });
  if (missed) process.exitCode = 1;
}

if (process.argv.includes('--help'))
  process.stdout.write(
    [
      'npm run bench                 the fleet examples and many-pool plans; writes bench/results.json',
      'npm run bench -- --readme     the same, and rewrites the table in README.md',
      'npm run bench -- --hostile    only the hostile plans (bench/hostile.ts); writes no file',
      'Environment: GIGAWATT_BENCH_RUNS, GIGAWATT_BENCH_SYNTH_RUNS, GIGAWATT_BENCH_ONLY (see bench/run.ts).',
      '',
    ].join('\n'),
  );
else if (process.argv.includes('--hostile')) hostile();
else main();
