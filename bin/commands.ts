/** The subcommands. Each registers itself on the program; heavy modules are imported lazily inside actions. */
import type { Command, Option as OptionClass } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDate } from '../pipeline/util/dates';
import { GigawattError } from '../pipeline/util/errors';
import { DEFAULT_PLAN, PROJECT_ROOT } from '../pipeline/util/paths';

/** The optional peer dependencies `validate --live` loads (package.json peerDependenciesMeta). */
const LIVE_PACKAGES = ['@aws-sdk/client-ec2', '@aws-sdk/client-service-quotas'];

type Register = (program: Command, deps: { Option: typeof OptionClass }) => void;

/** The package version, for SARIF and --version. */
export const packageVersion = (): string =>
  (JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const useColor = (): boolean => Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

const validate: Register = (program, { Option }) => {
  program
    .command('validate')
    .description(
      'Check plans against the schema, the catalog and every capacity, network, power and security rule.',
    )
    .argument('<plan...>', 'plan files (YAML or JSON)')
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['text', 'json', 'sarif', 'junit', 'markdown', 'github'])
        .default('text'),
    )
    .addOption(
      new Option('--fail-on <severity>', 'lowest severity that fails the run (exit 1)')
        .choices(['error', 'warning'])
        .default('error'),
    )
    .option(
      '--sarif-base <dir>',
      'with --format sarif: directory artifact URIs are relative to (default: the git root, else the working directory)',
    )
    .option(
      '--live',
      'read quotas, instance type offerings and capacity reservations from AWS (needs credentials)',
    )
    .option(
      '--live-deadline <seconds>',
      'with --live: deadline of all AWS calls together; each call gets at most 10 s of it (default: 60)',
      positiveNumber('--live-deadline'),
    )
    .action(
      async (
        plans: string[],
        opts: {
          format: 'text' | 'json' | 'sarif' | 'junit' | 'markdown' | 'github';
          failOn: 'error' | 'warning';
          live?: boolean;
          liveDeadline?: number;
          sarifBase?: string;
        },
      ) => {
        const { validateFile, withSharedState } = await import('../pipeline/run');
        const { failing } = await import('../pipeline/rules/engine');
        let results = plans.map((file) => validateFile(file));
        if (opts.live) {
          const { loadOptional } = await import('../pipeline/util/optional');
          const { awsClients, withLiveData } = await loadOptional(
            () => import('../pipeline/live'),
            LIVE_PACKAGES,
            'validate --live',
          );
          // One set of clients (credentials resolved once) and one plan at a time: the calls in flight stay
          // bounded by withLiveData's concurrency, and the deadline holds for each plan.
          const options = opts.liveDeadline ? { deadlineMs: opts.liveDeadline * 1000 } : {};
          const clients = awsClients(options);
          const live = [];
          for (const r of results) live.push(await withLiveData(r, clients, options));
          results = live;
        }
        // Across the plans, once each is judged (with --live, on its live figures).
        results = withSharedState(results);
        const failed = results.some((r) => failing(r.diagnostics, opts.failOn).length > 0);
        switch (opts.format) {
          case 'json': {
            const { formatJsonAll } = await import('../pipeline/output/json');
            process.stdout.write(formatJsonAll(results, opts.failOn));
            break;
          }
          case 'sarif': {
            const { formatSarif } = await import('../pipeline/output/sarif');
            if (opts.sarifBase !== undefined) {
              const { statSync } = await import('node:fs');
              if (!statSync(opts.sarifBase, { throwIfNoEntry: false })?.isDirectory())
                throw new GigawattError('GW-E-USAGE', `--sarif-base ${opts.sarifBase} is not a directory.`);
            }
            process.stdout.write(formatSarif(results, packageVersion(), { base: opts.sarifBase }));
            break;
          }
          case 'junit': {
            const { formatJunit } = await import('../pipeline/output/junit');
            process.stdout.write(formatJunit(results, opts.failOn));
            break;
          }
          case 'markdown': {
            const { formatMarkdown } = await import('../pipeline/output/markdown');
            process.stdout.write(formatMarkdown(results));
            break;
          }
          case 'github': {
            const { formatGithub } = await import('../pipeline/output/github');
            process.stdout.write(formatGithub(results));
            break;
          }
          default: {
            const { formatText } = await import('../pipeline/output/text');
            for (const r of results)
              process.stdout.write(
                formatText(r.diagnostics, r.plan, r.file, { color: useColor(), timeline: r.timeline }),
              );
          }
        }
        process.exitCode = failed ? 1 : 0;
      },
    );
};

