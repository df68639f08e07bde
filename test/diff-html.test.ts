/**
 * The plan diff per site (nodes, power against the envelope, racks) in every format, and the HTML form of
 * the diff: the report's look and escaping, every finding with its change, severity, rule, file:line and
 * fix, and every Terraform resource named.
 */
/// <reference lib="dom" />
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildReport,
  diffHtml,
  diffMarkdown,
  diffReports,
  esc,
  REPORT_CSS,
  siteCells,
  type PlanDiff,
} from '../pipeline/report';
import type { Diagnostic } from '../pipeline/util/diagnostic';
import { haveChromium, inChromium, noteSkipped } from './browser';
import { BEFORE_BLOCKS, ROOT, check, daysFromNow, runCli, tempDir } from './helpers';

const plan = `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: sites }
sites:
  - { name: va, provider: aws, region: us-east-1, quotas: { P: 100000 } }
  - name: dc
    provider: onprem
    power: { utilityMW: 20, redundancy: 2N, pue: 1.3 }
    halls: [{ name: hall-a, racks: 40, rackKW: 60, cooling: liquid }]
  - { name: quiet, provider: aws, region: us-west-2, quotas: { P: 100000 } }
pools:
  - { name: h100, site: va, instanceType: p5.48xlarge, instances: 10 }
  - { name: dgx, site: dc, system: dgx-b200, nodes: 100 }
  - { name: still, site: quiet, instanceType: p5.48xlarge, instances: 2 }
`;

const diffOf = (baseText: string, headText: string): PlanDiff => {
  const a = check(baseText);
  const b = check(headText);
  return diffReports(
    buildReport(a.plan!, a.diagnostics, 'test', 'base.yaml'),
    buildReport(b.plan!, b.diagnostics, 'test', 'head.yaml'),
    a.diagnostics,
    b.diagnostics,
  );
};

describe('per-site changes', () => {
  const d = diffOf(
    plan,
    plan
      .replace('dgx-b200, nodes: 100', 'dgx-b200, nodes: 150')
      .replace('p5.48xlarge, instances: 10', 'p5.48xlarge, instances: 12'),
  );
  const dc = d.siteChanges.find((s) => s.name === 'dc')!;
  const va = d.siteChanges.find((s) => s.name === 'va')!;

  test('only the sites whose figures move are listed; an untouched site is left out', () => {
    expect(d.siteChanges.map((s) => [s.name, s.change])).toEqual([
      ['dc', 'changed'],
      ['va', 'changed'],
    ]);
  });
  test('on-prem: 50 more DGX B200 at 14.3 kW = +0.715 MW IT, x 1.3 PUE = +0.9295 MW facility of 10 MW usable', () => {
    expect(dc.nodes).toEqual({ base: 100, head: 150, delta: 50 });
    expect(dc.accelerators).toEqual({ base: 800, head: 1200, delta: 400 });
    expect(dc.itMW.base).toBeCloseTo(1.43, 9);
    expect(dc.itMW.head).toBeCloseTo(2.145, 9);
    expect(dc.itMW.delta).toBeCloseTo(0.715, 9);
    expect(dc.facilityMW.delta).toBeCloseTo(0.9295, 9);
    expect(dc.usableMW).toEqual({ base: 10, head: 10, delta: 0 });
    expect(dc.utilization.base).toBeCloseTo(0.1859, 9);
    expect(dc.utilization.head).toBeCloseTo(0.27885, 9);
  });
  test('racks: 4 DGX B200 (10 U, 14.3 kW) per 42 U / 60 kW rack: 25 → 38 racks of 40', () => {
    expect(dc.racksUsed).toEqual({ base: 25, head: 38, delta: 13 });
    expect(dc.racksAvailable).toEqual({ base: 40, head: 40, delta: 0 });
  });
  test('an AWS site has nodes and accelerators, no power figures, and says AWS-owned', () => {
    expect(va.nodes.delta).toBe(2);
    expect(va.accelerators.delta).toBe(16);
    expect(va.itMW).toEqual({});
    expect(va.facilityMW).toEqual({});
    expect(siteCells(va)).toEqual([
      'va',
      'changed',
      '10 → 12 (+2)',
      '80 → 96 (+16)',
      'AWS-owned',
      '—',
      '—',
      '—',
      '—',
    ]);
  });
  test('the cells of the on-prem site, as Markdown and HTML show them', () => {
    expect(siteCells(dc)).toEqual([
      'dc',
      'changed',
      '100 → 150 (+50)',
      '800 → 1,200 (+400)',
      '1.43 MW → 2.15 MW (+0.72 MW)',
      '1.86 MW → 2.79 MW (+0.93 MW)',
      '10.00 MW',
      '18.6 % → 27.9 %',
      '25 / 40 → 38 / 40',
    ]);
    const md = diffMarkdown(d);
    expect(md).toContain(
      '| site | change | nodes | accelerators | IT | facility | usable | load | racks |\n|---|---|---:|---:|---:|---:|---:|---:|---:|',
    );
    expect(md).toContain(`| ${siteCells(dc).join(' | ')} |`);
    expect(md).toContain(`| ${siteCells(va).join(' | ')} |`);
    expect(md).not.toContain('| quiet |');
    expect(diffHtml(d)).toContain(
      `<tr>${siteCells(dc)
        .map((c) => `<td>${esc(c)}</td>`)
        .join('')}</tr>`,
    );
  });

  test('an added site has no base figures; a removed one no head figures; a region move is named', () => {
    const moved = plan.replace('region: us-west-2', 'region: us-east-2');
    const grown = moved.replace(
      'pools:\n',
      `  - { name: dc2, provider: onprem, power: { utilityMW: 5, pue: 1.2 } }\npools:\n  - { name: more, site: dc2, system: dgx-b200, nodes: 10 }\n`,
    );
    const added = diffOf(plan, grown);
    const dc2 = added.siteChanges.find((s) => s.name === 'dc2')!;
    expect(dc2.change).toBe('added');
    expect(dc2.nodes).toEqual({ base: 0, head: 10, delta: 10 });
    expect(dc2.itMW.base).toBeUndefined();
    expect(dc2.itMW.head).toBeCloseTo(0.143, 9);
    expect(dc2.itMW.delta).toBeUndefined();
    expect(siteCells(dc2)[4]).toBe('— → 0.14 MW');
    expect(added.siteChanges.find((s) => s.name === 'quiet')!.details).toEqual([
      'region us-west-2 → us-east-2',
    ]);
    const removed = diffOf(grown, plan).siteChanges.find((s) => s.name === 'dc2')!;
    expect(removed.change).toBe('removed');
    expect(removed.itMW.head).toBeUndefined();
  });

  test('two identical plans have no site changes and no Sites section', () => {
    const same = diffOf(plan, plan);
    expect(same.siteChanges).toEqual([]);
    expect(diffMarkdown(same)).not.toContain('### Sites');
    expect(diffHtml(same)).not.toContain('<h2>Sites</h2>');
  });
});

