/**
 * Plans over time: findings on exactly the dates hand arithmetic gives, dated waivers, Capacity Block
 * windows, `--at`, stable stacks across dates, and a one-phase timeline that changes nothing.
 */
import fc from 'fast-check';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dateLabel, evaluationInstants, planAt, poolPeaks } from '../pipeline/model';
import type { Diagnostic } from '../pipeline/util/diagnostic';
import { check, ROOT, runCli, tempDir } from './helpers';
import { haveChromium, inChromium, noteSkipped } from './browser';

const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');
const ROLLOUT = 'examples/mining-site-rollout.yaml';
const AWS = 'test/fixtures/timeline-aws.yaml';
const withoutWaivers = (s: string) => s.slice(0, s.indexOf('\nwaivers:') + 1);
const of = (ds: readonly Diagnostic[], rule: string) => ds.filter((d) => d.rule === rule);

describe('the mining-site rollout example', () => {
  const text = read(ROLLOUT);

  test('is judged at each phase date', () => {
    const r = check(text);
    // The phase dates; the dated waiver's bounds (2028-03-06, 2028-04-30 + 1 day) add none.
    expect(r.timeline!.map((s) => s.label)).toEqual([
      '2027-01-04',
      '2027-04-05',
      '2027-07-05',
      '2027-10-04',
      '2028-03-06',
      '2028-05-01',
    ]);
  });

  test('breaks the envelope from the second GB200 delivery until feeds 2 and 3 are energised', () => {
    const r = check(withoutWaivers(text));
    const env = of(r.diagnostics, 'GW-PWR-ENVELOPE');
    // IT: 1,024 × 10.2 kW + 768 × 14.3 kW + 128 × 132 kW = 38,323.2 kW; × PUE 1.25 = 47.904 MW > 40 MW.
    expect(env).toHaveLength(1);
    expect(env[0]).toMatchObject({ severity: 'error', date: '2028-03-06', until: '2028-05-01' });
    expect(env[0]!.message).toBe(
      "From 2028-03-06 until 2028-05-01: Site 'west-texas': facility load 47.90 MW (IT 38.32 MW × PUE 1.25) exceeds the usable 40.00 MW (40 MW utility, N) by 7.90 MW.",
    );
    // The 40 MW were set by the first phase: the finding points there, not at the 150 MW of the site body.
    const line = text.split('\n').findIndex((l) => l.includes('utilityMW: 40')) + 1;
    expect(env[0]!.line).toBe(line);
    // Before it: 1,024 × 10.2 + 768 × 14.3 + 64 × 132 = 29,875.2 kW × 1.25 = 37.344 MW, 93.4 % of 40 MW.
    const headroom = of(r.diagnostics, 'GW-PWR-HEADROOM');
    expect(headroom.map((d) => [d.date, d.until])).toEqual([['2027-10-04', '2028-03-06']]);
    expect(headroom[0]!.message).toContain('facility load 37.34 MW is 93.4 % of the usable 40.00 MW');
  });

  test('validates with the dated waiver, which covers exactly the break', () => {
    const r = check(text);
    expect(r.diagnostics.filter((d) => d.severity === 'error' && !d.waiver)).toEqual([]);
    const env = of(r.diagnostics, 'GW-PWR-ENVELOPE');
    expect(env).toHaveLength(1);
    expect(env[0]!.waiver).toBeDefined();
    expect(of(r.diagnostics, 'GW-WAIVER-UNUSED')).toEqual([]);
  });

  test('validate shows the days a dated waiver covers, not only the day it expires', () => {
    const span = 'waived from 2028-03-06 through 2028-04-30, expires 2028-05-01: The second GB200 delivery';
    const r = runCli(['validate', ROLLOUT]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`\n    ${span}`);
    expect(r.stdout).not.toContain('waived until');
    expect(runCli(['validate', ROLLOUT, '--format', 'markdown']).stdout).toContain(`— ${span}`);
    const sarif = JSON.parse(runCli(['validate', ROLLOUT, '--format', 'sarif']).stdout);
    const suppressed = sarif.runs[0].results.filter((x: { suppressions?: unknown }) => x.suppressions);
    expect(
      suppressed.map((x: { suppressions: { justification: string }[] }) => x.suppressions[0]!.justification),
    ).toEqual([expect.stringMatching(/\(from 2028-03-06 through 2028-04-30, expires 2028-05-01\)$/)]);
  });

  test('a waiver that ends early leaves the rest of the break as an error from the next day', () => {
    const r = check(text.replace('until: 2028-04-30', 'until: 2028-04-15'));
    const env = of(r.diagnostics, 'GW-PWR-ENVELOPE');
    expect(env.map((d) => [d.date, d.until, Boolean(d.waiver)])).toEqual([
      ['2028-03-06', '2028-04-16', true],
      ['2028-04-16', '2028-05-01', false],
    ]);
  });

  test('a waiver whose from is after its until is an error at its until', () => {
    const file = join(tempDir(), 'inverted.yaml');
    const inverted = text.replace('from: 2028-03-06', 'from: 2028-05-30');
    writeFileSync(file, inverted);
    const line = inverted.split('\n').indexOf('    until: 2028-04-30') + 1;
    const r = runCli(['validate', file]);
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n').filter((l) => l.includes('GW-WAIVER-RANGE'))).toEqual([
      `${file}:${line}:12  error  GW-WAIVER-RANGE  Waiver of GW-PWR-ENVELOPE for sites.west-texas runs from 2028-05-30 until 2028-04-30: from is after until, so it covers no date.`,
    ]);
    // It covers nothing, so the break it was written for is an error again.
    expect(r.stdout).toMatch(/error {2}GW-PWR-ENVELOPE {2}From 2028-03-06 until 2028-05-01: /);
    // One day (from = until) is a range.
    const oneDay = check(text.replace('from: 2028-03-06', 'from: 2028-04-30'));
    expect(of(oneDay.diagnostics, 'GW-WAIVER-RANGE')).toEqual([]);
  });

  test('the plan at a date is the body with every earlier phase applied', () => {
    const r = check(text);
    const spec = r.timeline![0]!.plan.spec;
    const at = (d: string) => planAt(spec, Date.parse(d));
    expect(at('2027-06-30').pools.map((p) => p.nodes)).toEqual([1024, 0, 0]);
    expect(at('2027-06-30').sites[0]!.power).toEqual({ utilityMW: 40, redundancy: 'N', feeds: 1, pue: 1.25 });
    expect(at('2028-05-01').sites[0]!.power).toEqual({
      utilityMW: 150,
      redundancy: 'N+1',
      feeds: 3,
      pue: 1.25,
    });
    expect(at('2027-07-05').sites[0]!.halls!.map((h) => h.racks)).toEqual([320, 240, 0]);
    expect(Object.fromEntries(poolPeaks(spec))).toEqual({ h200: 1024, b200: 768, gb200: 128 });
  });
});

