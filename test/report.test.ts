/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReport, diffReports, poolCells, reportHtml, reportMarkdown } from '../pipeline/report';
import { RULE_PAGES } from '../pipeline/rules/pages';
import { haveChromium, inChromium, noteSkipped } from './browser';
import { BEFORE_BLOCKS, ROOT, check, daysFromNow, runCli, tempDir } from './helpers';

/** frontier.yaml has a Capacity Block pool: its Terraform is diffed as of a fixed instant. */
const AT = ['--at', BEFORE_BLOCKS];

const report = (yaml: string) => {
  const r = check(yaml);
  return { data: buildReport(r.plan!, r.diagnostics, 'test'), diagnostics: r.diagnostics };
};

const mixed = `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: mixed }
sites:
  - { name: va, provider: aws, region: us-east-1, quotas: { P: 100000, G: 100000, Trn: 100000 } }
  - { name: dc, provider: onprem, power: { utilityMW: 20, redundancy: 2N, pue: 1.3 } }
pools:
  - { name: h100, site: va, instanceType: p5.48xlarge, instances: 10 }
  - { name: l40s, site: va, instanceType: g6e.48xlarge, instances: 4 }
  - { name: trn, site: va, instanceType: trn2.48xlarge, instances: 2, capacity: { type: capacity-block } }
  - { name: dgx, site: dc, system: dgx-b200, nodes: 100 }
`;

describe('report totals (hand-computed)', () => {
  const { data } = report(mixed);
  test('accelerators, nodes, vCPUs', () => {
    expect(data.totals).toMatchObject({
      nodes: 116,
      accelerators: 80 + 32 + 32 + 800,
      vcpus: (10 + 4 + 2) * 192,
    });
    expect(data.acceleratorsByModel).toEqual({ 'H100 80GB': 80, L40S: 32, Trainium2: 32, B200: 800 });
  });
  test('power: 100 x 14.3 kW = 1.43 MW IT, x 1.3 = 1.859 MW facility of 10 MW usable (2N of 20 MW)', () => {
    const dc = data.sites.find((s) => s.name === 'dc')!;
    expect(dc.itMW).toBeCloseTo(1.43, 9);
    expect(dc.facilityMW).toBeCloseTo(1.859, 9);
    expect(dc.usableMW).toBe(10);
    expect(dc.utilization).toBeCloseTo(0.1859, 9);
  });
  test('cost: 10 x $55.04 + 4 x $30.13118 per hour; the Capacity Block pool is unknown, the on-prem pool not applicable', () => {
    expect(data.totals.knownUsdPerHour).toBeCloseTo(550.4 + 120.52472, 6);
    expect(data.totals.knownUsdPerMonth).toBeCloseTo((550.4 + 120.52472) * 730, 4);
    expect(data.totals.pricedPools).toBe(2);
    expect(data.unknownPrices).toEqual([
      { pool: 'trn', reason: 'Capacity Block prices are set per reservation and not in the catalog' },
    ]);
    expect(data.pools.find((p) => p.name === 'dgx')!.priceBasis).toBe('not applicable');
  });
});