const finding = (over: Partial<Diagnostic>): Diagnostic => ({
  rule: 'GW-PWR-RACKS',
  severity: 'error',
  path: 'sites[1].halls[0].racks',
  target: 'sites.dc',
  line: 9,
  message: 'm',
  hint: 'h',
  ...over,
});

describe('diffHtml', () => {
  const base = diffOf(plan, plan);
  const d: PlanDiff = {
    ...base,
    findings: {
      new: [finding({ message: "Hall 'hall-a' needs 41 racks <b>", hint: 'Add racks & cool' })],
      waived: [],
      changed: [
        {
          base: finding({
            rule: 'GW-PWR-ESTIMATE',
            severity: 'info',
            line: 12,
            message: '1,280 switches',
            hint: 'Set switchKW.',
          }),
          head: finding({
            rule: 'GW-PWR-ESTIMATE',
            severity: 'warning',
            line: 14,
            message: '1,600 switches',
            hint: 'Set switchKW.',
          }),
        },
      ],
      resolved: [
        finding({ rule: 'GW-CAP-QUOTA', severity: 'warning', line: 5, message: 'no quota', hint: 'q' }),
      ],
    },
    terraform: {
      added: ['dc:aws_eks_node_group.pool-new_ab12'],
      updated: ['va:aws_eks_node_group.pool-h100_cd34'],
      replaced: ['va:aws_vpc.va-fabric_ef56'],
      destroyed: ['va:aws_launch_template.old_0099'],
      recycles: [{ address: 'va:aws_vpc.va-fabric_ef56', why: 'the VPC CIDR changes' }],
    },
  };
  const html = diffHtml(d);
  const cells = (row: string[]) => `<tr>${row.map((c) => `<td>${c}</td>`).join('')}</tr>`;

  test('a page in the look of the report: its style, no script, nothing fetched', () => {
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain(REPORT_CSS);
    expect(html).not.toMatch(/<script|<link|src=|href=/i);
    expect(html).toContain('<title>gigawatt diff: sites → sites</title>');
  });
  test('a new finding: change, severity, rule, file:line of the head plan, finding and fix, escaped', () => {
    expect(html).toContain(
      cells([
        '<span class="change-new">new</span>',
        '<span class="sev-error">error</span>',
        '<code>GW-PWR-RACKS</code>',
        '<code>head.yaml:9</code> sites[1].halls[0].racks',
        esc("Hall 'hall-a' needs 41 racks <b>"),
        'Add racks &amp; cool',
      ]),
    );
    expect(html).not.toContain('<b>"');
  });
  test('a changed finding shows what it was, and a severity that rose', () => {
    expect(html).toContain(
      cells([
        '<span class="change-changed">changed</span>',
        '<span class="sev-warning">warning</span> <span class="note">was info</span>',
        '<code>GW-PWR-ESTIMATE</code>',
        '<code>head.yaml:14</code> sites[1].halls[0].racks',
        '1,600 switches <span class="note">was: 1,280 switches</span>',
        'Set switchKW.',
      ]),
    );
  });
  test('a resolved finding is located in the base plan', () => {
    expect(html).toContain(
      cells([
        '<span class="change-resolved">resolved</span>',
        '<span class="sev-warning">warning</span>',
        '<code>GW-CAP-QUOTA</code>',
        '<code>base.yaml:5</code> sites[1].halls[0].racks',
        'no quota',
        '—',
      ]),
    );
  });
  test('the verdict counts new errors, warnings, changed and resolved', () => {
    expect(html).toContain('<p class="bad">1 new error(s), 0 new warning(s), 1 changed, 1 resolved.</p>');
    expect(diffHtml(base)).toContain(
      '<p class="">no new errors, 0 new warning(s), 0 changed, 0 resolved.</p>',
    );
    expect(diffHtml(base)).toContain('<p>No finding is new, changed, waived or resolved.</p>');
  });
  test('every Terraform resource is named with its action; recycles are called out', () => {
    expect(html).toContain('<p>1 added, 1 updated in place, 1 replaced, 1 destroyed.</p>');
    for (const [action, address] of [
      ['added', 'dc:aws_eks_node_group.pool-new_ab12'],
      ['updated in place', 'va:aws_eks_node_group.pool-h100_cd34'],
      ['<span class="bad">replaced</span>', 'va:aws_vpc.va-fabric_ef56'],
      ['<span class="bad">destroyed</span>', 'va:aws_launch_template.old_0099'],
    ])
      expect(html).toContain(cells([action!, `<code>${address}</code>`]));
    expect(html).toContain('<li><code>va:aws_vpc.va-fabric_ef56</code>: the VPC CIDR changes</li>');
    expect(html).toContain(
      '<div class="kpi bad"><b>1 / 1 / 1</b>Terraform resources added / replaced / destroyed</div>',
    );
  });
});