const start: Register = (program) => {
  program
    .command('start')
    .description(
      'Validate the built-in example plan (examples/frontier.yaml), print its summary and synthesize it into gigawatt.out/.',
    )
    .argument('[plan]', 'plan file', DEFAULT_PLAN)
    .option('-o, --out <dir>', 'output directory', 'gigawatt.out')
    .action(async (plan: string, opts: { out: string }) => {
      const { validateFile } = await import('../pipeline/run');
      const { failing } = await import('../pipeline/rules/engine');
      const { formatText } = await import('../pipeline/output/text');
      const result = validateFile(plan);
      process.stdout.write(formatText(result.diagnostics, result.plan, plan, { color: useColor() }));
      if (!result.plan || failing(result.diagnostics).length) {
        process.exitCode = 1;
        return;
      }
      const { synthesizeAllInParallel } = await import('../pipeline/synth');
      const { files, insecure } = await synthesizeAllInParallel(result.plan);
      const { terminal } = await import('../pipeline/util/safe-text');
      for (const f of insecure) process.stderr.write(`error  ${f.rule}  ${terminal(f.message)}\n`);
      if (insecure.length) {
        process.exitCode = 1;
        return;
      }
      const { writeOutputTree } = await import('../pipeline/util/output-dir');
      writeOutputTree(opts.out, files);
      const stacks = [...files.keys()].filter((f) => f.endsWith('cdk.tf.json')).length;
      process.stdout.write(
        `\nsynthesized ${stacks} Terraform stacks and ${files.size - stacks - 1} Kubernetes files into ${opts.out}/ (terraform/stacks/<site>/cdk.tf.json, kubernetes/<cluster>/)\n`,
      );
    });
};

const catalogCmd: Register = (program) => {
  program
    .command('catalog')
    .description(
      'List the catalog of EC2 instance types and on-prem systems, or show one entry with its sources.',
    )
    .argument('[name]', 'instance type or system to show')
    .action(async (name?: string) => {
      const cat = await import('../pipeline/catalog');
      if (!name) {
        const rows = [
          ...Object.entries(cat.catalog.ec2InstanceTypes).map(
            ([n, e]) => `${n.padEnd(22)} ec2     ${e.accelerator.count.value} × ${e.accelerator.model}`,
          ),
          ...Object.entries(cat.catalog.onPremSystems).map(
            ([n, e]) =>
              `${n.padEnd(22)} onprem  ${e.accelerator.count.value} × ${e.accelerator.model}, ${e.maxSystemKW.value} kW (${e.maxSystemKW.confidence})`,
          ),
        ];
        process.stdout.write(`catalog ${cat.catalog.catalogVersion}\n${rows.join('\n')}\n`);
        return;
      }
      let entry: unknown;
      try {
        entry = cat.findInstanceType(name) ?? cat.system(name);
      } catch (err) {
        const e = err as InstanceType<typeof cat.UnknownCatalogEntryError>;
        const types = cat.instanceTypeNames();
        const near = [
          ...new Set([...(await import('../pipeline/util/suggest')).nearest(name, types), ...e.suggestions]),
        ].slice(0, 3);
        throw new GigawattError(
          'GW-E-USAGE',
          `unknown instance type or system '${name}'.${near.length ? ` Did you mean ${near.map((s) => `'${s}'`).join(' or ')}?` : ''}`,
        );
      }
      process.stdout.write(JSON.stringify(entry, null, 2) + '\n');
    });
};