describe('an AWS ramp with a quota increase and a Capacity Block', () => {
  const text = read(AWS);

  test('the quota is short from the doubling until the increase lands', () => {
    const r = check(text);
    const quota = of(r.diagnostics, 'GW-CAP-QUOTA');
    expect(quota.map((d) => [d.severity, d.date, d.until])).toEqual([['error', '2027-02-01', '2027-03-01']]);
    // 32 × 192 vCPUs = 6,144 > 3,072.
    expect(quota[0]!.message).toContain('need 6,144 vCPUs');
    expect(of(r.diagnostics, 'GW-CAP-BLOCK-WINDOW')).toEqual([]);
  });

  const gantt = (plan: string) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plan.yaml'), plan);
    const r = runCli(['report', join(dir, 'plan.yaml'), '--format', 'markdown']);
    expect(r.status).toBe(0);
    const out = r.stdout;
    const start = out.indexOf('```mermaid\n');
    expect(start).toBeGreaterThan(-1);
    return out.slice(start, out.indexOf('\n```\n', start) + 4).split('\n');
  };

  test('the Markdown report draws the block and the phases as a Mermaid gantt, UTC to the minute', () => {
    const lines = gantt(text);
    expect(lines.slice(0, 5)).toEqual([
      '```mermaid',
      'gantt',
      '    title Capacity Blocks and phases (UTC)',
      '    dateFormat YYYY-MM-DD HH:mm',
      '    axisFormat %Y-%m-%d',
    ]);
    expect(lines.slice(5, 7)).toEqual([
      '    section Capacity Blocks',
      '    Capacity Block cr-0abc1234def567890 :b1, 2027-01-04 11:30, 2027-01-18 11:30',
    ]);
    // Each phase lasts until the next one; the last, which holds on, is drawn a day long (its own date is
    // the last judged one). The `;` of the first description would end a Mermaid statement: dropped.
    expect(lines.slice(7)).toEqual([
      '    section Phases',
      '    First 16 H100 instances the Trn2 block has not opened :b0, 2027-01-01 00:00, 2027-01-04 11:30',
      '    Capacity Block opens :b2, 2027-01-04 11:30, 2027-01-18 11:30',
      '    Capacity Block ends :b3, 2027-01-18 11:30, 2027-02-01 00:00',
      '    H100 pool doubles :b4, 2027-02-01 00:00, 2027-03-01 00:00',
      '    P quota increase granted :b5, 2027-03-01 00:00, 2027-03-02 00:00',
      '```',
    ]);
  });

  test('a phase description cannot add Mermaid statements, comments or links to the gantt', () => {
    const hostile =
      'x :b9, 2000-01-01 00:00, 2099-01-01 00:00\\n    click b0 href \\"javascript:alert(1)\\" %% #1;';
    const lines = gantt(text.replace('description: H100 pool doubles', `description: "${hostile}"`));
    expect(lines).toHaveLength(14);
    const bar = lines.find((l) => l.includes(':b4,'))!;
    expect(bar).toBe(
      '    x b9, 2000-01-01 00 00, 2099-01-01 00 00 n click b0 href javascript alert(1) 1 :b4, 2027-02-01 00:00, 2027-03-01 00:00',
    );
    expect(lines.filter((l) => /^\s*click\b|%%/.test(l))).toEqual([]);
  });

  test('instances before the block opens fail for exactly the hours before 11:30 UTC', () => {
    const r = check(text.replace('date: 2027-01-04T11:30:00Z', 'date: 2027-01-04'));
    const w = of(r.diagnostics, 'GW-CAP-BLOCK-WINDOW');
    expect(w.map((d) => [d.date, d.until])).toEqual([['2027-01-04', '2027-01-04T11:30Z']]);
    expect(w[0]!.message).toContain('opens at 2027-01-04T11:30Z');
    const line = text.split('\n').findIndex((l) => l.includes('{ name: trn2, instances: 16 }')) + 1;
    expect(w[0]!.line).toBe(line);
  });

  test('instances kept past the end of the block fail from its end', () => {
    const r = check(text.replace(/ {2}- date: 2027-01-18T11:30:00Z\n.*\n.*\n/, ''));
    const w = of(r.diagnostics, 'GW-CAP-BLOCK-WINDOW');
    expect(w.map((d) => [d.date, d.until])).toEqual([['2027-01-18T11:30Z', undefined]]);
    expect(w[0]!.message).toContain('ended at 2027-01-18T11:30Z');
  });

  test('a phase naming an unknown pool, or counting nodes of an AWS pool, is an error at its line', () => {
    const r = check(text.replace('{ name: h100, instances: 32 }', '{ name: h10, nodes: 32 }'));
    const t = of(r.diagnostics, 'GW-PLAN-TIMELINE');
    expect(t).toHaveLength(1);
    expect(t[0]!.message).toContain(
      "changes pool 'h10', which the plan does not define. Did you mean 'h100'?",
    );
    expect(t[0]!.date).toBeUndefined();
    const r2 = check(text.replace('{ name: h100, instances: 32 }', '{ name: h100, nodes: 32 }'));
    expect(of(r2.diagnostics, 'GW-PLAN-TIMELINE')[0]!.message).toContain('sets nodes of pool');
  });

  test('two phases on one date are an error at the later date, whichever way the date is written', () => {
    const file = join(tempDir(), 'same-date.yaml');
    // 2027-02-01T00:00:00Z is the instant 2027-02-01 names.
    writeFileSync(file, text.replace('- date: 2027-03-01\n', '- date: 2027-02-01T00:00:00Z\n'));
    const line = text.split('\n').indexOf('  - date: 2027-03-01') + 1;
    const r = runCli(['validate', file]);
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n').filter((l) => l.includes('GW-PLAN-TIMELINE'))).toEqual([
      `${file}:${line}:11  error  GW-PLAN-TIMELINE  Phase timeline[4] (2027-02-01T00:00:00Z) has the same date as timeline[3] (2027-02-01): both would apply at once, the later overriding the earlier field by field.`,
    ]);
    expect(r.stdout).toContain(
      '    fix: Merge the two phases into one, or correct the date of timeline[4].\n',
    );
  });

  test('a pool listed twice in one phase is an error at its second entry', () => {
    const file = join(tempDir(), 'twice.yaml');
    const twice = text.replace(
      'pools: [{ name: h100, instances: 16 }, { name: trn2, instances: 0 }]',
      'pools: [{ name: h100, instances: 16 }, { name: trn2, instances: 0 }, { name: h100, instances: 8 }]',
    );
    writeFileSync(file, twice);
    const line = twice.split('\n').findIndex((l) => l.includes('{ name: h100, instances: 8 }')) + 1;
    const col = twice.split('\n')[line - 1]!.lastIndexOf('h100') + 1;
    const r = runCli(['validate', file]);
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n').filter((l) => l.includes('GW-PLAN-TIMELINE'))).toEqual([
      `${file}:${line}:${col}  error  GW-PLAN-TIMELINE  Phase 2027-01-01 lists pool 'h100' twice (timeline[0].pools[0] and timeline[0].pools[2]); the later entry would silently override the earlier one.`,
    ]);
  });

  test('a site, or a hall of a site, listed twice in one phase is an error', () => {
    const rollout = read(ROLLOUT);
    const site = of(
      check(
        rollout.replace(
          'sites: [{ name: west-texas, halls: [{ name: hall-b, racks: 240 }] }]',
          'sites: [{ name: west-texas, halls: [{ name: hall-b, racks: 240 }] }, { name: west-texas }]',
        ),
      ).diagnostics,
      'GW-PLAN-TIMELINE',
    );
    expect(site.map((d) => [d.path, d.date])).toEqual([['timeline[2].sites[1].name', undefined]]);
    expect(site[0]!.message).toContain("lists site 'west-texas' twice");
    const hall = of(
      check(
        rollout.replace(
          'halls: [{ name: hall-b, racks: 240 }]',
          'halls: [{ name: hall-b, racks: 240 }, { name: hall-b, racks: 200 }]',
        ),
      ).diagnostics,
      'GW-PLAN-TIMELINE',
    );
    expect(hall.map((d) => d.path)).toEqual(['timeline[2].sites[0].halls[1].name']);
    expect(hall[0]!.message).toContain("lists hall 'hall-b' of site 'west-texas' twice");
  });

  test('synth --at two dates: same resources and addresses, only sizes differ', () => {
    const a = tempDir();
    const b = tempDir();
    const one = runCli(['synth', AWS, '--force', '--at', '2027-01-05', '-o', a]);
    const two = runCli(['synth', AWS, '--force', '--at', '2027-03-15', '-o', b]);
    expect([one.status, two.status]).toEqual([0, 0]);
    const stack = (dir: string) =>
      JSON.parse(readFileSync(join(dir, 'terraform/stacks/ohio/cdk.tf.json'), 'utf8')) as {
        resource: Record<string, Record<string, unknown>>;
      };
    // Scheduled actions whose time has passed are dropped (AWS rejects a start time in the past): the
    // later date keeps a subset of them; everything else keeps its address.
    const schedulesOf = (s: { resource: Record<string, Record<string, unknown>> }) => {
      const names = Object.keys(s.resource.aws_autoscaling_schedule ?? {});
      delete s.resource.aws_autoscaling_schedule;
      return names;
    };
    const sa = stack(a);
    const sb = stack(b);
    const [schedA, schedB] = [schedulesOf(sa), schedulesOf(sb)];
    expect(schedA).toEqual([expect.stringMatching(/block-end/)]);
    expect(schedB).toEqual([]);
    const addresses = (s: typeof sa) =>
      Object.entries(s.resource).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`));
    expect(addresses(sb)).toEqual(addresses(sa));
    const differs: string[] = [];
    const walk = (x: unknown, y: unknown, path: string) => {
      if (x && y && typeof x === 'object' && typeof y === 'object') {
        for (const k of new Set([...Object.keys(x), ...Object.keys(y)]))
          walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${path}.${k}`);
      } else if (x !== y) differs.push(path);
    };
    walk(sa.resource, sb.resource, 'resource');
    expect(differs.length).toBeGreaterThan(0);
    for (const p of differs) expect(p).toMatch(/\.scaling_config\.(desired_size|min_size|max_size)$/);
    // The pools' node groups (the cluster's system node group does not change with the plan date).
    const poolGroups = (s: typeof sa) =>
      Object.entries(
        s.resource.aws_eks_node_group as Record<string, { scaling_config: { desired_size: number } }>,
      ).filter(([id]) => id.startsWith('pool-'));
    const groups = Object.fromEntries(poolGroups(sa));
    const sizes = (s: typeof sa) => poolGroups(s).map(([, g]) => g.scaling_config.desired_size);
    expect(Object.keys(groups).length).toBe(2);
    // 2027-01-05: 16 H100, and the Trn2 block is active, so its group is sized directly at 16 (the
    // block-start action would be in the past); 2027-03-15: 32 H100 and the block is over.
    expect(sizes(sa).sort((x, y) => x - y)).toEqual([16, 16]);
    expect(sizes(sb).sort((x, y) => x - y)).toEqual([0, 32]);
  });

  test('--at before the first phase or not a date is a usage error', () => {
    const out = tempDir();
    const early = runCli(['synth', AWS, '--at', '2026-12-01', '-o', out]);
    expect(early.status).toBe(2);
    expect(early.stderr).toContain("before the plan's first phase (2027-01-01)");
    const bad = runCli(['synth', AWS, '--at', 'next monday', '-o', out]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('is not a date');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  // Date.parse rolls these into the next month (2027-02-30 is 2 March): the calendar must reject them.
  test.each([
    ['2027-02-30', 'February 2027 has 28 days'],
    ['2026-02-29', 'February 2026 has 28 days'],
    ['2027-04-31', 'April 2027 has 30 days'],
    ['2027-13-01', 'there is no month 13'],
    ['2027-02-30T11:30:00Z', 'February 2027 has 28 days'],
    ['2027-01-05T24:00:00Z', 'the time of day does not exist'],
  ])('--at %s, not a day of the calendar, is a usage error naming it', (at, why) => {
    const out = join(tempDir(), 'out');
    const r = runCli(['synth', AWS, '--force', '--at', at, '-o', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `gigawatt: --at "${at}" is not a date: ${why}; write 2027-03-01 or 2027-03-01T11:30:00Z.\n`,
    );
    expect(existsSync(out)).toBe(false);
  });

  test.each([
    ['2027-02-30', "found '2027-02-30', which is not a date: February 2027 has 28 days."],
    [
      '2027-2-1',
      "found '2027-2-1', expected a date such as 2027-03-31 or an RFC 3339 date-time such as 2027-01-04T11:30:00Z.",
    ],
  ])('a phase dated %s is one schema error, at the line of the date', (date, found) => {
    const file = join(tempDir(), 'bad-date.yaml');
    const bad = text.replace('- date: 2027-02-01\n', `- date: ${date}\n`);
    writeFileSync(file, bad);
    const line = bad.split('\n').findIndex((l) => l === `  - date: ${date}`) + 1;
    expect(line).toBeGreaterThan(0);
    const r = runCli(['validate', file]);
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n').filter((l) => l.includes('GW-SCHEMA'))).toEqual([
      `${file}:${line}:11  error  GW-SCHEMA  timeline[3].date: ${found}`,
    ]);
    expect(r.stdout).toContain(
      '    fix: Write a date (2027-03-01, midnight UTC) or an instant (2027-03-01T11:30:00Z).\n',
    );
    expect(r.stdout).toContain(': 1 error, 0 warnings');
  });

  test('--at the leap day of a leap year is a date', () => {
    const r = runCli(['report', AWS, '--format', 'json', '--at', '2028-02-29']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ asOf: '2028-02-29' });
  });
});