describe('gigawatt diff --format html (spawned)', () => {
  const dir = tempDir();
  const head = join(dir, 'head.yaml');
  writeFileSync(
    head,
    readFileSync(join(ROOT, 'examples/frontier.yaml'), 'utf8').replace('nodes: 2048', 'nodes: 2560'),
  );
  const md = runCli(['diff', 'examples/frontier.yaml', head, '--at', BEFORE_BLOCKS]);
  const html = runCli(['diff', 'examples/frontier.yaml', head, '--at', BEFORE_BLOCKS, '--format', 'html']);
  const json = runCli(['diff', 'examples/frontier.yaml', head, '--at', BEFORE_BLOCKS, '--format', 'json']);

  test('same exit code as the Markdown form: 1, the change adds an error', () => {
    expect(md.status).toBe(1);
    expect(html.status).toBe(1);
    expect(json.status).toBe(1);
    expect(html.stderr).toBe('');
  });
  test('per-site racks and share of the envelope in all three forms', () => {
    const site = JSON.parse(json.stdout).siteChanges.find((s: { name: string }) => s.name === 'abilene');
    expect(site.racksUsed).toEqual({ base: 512, head: 640, delta: 128 });
    expect(site.racksAvailable).toEqual({ base: 600, head: 600, delta: 0 });
    expect(site.utilization.head).toBeGreaterThan(site.utilization.base);
    expect(md.stdout).toContain('| 512 / 600 → 640 / 600 |');
    expect(html.stdout).toContain('<td>512 / 600 → 640 / 600</td>');
    expect(html.stdout).toContain('<td>26.1 % → 32.6 %</td>');
    expect(JSON.parse(json.stdout).files).toEqual({ base: 'examples/frontier.yaml', head });
  });
  test('the new rack error and the changed warning, matched by rule and target', () => {
    expect(html.stdout).toContain('<code>GW-PWR-RACKS</code>');
    expect(html.stdout).toMatch(
      /<span class="change-changed">changed<\/span><\/td><td><span class="sev-warning">warning<\/span><\/td><td><code>GW-PWR-ESTIMATE<\/code>/,
    );
    expect(html.stdout).not.toContain('<span class="change-resolved">');
    expect(html.stdout).toContain(`<code>${esc(head)}:`);
  });
  test('Terraform resources a rename adds and destroys are named', () => {
    const rename = join(dir, 'rename.yaml');
    writeFileSync(
      rename,
      readFileSync(join(ROOT, 'examples/frontier.yaml'), 'utf8').replace(
        'name: trn2-ultra\n    site: ohio',
        'name: trn2-big\n    site: ohio',
      ),
    );
    const r = runCli(['diff', 'examples/frontier.yaml', rename, '--at', BEFORE_BLOCKS, '--format', 'html']);
    expect(r.stdout).toMatch(/<tr><td>added<\/td><td><code>ohio:aws_eks_node_group\.pool-trn2-big_/);
    expect(r.stdout).toMatch(
      /<tr><td><span class="bad">destroyed<\/span><\/td><td><code>ohio:aws_eks_node_group\.pool-trn2-ultra_/,
    );
  });
});