const schemaCmd: Register = (program) => {
  program
    .command('schema')
    .description('Print the ClusterPlan JSON Schema, or write it to schemas/ (--write).')
    .option('--write', 'write schemas/cluster-plan.v1alpha1.schema.json')
    .action(async (opts: { write?: boolean }) => {
      const { planSchemaJson, PLAN_SCHEMA_FILE } = await import('../pipeline/schema/plan-schema-file');
      if (opts.write) {
        const { writeFileSync } = await import('node:fs');
        const { validatorSource, VALIDATOR_FILE } = await import('../pipeline/schema/generate-validator');
        writeFileSync(PLAN_SCHEMA_FILE, planSchemaJson());
        writeFileSync(VALIDATOR_FILE, validatorSource());
        process.stdout.write(`wrote ${PLAN_SCHEMA_FILE} and ${VALIDATOR_FILE}\n`);
      } else process.stdout.write(planSchemaJson());
    });
};

const rulesCmd: Register = (program) => {
  program
    .command('rules')
    .description(
      'List every rule with its id, severity and explanation, or write docs/rules.md and docs/rules/<ID>.md (--write).',
    )
    .option('--write', 'write docs/rules.md and one page per rule in docs/rules/')
    .action(async (opts: { write?: boolean }) => {
      const { rulesMarkdown, rulePages, RULES_DOC_FILE, RULE_PAGES_DIR } =
        await import('../pipeline/rules/docs');
      if (opts.write) {
        const { mkdirSync, readdirSync, rmSync, writeFileSync } = await import('node:fs');
        const { join } = await import('node:path');
        writeFileSync(RULES_DOC_FILE, rulesMarkdown());
        const pages = rulePages();
        mkdirSync(RULE_PAGES_DIR, { recursive: true });
        for (const f of readdirSync(RULE_PAGES_DIR))
          if (f.endsWith('.md') && !pages.has(f)) rmSync(join(RULE_PAGES_DIR, f));
        for (const [f, text] of pages) writeFileSync(join(RULE_PAGES_DIR, f), text);
        process.stdout.write(`wrote ${RULES_DOC_FILE} and ${pages.size} pages in ${RULE_PAGES_DIR}\n`);
      } else process.stdout.write(rulesMarkdown());
    });
};

/** `--at <date>`: a date or a UTC instant, as epoch ms; a day the calendar does not have is a usage error. */
const parseAt = (value: string): number => {
  const parsed = parseDate(value);
  if ('problem' in parsed)
    throw new GigawattError(
      'GW-E-USAGE',
      `--at ${JSON.stringify(value)} ${parsed.problem}; write 2027-03-01 or 2027-03-01T11:30:00Z.`,
    );
  return parsed.at;
};
const AT_HELP =
  'plan date to use for a plan with a timeline: 2027-03-01 or 2027-03-01T11:30:00Z (default: now, or the first phase if the plan starts later)';

/**
 * Validate a plan for a command that needs the resolved model; a plan that fails the schema stops here
 * (exit 1). With a timeline the result is the plan as of `at` (default: now, or its first phase when the
 * plan starts later); `at` before the first phase is a usage error.
 */
async function requireModel(file: string, at?: string) {
  const { validateFile, resultAt, defaultInstant } = await import('../pipeline/run');
  const full = validateFile(file);
  let result = full;
  if (full.timeline) {
    const first = full.timeline[0]!;
    const when = at !== undefined ? parseAt(at) : defaultInstant(full);
    const picked = resultAt(full, when);
    if (!picked)
      throw new GigawattError(
        'GW-E-USAGE',
        `${file}: --at ${at} is before the plan's first phase (${first.label}); nothing is built yet.`,
      );
    if (at === undefined && when === first.at && Date.now() < first.at)
      process.stderr.write(
        `${file}: the timeline starts on ${first.label}; using the plan as of then (pass --at to choose a date).\n`,
      );
    result = picked;
  } else result = { ...full, at: at !== undefined ? parseAt(at) : Date.now() };
  if (!result.plan) {
    const { formatText } = await import('../pipeline/output/text');
    process.stderr.write(
      formatText(result.diagnostics, undefined, file, { color: Boolean(process.stderr.isTTY) }),
    );
    throw new GigawattError(
      'GW-E-PARSE',
      `${file}: the plan does not match the schema; fix the errors above first.`,
      1,
    );
  }
  return result;
}