describe('a timeline of one phase that changes nothing', () => {
  // Plans without Capacity Block windows: on a timeline a block's window binds (GW-CAP-BLOCK-WINDOW).
  const cases = ['examples/p5-efa.yaml', 'examples/mining-site-dgx.yaml'];
  const strip = (ds: readonly Diagnostic[]) =>
    ds.map((d) => ({ rule: d.rule, severity: d.severity, path: d.path, message: d.message, line: d.line }));

  test('judges the plan exactly as the plan without a timeline', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...cases),
        fc.date({
          min: new Date('2026-01-01T00:00:00Z'),
          max: new Date('2030-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.boolean(),
        (file, when, restate) => {
          const text = read(file);
          const plain = check(text);
          const pools = restate
            ? `\n    pools: [${plain.plan!.pools.map((p) => `{ name: ${p.name}, ${p.spec.instances !== undefined ? 'instances' : 'nodes'}: ${p.nodes} }`).join(', ')}]`
            : '';
          const phased = check(`${text.trimEnd()}\ntimeline:\n  - date: ${when.toISOString()}${pools}\n`);
          expect(phased.timeline).toHaveLength(1);
          const lines = restate
            ? (ds: ReturnType<typeof strip>) => ds.map(({ line: _l, ...d }) => d)
            : (ds: ReturnType<typeof strip>) => ds;
          expect(lines(strip(phased.diagnostics))).toEqual(lines(strip(plain.diagnostics)));
        },
      ),
      { numRuns: 12 },
    );
  });

  test('evaluation instants are the phase dates, sorted, with later block bounds', () => {
    const spec = check(read(AWS)).timeline![0]!.plan.spec;
    expect(evaluationInstants(spec).map(dateLabel)).toEqual([
      '2027-01-01',
      '2027-01-04T11:30Z',
      '2027-01-18T11:30Z',
      '2027-02-01',
      '2027-03-01',
    ]);
  });
});