describe('gigawatt diff --format html: waivers (spawned)', () => {
  const dir = tempDir();
  // Dates relative to the run date, within the waiver policy's 90 days so no waiver is refused for its expiry.
  const day = daysFromNow;
  const aws = (waivers: string) => `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: w }
sites: [{ name: ohio, provider: aws, region: us-east-2, quotas: { P: 3072 } }]
fabrics: [{ name: efa, site: ohio, vpcCidr: 10.64.0.0/16, availabilityZone: us-east-2b }]
kubernetes: { endpoint: public, publicAccessCidrs: [0.0.0.0/1, 128.0.0.0/1] }
pools: [{ name: h100, site: ohio, fabric: efa, instanceType: p5.48xlarge, instances: 2, maxInstances: 1 }]
waivers:
${waivers}`;
  const file = (name: string, text: string) => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  const poolMax = (expires: string, reason: string) =>
    `  - { rule: GW-NET-POOL-MAX, target: pools.h100, reason: ${JSON.stringify(reason)}, expires: ${expires} }\n`;
  const hostile = '<img src=x onerror=alert(1)> & "quoted" \u202e reversed';
  const base = file('base.yaml', aws(poolMax(day(20), 'growth approved in review')));
  const head = file(
    'head.yaml',
    aws(
      poolMax(day(60), 'approved again for longer') +
        `  - { rule: GW-PWR-ESTIMATE, target: pools.h100, reason: ${JSON.stringify(hostile)}, expires: ${day(40)} }\n` +
        `  - { rule: GW-SEC-EKS-PUBLIC, target: kubernetes, reason: the demo needs it, expires: ${day(10)} }\n`,
    ),
  );
  const r = runCli(['diff', base, head, '--format', 'html', '--fail-on', 'none']);
  const row = (cells: string[]) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;

  test('exits 0 under --fail-on none and writes a Waivers section after the findings', () => {
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      '<h2>Waivers</h2>\n<table class="findings"><tr><th>change</th><th>rule</th><th>target</th><th>plan dates</th><th>expires</th><th>reason</th><th>security rule</th><th>status</th></tr>',
    );
    expect(r.stdout.indexOf('<h2>Findings</h2>')).toBeLessThan(r.stdout.indexOf('<h2>Waivers</h2>'));
  });
  test('an added waiver: rule, target, dates, expiry, reason, not a security rule, in force', () => {
    expect(r.stdout).toContain(
      row([
        '<span class="change-new">added</span>',
        '<code>GW-PWR-ESTIMATE</code>',
        'pools.h100',
        'all',
        day(40),
        '&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot;  reversed',
        'no',
        'in force',
      ]),
    );
  });
  test('hostile text in the reason is shown as text: no markup, no bidi override', () => {
    expect(r.stdout).not.toContain('<img');
    expect(r.stdout).not.toContain('\u202e');
    expect(r.stdout).not.toMatch(/<script|onerror=alert\(1\)>/);
  });
  test('a waiver of a security rule is marked as one, and refused', () => {
    expect(r.stdout).toContain(
      row([
        '<span class="change-new">added</span>',
        '<code>GW-SEC-EKS-PUBLIC</code>',
        'kubernetes',
        'all',
        day(10),
        'the demo needs it',
        '<span class="bad">yes: never waivable from a plan</span>',
        'refused by the waiver policy',
      ]),
    );
  });
  test('a changed waiver shows the new expiry and reason beside the old ones', () => {
    expect(r.stdout).toContain(
      row([
        '<span class="change-changed">changed</span>',
        '<code>GW-NET-POOL-MAX</code>',
        'pools.h100',
        'all',
        `${day(60)} <span class="note">was: ${day(20)}</span>`,
        'approved again for longer <span class="note">was: growth approved in review</span>',
        'no',
        'in force',
      ]),
    );
  });
  test('the JSON form carries the same waivers, with security as data', () => {
    const j = JSON.parse(runCli(['diff', base, head, '--format', 'json', '--fail-on', 'none']).stdout);
    expect(j.waivers.added.map((w: { rule: string; security: boolean }) => [w.rule, w.security])).toEqual([
      ['GW-PWR-ESTIMATE', false],
      ['GW-SEC-EKS-PUBLIC', true],
    ]);
    expect(j.waivers.removed).toEqual([]);
  });
  test('a finding the head plan waives is "waived" with its waiver, not "resolved"', () => {
    const unwaived = file('unwaived.yaml', aws('  []\n'));
    const html = runCli(['diff', unwaived, base, '--format', 'html', '--fail-on', 'none']).stdout;
    expect(html).toMatch(
      new RegExp(
        `<tr><td><span class="change-waived">waived</span></td><td><span class="sev-\\w+">\\w+</span></td><td><code>GW-NET-POOL-MAX</code></td><td><code>${base.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+</code>[^<]*</td><td>[^<]+</td><td>waiver until ${day(20)}: growth approved in review</td></tr>`,
      ),
    );
    expect(html).not.toContain('<span class="change-resolved">resolved</span>');
    expect(html).toContain(', 1 waived.</p>');
    const md = runCli(['diff', unwaived, base, '--fail-on', 'none']).stdout;
    expect(md).toMatch(
      /^- 🔕 waived \*\*\w+\*\* `GW-NET-POOL-MAX` .* — waiver until \S+: growth approved in review$/m,
    );
    expect(md).not.toContain('✅ resolved');
  });
  test('a removed waiver is listed; an unchanged plan pair has no Waivers section', () => {
    const back = runCli(['diff', head, base, '--format', 'html', '--fail-on', 'none']).stdout;
    expect(back).toContain(
      '<td><span class="change-resolved">removed</span></td><td><code>GW-SEC-EKS-PUBLIC</code></td>',
    );
    expect(runCli(['diff', base, base, '--format', 'html']).stdout).not.toContain('<h2>Waivers</h2>');
  });
});