/** requireModel, and stop (exit 1) when the plan has errors unless --force. */
async function requireValidModel(file: string, force = false, at?: string) {
  const result = await requireModel(file, at);
  const { failing } = await import('../pipeline/rules/engine');
  const errors = failing(result.diagnostics);
  if (errors.length && !force) {
    const { formatText } = await import('../pipeline/output/text');
    process.stderr.write(
      formatText(result.diagnostics, undefined, file, { color: Boolean(process.stderr.isTTY) }),
    );
    throw new GigawattError(
      'GW-E-USAGE',
      `${file}: nothing written because the plan has ${errors.length} error(s); fix them or pass --force.`,
      1,
    );
  }
  return result;
}

const report: Register = (program, { Option }) => {
  program
    .command('report')
    .description(
      'Reviewer report: accelerators, nodes, UltraServers, power vs envelope, racks, cost (unknown prices listed, never $0).',
    )
    .argument('<plan>', 'plan file')
    .addOption(
      new Option('-f, --format <format>', 'format printed to stdout')
        .choices(['markdown', 'html', 'json'])
        .default('markdown'),
    )
    .option('-o, --out <dir>', 'write report.md, report.html and report.json to this directory (atomically)')
    .option('--at <date>', AT_HELP)
    .action(
      async (plan: string, opts: { format: 'markdown' | 'html' | 'json'; out?: string; at?: string }) => {
        const result = await requireModel(plan, opts.at);
        const { reportOf, reportMarkdown, reportHtml } = await import('../pipeline/report');
        const data = reportOf(result);
        const render = {
          markdown: () => reportMarkdown(data),
          html: () => reportHtml(data),
          json: () => JSON.stringify(data, null, 2) + '\n',
        };
        if (opts.out) {
          const { writeOutputTree } = await import('../pipeline/util/output-dir');
          writeOutputTree(
            opts.out,
            new Map([
              ['report.md', render.markdown()],
              ['report.html', render.html()],
              ['report.json', render.json()],
            ]),
            { command: 'report' },
          );
          process.stdout.write(`wrote ${opts.out}/report.md, report.html, report.json\n`);
        } else process.stdout.write(render[opts.format]());
      },
    );
};