describe('unknown prices are never shown as $0', () => {
  const unpriced = mixed.replace(/ {2}- \{ name: (h100|l40s).*\n/g, '');
  test.each([
    ['markdown', () => reportMarkdown(report(unpriced).data)],
    ['html', () => reportHtml(report(unpriced).data)],
  ])('%s', (_f, render) => {
    const text = render();
    expect(text).not.toMatch(/\$0\.00/);
    expect(text).toMatch(/unknown \(1 pool with unknown price\)/);
    expect(text).toContain('trn');
  });
  test('a type without a published on-demand price is unknown with its reason', () => {
    const { data } = report(
      mixed.replace(
        'trn2.48xlarge, instances: 2, capacity: { type: capacity-block }',
        'trn2.48xlarge, instances: 2',
      ),
    );
    expect(data.unknownPrices).toEqual([
      { pool: 'trn', reason: 'no published on-demand list price for trn2.48xlarge' },
    ]);
  });
});

describe('diff', () => {
  test('a resized copy shows exactly the resized pool and its power and cost deltas', () => {
    const base = report(mixed);
    const head = report(
      mixed
        .replace('dgx-b200, nodes: 100', 'dgx-b200, nodes: 150')
        .replace('p5.48xlarge, instances: 10', 'p5.48xlarge, instances: 12'),
    );
    const d = diffReports(base.data, head.data, base.diagnostics, head.diagnostics);
    expect(d.pools.map((p) => [p.name, p.change])).toEqual([
      ['dgx', 'resized'],
      ['h100', 'resized'],
    ]);
    const dgx = d.pools.find((p) => p.name === 'dgx')!;
    expect(dgx.nodes).toEqual({ base: 100, head: 150, delta: 50 });
    expect(dgx.itKW.delta).toBeCloseTo(715, 6);
    expect(dgx.owned).toBe(true);
    const h100 = d.pools.find((p) => p.name === 'h100')!;
    expect(h100.usdPerHour!.delta).toBeCloseTo(110.08, 6);
    expect(d.totals.facilityMW.delta).toBeCloseTo(0.715 * 1.3, 9);
    expect(d.totals.accelerators.delta).toBe(400 + 16);
    expect(d.sites).toEqual({ added: [], removed: [] });
    // The rows as both diff forms print them: an AWS pool's power is AWS's, an on-prem pool has no price.
    expect(poolCells(h100)).toEqual(['h100', 'resized', '10 → 12', '+16', 'AWS-owned', '+$110.08']);
    expect(poolCells(dgx)).toEqual(['dgx', 'resized', '100 → 150', '+400', '+0.72 MW', 'n/a']);
  });

  test('gigawatt diff --fail-on-increase power exits 1 only when power grows', () => {
    const dir = tempDir();
    const head = join(dir, 'head.yaml');
    writeFileSync(
      head,
      readFileSync(join(ROOT, 'examples/frontier.yaml'), 'utf8').replace('nodes: 2048', 'nodes: 2560'),
    );
    const grow = runCli(['diff', 'examples/frontier.yaml', head, ...AT, '--fail-on-increase', 'power']);
    expect(grow.status).toBe(1);
    expect(grow.stdout).toContain('| h200 | resized | 2,048 → 2,560 | +4,096 | +5.22 MW | n/a |');
    expect(
      runCli(['diff', head, 'examples/frontier.yaml', ...AT, '--fail-on-increase', 'power']).status,
    ).toBe(0);
    // The growth needs 640 racks of a 600-rack hall: a new error, so plain diff fails (--fail-on error).
    const plain = runCli(['diff', 'examples/frontier.yaml', head, ...AT]);
    expect(plain.status).toBe(1);
    expect(plain.stdout).toContain(
      "- 🆕 **error** `GW-PWR-RACKS` Hall 'hall-a' of site 'abilene' needs 640 racks",
    );
    // A warning whose number moves is one changed finding, not a new one plus a resolved one.
    expect(plain.stdout).toContain(
      "- 🔁 changed **warning** `GW-PWR-ESTIMATE` Fabric 'abilene-ib': 1,600 switches with unknown power are left out of the IT load of site 'abilene'. (was: Fabric 'abilene-ib': 1,280 switches",
    );
    expect(plain.stdout).not.toContain('resolved `GW-PWR-ESTIMATE`');
    // Each new or changed finding says where it is in head (file:line, plan path) and how to fix it.
    const lines = plain.stdout.split('\n');
    expect(
      lines
        .find((l) => l.startsWith('- 🆕 **error** `GW-PWR-RACKS`'))
        ?.split(' — ')
        .slice(1),
    ).toEqual([
      `at \`${head}:21\` sites\\[1\\].halls\\[0\\].racks`,
      'fix: Add racks, move a pool to another hall, or shrink it.',
    ]);
    expect(lines.find((l) => l.startsWith('- 🔁 changed **warning** `GW-PWR-ESTIMATE`'))).toContain(
      `— at \`${head}:24\` fabrics\\[1\\] — fix: Set fabrics\\[\\].switchKW (per switch, optics included) from the switch datasheet.`,
    );
    expect(runCli(['diff', 'examples/frontier.yaml', head, ...AT, '--fail-on', 'none']).status).toBe(0);
    // Going back resolves the error and adds nothing; the resolved one says where it was, in base.
    const back = runCli(['diff', head, 'examples/frontier.yaml', ...AT]);
    expect(back.status).toBe(0);
    expect(back.stdout).toContain(
      `- ✅ resolved \`GW-PWR-RACKS\` Hall 'hall-a' of site 'abilene' needs 640 racks (h200 640) but has 600. — was at \`${head}:21\` sites\\[1\\].halls\\[0\\].racks\n`,
    );
    const json = JSON.parse(
      runCli(['diff', 'examples/frontier.yaml', head, ...AT, '--format', 'json']).stdout,
    );
    expect(json.totals.accelerators.delta).toBe(4096);
  });
});

describe('gigawatt report (spawned)', () => {
  test('report.md and report.html list every finding: severity, rule, file:line, finding and fix', () => {
    const dir = tempDir();
    const plan = join(dir, 'plan.yaml');
    // Too few racks (error), air density (info) and estimated power (info), with a waived one (a waiver
    // runs at most 90 days from the run date).
    const expires = daysFromNow(30);
    writeFileSync(
      plan,
      RULE_PAGES['GW-PWR-RACKS']!.example! +
        `waivers:\n  - { rule: GW-PWR-AIR-DENSITY, target: sites.dc, reason: rear doors fitted, expires: ${expires} }\n`,
    );
    const findings = JSON.parse(runCli(['validate', '--format', 'json', plan]).stdout).diagnostics as {
      severity: string;
      rule: string;
      line: number;
      message: string;
      hint: string;
      waiver?: unknown;
    }[];
    expect(findings.map((f) => f.rule).sort()).toEqual([
      'GW-PWR-AIR-DENSITY',
      'GW-PWR-ESTIMATE',
      'GW-PWR-RACKS',
    ]);
    expect(findings.find((f) => f.rule === 'GW-PWR-AIR-DENSITY')!.waiver).toBeDefined();
    const out = join(dir, 'report');
    expect(runCli(['report', plan, '--out', out]).status).toBe(0);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const htmlEsc = (x: string) =>
      x
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/'/g, '&#39;')
        .replace(/"/g, '&quot;');
    // Markdown shows brackets and pipes of the plan's words as text: backslash-escaped.
    const mdEsc = (x: string) => x.replace(/[\\[\]|]/g, (c) => `\\${c}`);
    for (const f of findings) {
      const sev = f.waiver ? `${f.severity} (waived)` : f.severity;
      expect(md).toContain(`| ${sev} | \`${f.rule}\` | \`${plan}:${f.line}\``);
      expect(md).toContain(mdEsc(f.message));
      expect(md).toContain(`| ${mdEsc(f.hint)} |`);
      expect(html).toContain(
        `<td><span class="sev-${f.severity}">${f.severity}</span>${f.waiver ? ' (waived)' : ''}</td>`,
      );
      expect(html).toContain(`<code>${htmlEsc(f.rule)}</code>`);
      expect(html).toContain(`<code>${htmlEsc(`${plan}:${f.line}`)}</code>`);
      expect(html).toContain(htmlEsc(f.message));
      expect(html).toContain(htmlEsc(f.hint));
    }
    expect(md).toContain(`waived until ${expires}: rear doors fitted`);
  });

  test('writes report.md, report.html and report.json atomically with --out', () => {
    const out = join(tempDir(), 'report');
    const r = runCli(['report', 'examples/mining-site-dgx.yaml', '--out', out]);
    expect(r.status).toBe(0);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('## gigawatt report: mining-retrofit');
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).totals.accelerators).toBe(23552);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });

  test('a plan that fails the schema exits 1 and writes nothing', () => {
    const out = join(tempDir(), 'report');
    const r = runCli(['report', 'test/fixtures/bad/mixed-errors.yaml', '--out', out]);
    expect(r.status).toBe(1);
    expect(existsSync(out)).toBe(false);
  });
});