noteSkipped('the timeline in the HTML report');
(haveChromium ? describe : describe.skip)('the timeline in the HTML report (headless Chromium)', () => {
  test('timeline, racks and Gantt charts draw every date and phase, offline, without errors', async () => {
    const out = tempDir();
    expect(runCli(['report', ROLLOUT, '--at', '2028-06-01', '--out', out]).status).toBe(0);
    const run = await inChromium(join(out, 'report.html'), { width: 1200, height: 2000 }, async (page) => {
      await page.waitForFunction(() => document.querySelectorAll('canvas').length === 6);
      const drawn = await page.evaluate(() => {
        type Meta = { data: { x: number; y: number; width?: number; base?: number }[] };
        const chart = (id: string) =>
          (
            window as unknown as { Chart: { getChart(c: Element): { getDatasetMeta(i: number): Meta } } }
          ).Chart.getChart(document.getElementById(id)!)!;
        const points = (id: string, i: number) => chart(id).getDatasetMeta(i).data.length;
        const bars = chart('gantt')
          .getDatasetMeta(0)
          .data.map((b) => Math.round(Math.abs(b.x - (b.base ?? b.x))));
        return { facility: points('timeline', 0), racks: points('timeline-racks', 0), bars };
      });
      const text = await page.textContent('body');
      mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
      await page.screenshot({ path: join(ROOT, 'test-artifacts', 'timeline-report.png'), fullPage: true });
      return { drawn, text };
    });
    const { drawn, text } = run.value;
    expect(drawn.facility).toBe(6);
    expect(drawn.racks).toBe(6);
    expect(drawn.bars).toHaveLength(6);
    for (const w of drawn.bars) expect(w).toBeGreaterThan(2);
    expect(text).toContain('First date each constraint breaks');
    expect(text).toContain('GW-PWR-ENVELOPE (waived)');
    expect(run.errors).toEqual([]);
    expect(run.requests).toEqual([]);
  }, 60000);
});