const diff: Register = (program, { Option }) => {
  program
    .command('diff')
    .description(
      'What a change adds: every total, per-site power and racks, pools and sites added/removed/resized, new, changed and resolved findings, Terraform resources named. Exit 1 when it adds an error (--fail-on; on any date of a timeline), increases what --fail-on-increase names, or recycles nodes (--fail-on-recycle).',
    )
    .argument('<base>', 'plan before the change')
    .argument('<head>', 'plan after the change')
    .addOption(
      new Option('-f, --format <format>', 'output format (html: a self-contained page like the report)')
        .choices(['markdown', 'html', 'json'])
        .default('markdown'),
    )
    .addOption(
      new Option(
        '--fail-on-increase <what...>',
        'exit 1 when the change increases power and/or cost',
      ).choices(['power', 'cost']),
    )
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when the change adds a finding at or above this severity (new, or changed up to it); none: never',
      )
        .choices(['error', 'warning', 'none'])
        .default('error'),
    )
    .option(
      '--fail-on-recycle',
      'exit 1 when the change destroys, replaces or rolls accelerator nodes (node groups, subnets, the cluster)',
    )
    .option('--at <date>', AT_HELP)
    .action(
      async (
        basePlan: string,
        headPlan: string,
        opts: {
          format: 'markdown' | 'html' | 'json';
          failOnIncrease?: ('power' | 'cost')[];
          failOn: 'error' | 'warning' | 'none';
          failOnRecycle?: boolean;
          at?: string;
        },
      ) => {
        const base = await requireModel(basePlan, opts.at);
        const head = await requireModel(headPlan, opts.at);
        const { reportOf, diffReports, diffRangesOf, diffMarkdown, diffHtml } =
          await import('../pipeline/report');
        const { synthesizeTerraform } = await import('../constructs/synth');
        const { terraformChanges } = await import('../pipeline/report/terraform-diff');
        const tf = terraformChanges(
          synthesizeTerraform(base.plan!, { skipValidation: true, at: base.at }),
          synthesizeTerraform(head.plan!, { skipValidation: true, at: base.at }),
        );
        // With a timeline on either side, also compare the plans on every range where either changes,
        // each synthesized as of that range's first instant.
        const ranges = diffRangesOf(base, head, (b, h, at) =>
          terraformChanges(
            synthesizeTerraform(b, { skipValidation: true, at }),
            synthesizeTerraform(h, { skipValidation: true, at }),
          ),
        );
        const d = {
          ...diffReports(reportOf(base), reportOf(head), base.diagnostics, head.diagnostics, tf),
          ...(ranges ? { ranges } : {}),
        };
        const render = {
          markdown: () => diffMarkdown(d),
          html: () => diffHtml(d),
          json: () => JSON.stringify(d, null, 2) + '\n',
        };
        process.stdout.write(render[opts.format]());
        const fail = opts.failOnIncrease ?? [];
        const increased =
          (fail.includes('power') && d.totals.facilityMW.delta + d.totals.itMW.delta > 0) ||
          (fail.includes('cost') &&
            (d.totals.knownUsdPerHour.delta > 0 || d.unknownPrices.head > d.unknownPrices.base));
        const { SEVERITY_RANK } = await import('../pipeline/util/diagnostic');
        const atLeast = (sev: 'error' | 'warning' | 'info') =>
          opts.failOn !== 'none' && SEVERITY_RANK[sev] >= SEVERITY_RANK[opts.failOn];
        // Over a timeline, an unwaived finding on any date counts, as it does for validate.
        const { joinTimeline } = await import('../pipeline/rules/timeline');
        const { newOnTimeline } = await import('../pipeline/report');
        const whole = (r: typeof base) => (r.timeline ? joinTimeline(r.timeline) : r.diagnostics);
        const added =
          d.findings.new.some((f) => atLeast(f.severity)) ||
          d.findings.changed.some((c) => atLeast(c.head.severity) && !atLeast(c.base.severity)) ||
          newOnTimeline(whole(base), whole(head), atLeast).length > 0;
        const recycled =
          opts.failOnRecycle === true &&
          (tf.recycles.length > 0 || (ranges?.ranges ?? []).some((r) => r.terraform!.recycles.length > 0));
        process.exitCode = increased || added || recycled ? 1 : 0;
      },
    );
};

/**
 * Earlier versions kept local state inside the output (`terraform/stacks/<id>/terraform.<id>.tfstate`);
 * it now lives beside it, in `gigawatt.state/<plan>/`. Terraform moves it on `terraform init -migrate-state`.
 */
function warnLegacyState(out: string, files: ReadonlyMap<string, unknown>, planName: string): void {
  for (const path of files.keys()) {
    const m = /^terraform\/stacks\/([^/]+)\/cdk\.tf\.json$/.exec(path);
    if (!m || !existsSync(join(out, 'terraform', 'stacks', m[1], `terraform.${m[1]}.tfstate`))) continue;
    process.stderr.write(
      `warning  ${out}/terraform/stacks/${m[1]}/terraform.${m[1]}.tfstate: local state inside the output; ` +
        `state now lives in ${join(out, '..', 'gigawatt.state', planName)}/. Move it with ` +
        `'terraform init -migrate-state' in that stack directory before the next apply.\n`,
    );
  }
}