noteSkipped('HTML report browser test');

(haveChromium ? describe : describe.skip)('HTML report in headless Chromium', () => {
  test('charts render, no console errors, no network, screenshot written', async () => {
    const dir = join(ROOT, 'test-artifacts');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'report.html');
    const { data } = report(readFileSync(join(ROOT, 'examples/mining-site-dgx.yaml'), 'utf8'));
    writeFileSync(file, reportHtml(data, [{ label: 'hall-a', used: 256, available: 320 }]));
    const { value, errors, requests } = await inChromium(
      file,
      { width: 1200, height: 1400 },
      async (page) => {
        await page.waitForFunction(() => document.querySelectorAll('canvas').length === 3);
        // A canvas that Chart.js drew on has non-transparent pixels.
        const painted = await page.evaluate(() =>
          [...document.querySelectorAll('canvas')].map((c) => {
            const ctx = (c as HTMLCanvasElement).getContext('2d')!;
            const { data } = ctx.getImageData(
              0,
              0,
              (c as HTMLCanvasElement).width,
              (c as HTMLCanvasElement).height,
            );
            let n = 0;
            for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
            return n;
          }),
        );
        // Every chart drew one bar per data point, each with a visible size.
        const bars = await page.evaluate(() =>
          [...document.querySelectorAll('canvas')].map((c) => {
            const chart = (
              window as unknown as {
                Chart: {
                  getChart(c: Element): { getDatasetMeta(i: number): { data: { height: number }[] } };
                };
              }
            ).Chart.getChart(c)!;
            return chart.getDatasetMeta(0).data.map((bar) => Math.round(Math.abs(bar.height)));
          }),
        );
        await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
        return { painted, bars };
      },
    );
    for (const px of value.painted) expect(px).toBeGreaterThan(500);
    expect(value.bars.map((b) => b.length)).toEqual([1, 3, 1]);
    for (const chart of value.bars) for (const h of chart) expect(h).toBeGreaterThan(5);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(existsSync(join(dir, 'report.png'))).toBe(true);
  });
});