noteSkipped('HTML diff browser test');

(haveChromium ? describe : describe.skip)('HTML diff in headless Chromium', () => {
  test('every section renders offline, without errors; screenshot written', async () => {
    const dir = join(ROOT, 'test-artifacts');
    mkdirSync(dir, { recursive: true });
    // Relative paths and a fixed plan date: the screenshot is docs/diff.png's source, the same on any machine
    // and any day.
    const base = readFileSync(join(ROOT, 'examples/frontier.yaml'), 'utf8');
    writeFileSync(join(dir, 'frontier.yaml'), base);
    writeFileSync(join(dir, 'frontier-head.yaml'), base.replace('nodes: 2048', 'nodes: 2560'));
    const file = join(dir, 'diff.html');
    const args = ['diff', 'frontier.yaml', 'frontier-head.yaml', '--format', 'html', '--at', BEFORE_BLOCKS];
    writeFileSync(file, runCli(args, { cwd: dir }).stdout);
    const { value, errors, requests } = await inChromium(
      file,
      { width: 1200, height: 1200 },
      async (page) => {
        const sections = await page.evaluate(() =>
          [...document.querySelectorAll('h2')].map((h) => h.textContent),
        );
        const rows = await page.evaluate(() => document.querySelectorAll('table.findings tr').length);
        await page.screenshot({ path: join(dir, 'diff.png'), fullPage: true });
        return { sections, rows };
      },
    );
    expect(value.sections).toEqual(['Totals', 'Sites', 'Pools', 'Findings', 'Terraform']);
    expect(value.rows).toBe(3);
    expect(readFileSync(file, 'utf8')).toContain(
      '<code>frontier-head.yaml:21</code> sites[1].halls[0].racks',
    );
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  }, 60000);
});