const synth: Register = (program) => {
  program
    .command('synth')
    .description(
      'Synthesize Terraform (one cdktf stack per site) and Kubernetes manifests into --out, atomically.',
    )
    .argument('<plan>', 'plan file')
    .option('-o, --out <dir>', 'output directory', 'gigawatt.out')
    .option('--force', 'synthesize even when the plan has errors')
    .option('--at <date>', AT_HELP)
    .action(async (plan: string, opts: { out: string; force?: boolean; at?: string }) => {
      const result = await requireValidModel(plan, opts.force, opts.at);
      // The findings synth goes ahead with (warnings, notes, waived, and errors under --force), on
      // stderr so that stdout stays the list of what was written.
      if (result.diagnostics.length) {
        const { formatText } = await import('../pipeline/output/text');
        process.stderr.write(
          formatText(result.diagnostics, undefined, plan, { color: Boolean(process.stderr.isTTY) }),
        );
      }
      // On a plan without a timeline nothing judged the plan at the instant asked: say when a pool
      // still counts on a Capacity Block that is over (its node groups are written at 0, with no action).
      // With a timeline, GW-CAP-BLOCK-WINDOW reports it.
      if (!result.timeline) {
        const { capacityBlockScaling, SCALE_DOWN_MINUTES_BEFORE_END } =
          await import('../pipeline/model/capacity-block');
        for (const pool of result.plan!.pools) {
          const s = capacityBlockScaling(result.plan!, pool, result.at);
          if (s?.phase === 'ended' && pool.nodes > 0)
            process.stderr.write(
              `warning  ${plan}: pool '${pool.name}' has ${pool.nodes} instances but its Capacity Block is scaled to 0 from ${s.window.scaleDownAt} (it ends ${SCALE_DOWN_MINUTES_BEFORE_END} minutes later); its node groups are written at 0.\n`,
            );
        }
      }
      const bar = (await import('../pipeline/util/progress')).progress(3);
      const { synthesizeAllInParallel } = await import('../pipeline/synth');
      const { files, insecure } = await synthesizeAllInParallel(result.plan!, {
        // Capacity Block pools are sized for the instant asked (AWS rejects scheduled actions in the past).
        at: result.at,
        skipValidation: opts.force,
        progress: bar,
      });
      const { terminal } = await import('../pipeline/util/safe-text');
      for (const f of insecure)
        process.stderr.write(`${opts.force ? 'forced past' : 'error'}  ${f.rule}  ${terminal(f.message)}\n`);
      if (insecure.length && !opts.force) {
        bar.done();
        throw new GigawattError(
          'GW-E-USAGE',
          `${plan}: not synthesized: ${insecure.length} security finding(s) in the Terraform output; fix the plan or pass --force.`,
          1,
        );
      }
      bar.step(`writing ${files.size} files`);
      const { writeOutputTree } = await import('../pipeline/util/output-dir');
      writeOutputTree(opts.out, files);
      bar.done();
      process.stdout.write(`wrote ${files.size} files to ${opts.out}/\n`);
      if (!result.plan!.spec.backend) warnLegacyState(opts.out, files, result.plan!.name);
    });
};

const inventory: Register = (program) => {
  program
    .command('inventory')
    .description(
      'Write racks.csv, switches.csv and a bill of materials (CSV and JSON) for the on-prem sites.',
    )
    .argument('<plan>', 'plan file')
    .option('-o, --out <dir>', 'output directory', 'gigawatt.inventory')
    .option('--force', 'write even when the plan has errors')
    .option('--at <date>', AT_HELP)
    .action(async (plan: string, opts: { out: string; force?: boolean; at?: string }) => {
      const result = await requireValidModel(plan, opts.force, opts.at);
      const bar = (await import('../pipeline/util/progress')).progress(2);
      const { inventoryFiles } = await import('../pipeline/inventory');
      bar.step('racks, switches, bill of materials');
      const files = inventoryFiles(result.plan!);
      bar.step(`writing ${files.size} files`);
      const { writeOutputTree } = await import('../pipeline/util/output-dir');
      writeOutputTree(opts.out, files, { command: 'inventory' });
      bar.done();
      process.stdout.write(`wrote ${[...files.keys()].join(', ')} under ${opts.out}/\n`);
    });
};

const positiveInt = (flag: string) => (v: string) => {
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < 1)
    throw new GigawattError('GW-E-USAGE', `${flag} must be a positive integer, not ${JSON.stringify(v)}.`);
  return n;
};
const positiveNumber = (flag: string) => (v: string) => {
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !(n > 0))
    throw new GigawattError('GW-E-USAGE', `${flag} must be a positive number, not ${JSON.stringify(v)}.`);
  return n;
};