describe('Terraform resources a change replaces', () => {
  test('a new VPC CIDR replaces the VPC and its subnets; renaming a pool destroys its node group', () => {
    const dir = tempDir();
    const text = readFileSync(join(ROOT, 'examples/frontier.yaml'), 'utf8');
    writeFileSync(join(dir, 'cidr.yaml'), text.replace('vpcCidr: 10.64.0.0/16', 'vpcCidr: 10.65.0.0/16'));
    writeFileSync(
      join(dir, 'rename.yaml'),
      text.replace('name: trn2-ultra\n    site: ohio', 'name: trn2-big\n    site: ohio'),
    );
    const cidr = JSON.parse(
      runCli(['diff', 'examples/frontier.yaml', join(dir, 'cidr.yaml'), ...AT, '--format', 'json']).stdout,
    ).terraform;
    expect(cidr.replaced).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ohio:aws_vpc\./),
        expect.stringMatching(/^ohio:aws_subnet\..*nodes/),
      ]),
    );
    expect(cidr.destroyed).toEqual([]);
    const rename = JSON.parse(
      runCli(['diff', 'examples/frontier.yaml', join(dir, 'rename.yaml'), ...AT, '--format', 'json']).stdout,
    ).terraform;
    expect(rename.destroyed).toContainEqual(
      expect.stringMatching(/^ohio:aws_eks_node_group\.pool-trn2-ultra_/),
    );
    expect(rename.added).toContainEqual(expect.stringMatching(/^ohio:aws_eks_node_group\.pool-trn2-big_/));
  });
});