describe('diff and validate over a timeline', () => {
  test('diff says how a change moves the first break; validate names the judged dates', () => {
    const dir = tempDir();
    const base = withoutWaivers(read(ROLLOUT));
    writeFileSync(join(dir, 'base.yaml'), base);
    writeFileSync(join(dir, 'early.yaml'), base.replace('date: 2028-03-06', 'date: 2027-12-06'));
    const d = runCli(['diff', join(dir, 'base.yaml'), join(dir, 'early.yaml'), '--at', '2028-06-01']);
    expect(d.status).toBe(0);
    expect(d.stdout).toContain(
      '- `GW-PWR-ENVELOPE` sites.west-texas: breaks (unwaived) from 2027-12-06 until 2028-05-01 instead of from 2028-03-06 until 2028-05-01',
    );
    const v = runCli(['validate', ROLLOUT]);
    expect(v.status).toBe(0);
    expect(v.stdout).toContain('timeline: judged at 6 dates from 2027-01-04 to 2028-05-01');
  });

  test('a dated waiver that matches nothing on its dates is reported unused once', () => {
    const text = read(ROLLOUT).replace('rule: GW-PWR-ENVELOPE', 'rule: GW-CAP-QUOTA');
    const unused = of(check(text).diagnostics, 'GW-WAIVER-UNUSED');
    expect(unused).toHaveLength(1);
    expect(unused[0]!.date).toBeUndefined();
  });

  // The waiver covers 2028-03-06 through 2028-04-30; energising the feeds a month later leaves May unwaived.
  const feedLater = (dir: string) => {
    writeFileSync(
      join(dir, 'feed-later.yaml'),
      read(ROLLOUT).replace('- date: 2028-05-01', '- date: 2028-06-01'),
    );
    return join(dir, 'feed-later.yaml');
  };

  test('diff compares waived and unwaived ranges apart, and fails on the new unwaived range', () => {
    const head = feedLater(tempDir());
    const v = runCli(['validate', head]);
    expect(v.status).toBe(1);
    expect(v.stdout).toMatch(
      /error {2}GW-PWR-ENVELOPE {2}From 2028-05-01 until 2028-06-01: .* by 7\.90 MW\./,
    );
    const d = runCli(['diff', ROLLOUT, head]);
    expect(d.stdout).toContain(
      '- `GW-PWR-ENVELOPE` sites.west-texas: breaks (unwaived) from 2028-05-01 until 2028-06-01 instead of never',
    );
    // The waived range is the same on both sides: no line for it.
    expect(d.stdout).not.toContain('breaks (waived)');
    expect(d.status).toBe(1);
    expect(runCli(['diff', ROLLOUT, head, '--fail-on', 'none']).status).toBe(0);
    // Undoing the change adds nothing.
    expect(runCli(['diff', head, ROLLOUT]).status).toBe(0);
  });

  test('diff fails on an unwaived error or warning the head adds on any date, not only at --at', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'no-waiver.yaml'), withoutWaivers(read(ROLLOUT)));
    const d = runCli(['diff', ROLLOUT, join(dir, 'no-waiver.yaml'), '--at', '2027-01-04']);
    expect(d.stdout).toContain(
      '- `GW-PWR-ENVELOPE` sites.west-texas: breaks (unwaived) from 2028-03-06 until 2028-05-01 instead of never',
    );
    expect(d.stdout).toContain(
      '- `GW-PWR-ENVELOPE` sites.west-texas: breaks (waived) never instead of from 2028-03-06 until 2028-05-01',
    );
    // Nothing differs at 2027-01-04 itself; validate of the head fails, and so does diff.
    expect(d.stdout).not.toContain('### Findings');
    expect(d.status).toBe(1);
    expect(runCli(['validate', join(dir, 'no-waiver.yaml')]).status).toBe(1);
    // 32 GB200 racks from 2027-10-04 keep 20 % headroom (1,024 × 10.2 + 768 × 14.3 + 32 × 132 kW × 1.25 =
    // 32.06 MW of 40 MW); 64 racks are 93.4 %, a new warning from 2027-10-04 until 2028-03-06.
    writeFileSync(
      join(dir, 'fewer.yaml'),
      read(ROLLOUT).replace('{ name: gb200, nodes: 64 }', '{ name: gb200, nodes: 32 }'),
    );
    const w = ['diff', join(dir, 'fewer.yaml'), ROLLOUT, '--at', '2027-01-04'];
    expect(runCli(w).status).toBe(0);
    expect(runCli([...w, '--fail-on', 'warning']).status).toBe(1);
    expect(runCli(['diff', ROLLOUT, join(dir, 'fewer.yaml'), '--fail-on', 'warning']).status).toBe(0);
  });

  test('report lists waived and unwaived ranges of a break as separate rows', () => {
    const head = feedLater(tempDir());
    const json = runCli(['report', head, '--format', 'json']);
    expect(json.status).toBe(0);
    const breaks = (JSON.parse(json.stdout) as { timeline: { breaks: Record<string, unknown>[] } }).timeline
      .breaks;
    expect(
      breaks.filter((b) => b.rule === 'GW-PWR-ENVELOPE').map((b) => [b.date, b.until, b.waived]),
    ).toEqual([
      ['2028-03-06', '2028-05-01', true],
      ['2028-05-01', '2028-06-01', false],
    ]);
    const md = runCli(['report', head]).stdout;
    expect(md).toContain('| 2028-03-06 | 2028-05-01 | `GW-PWR-ENVELOPE` (waived) | sites.west-texas |');
    expect(md).toContain('| 2028-05-01 | 2028-06-01 | `GW-PWR-ENVELOPE` | sites.west-texas |');
  });

  test('report states its date and counts the errors on the other dates of the timeline', () => {
    const head = feedLater(tempDir());
    const md = runCli(['report', head, '--at', '2027-01-04']);
    expect(md.status).toBe(0);
    expect(md.stdout).toContain('## gigawatt report: mining-rollout as of 2027-01-04\n');
    expect(md.stdout).toContain('❌ no errors, 1 warning(s) at 2027-01-04; 1 error(s) from 2028-05-01 · ');
    const html = runCli(['report', head, '--at', '2027-01-04', '--format', 'html']).stdout;
    expect(html).toContain('<h1>gigawatt report: mining-rollout as of 2027-01-04</h1>');
    expect(html).toContain(
      '<p class="bad">No errors, 1 warning(s) at 2027-01-04; 1 error(s) from 2028-05-01.</p>',
    );
    const json = JSON.parse(runCli(['report', head, '--at', '2027-01-04', '--format', 'json']).stdout);
    expect(json).toMatchObject({
      asOf: '2027-01-04',
      diagnostics: { errors: 0, otherDates: { errors: 1, from: '2028-05-01' } },
    });
    // In the range itself the error is counted at the date, not again as another date's.
    const may = runCli(['report', head, '--at', '2028-05-15']).stdout;
    expect(may).toContain('❌ 1 error(s), 1 warning(s) at 2028-05-15 · ');
    // The example, waived throughout its break, has no errors on any date.
    const ok = runCli(['report', ROLLOUT, '--at', '2027-01-04']).stdout;
    expect(ok).toContain('✅ no errors, 1 warning(s) at 2027-01-04 · ');
  });
});