const init: Register = (program, { Option }) => {
  program
    .command('init')
    .description(
      'Write a starter plan (one AWS or on-prem pool) that passes validate; never overwrites a file.',
    )
    .argument('[file]', 'plan file to write', 'plan.yaml')
    .option('--name <name>', 'metadata.name of the plan', 'my-cluster')
    .addOption(
      new Option('--provider <provider>', 'where the pool runs').choices(['aws', 'onprem']).default('aws'),
    )
    .option('--region <region>', 'AWS region (aws)', 'us-east-2')
    .option('--availability-zone <az>', 'AZ of the EFA subnet (aws; default: <region>a)')
    .option('--instance-type <type>', 'EC2 instance type from `gigawatt catalog` (aws)', 'p5.48xlarge')
    .option('--instances <n>', 'EC2 instances (aws)', positiveInt('--instances'), 2)
    .option('--system <system>', 'on-prem system from `gigawatt catalog` (onprem)', 'dgx-h100')
    .option('--nodes <n>', 'systems (onprem)', positiveInt('--nodes'), 4)
    .option(
      '--utility-mw <mw>',
      'utility power of the site in MW (onprem)',
      positiveNumber('--utility-mw'),
      10,
    )
    .option('--pue <pue>', 'power usage effectiveness (onprem)', positiveNumber('--pue'), 1.3)
    .option('--racks <n>', 'racks in the hall (onprem)', positiveInt('--racks'), 100)
    .option('--rack-kw <kw>', 'power per rack in kW (onprem)', positiveNumber('--rack-kw'), 45)
    .option('--rack-units <u>', 'usable rack units per rack (onprem)', positiveInt('--rack-units'), 42)
    .addOption(
      new Option('--cooling <cooling>', 'hall cooling (onprem; default: what the system needs)').choices([
        'air',
        'liquid',
        'hybrid',
      ]),
    )
    .action(
      async (
        file: string,
        opts: {
          name: string;
          provider: 'aws' | 'onprem';
          region: string;
          availabilityZone?: string;
          instanceType: string;
          instances: number;
          system: string;
          nodes: number;
          utilityMw: number;
          pue: number;
          racks: number;
          rackKw: number;
          rackUnits: number;
          cooling?: 'air' | 'liquid' | 'hybrid';
        },
      ) => {
        const { existsSync, writeFileSync } = await import('node:fs');
        if (existsSync(file))
          throw new GigawattError(
            'GW-E-USAGE',
            `${file} exists; init never overwrites a file. Name another file.`,
          );
        const { findSystem } = await import('../pipeline/catalog');
        const cooling =
          opts.cooling ?? (findSystem(opts.system)?.cooling.value === 'liquid' ? 'liquid' : 'air');
        const { starterPlan } = await import('../pipeline/init');
        const { PLAN_SCHEMA_ID } = await import('../pipeline/schema/plan-schema');
        const text = starterPlan(
          {
            name: opts.name,
            provider: opts.provider,
            region: opts.region,
            availabilityZone: opts.availabilityZone,
            instanceType: opts.instanceType,
            instances: opts.instances,
            system: opts.system,
            nodes: opts.nodes,
            utilityMW: opts.utilityMw,
            pue: opts.pue,
            racks: opts.racks,
            rackKW: opts.rackKw,
            rackUnits: opts.rackUnits,
            cooling,
          },
          PLAN_SCHEMA_ID,
        );
        const { validateText } = await import('../pipeline/run');
        const { failing } = await import('../pipeline/rules/engine');
        const result = validateText(text, file);
        const { formatText } = await import('../pipeline/output/text');
        if (failing(result.diagnostics).length) {
          process.stderr.write(formatText(result.diagnostics, undefined, file, { color: false }));
          throw new GigawattError(
            'GW-E-USAGE',
            `${file} not written: the starter plan these flags make has errors (above); change the flags.`,
            1,
          );
        }
        try {
          writeFileSync(file, text, { flag: 'wx' });
        } catch (err) {
          throw new GigawattError('GW-E-OUTPUT', `${file}: cannot write: ${(err as Error).message}`);
        }
        process.stdout.write(
          `wrote ${file}: ${result.plan!.totals.accelerators} accelerators on ${result.plan!.totals.nodes} nodes; next: gigawatt validate ${file}\n`,
        );
      },
    );
};

export const commands: Register[] = [
  init,
  validate,
  start,
  catalogCmd,
  schemaCmd,
  rulesCmd,
  report,
  diff,
  synth,
  inventory,
];
