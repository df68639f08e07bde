/**
 * `gigawatt diff` on timeline plans compares the two plans on every range of dates where either changes
 * (the union of their judged dates): per range, the sites' power and racks, the pools, the findings added,
 * changed and resolved, and the Terraform changes, in Markdown, HTML and JSON.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanDiff } from '../pipeline/report';
import { ROOT, runCli, tempDir } from './helpers';

const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');
const ROLLOUT = read('examples/mining-site-rollout.yaml');
const withoutWaivers = (s: string) => s.slice(0, s.indexOf('\nwaivers:') + 1);

function files(base: string, head: string): [string, string] {
  const dir = tempDir();
  writeFileSync(join(dir, 'base.yaml'), base);
  writeFileSync(join(dir, 'head.yaml'), head);
  return [join(dir, 'base.yaml'), join(dir, 'head.yaml')];
}
const diff = (base: string, head: string, ...flags: string[]) =>
  runCli(['diff', base, head, '--fail-on', 'none', ...flags]);

describe('the second GB200 delivery three months earlier (2027-12-06 instead of 2028-03-06)', () => {
  const base = withoutWaivers(ROLLOUT);
  const early = base.replace('date: 2028-03-06', 'date: 2027-12-06');
  const [b, h] = files(base, early);
  const json = JSON.parse(diff(b, h, '--format', 'json').stdout) as PlanDiff;
  const ranges = json.ranges!.ranges;

  test('compares at every date of either timeline', () => {
    expect(early).not.toBe(base);
    expect(json.ranges!.starts).toEqual({ base: '2027-01-04', head: '2027-01-04' });
    expect(ranges.map((r) => [r.date, r.until])).toEqual([
      ['2027-01-04', '2027-04-05'],
      ['2027-04-05', '2027-07-05'],
      ['2027-07-05', '2027-10-04'],
      ['2027-10-04', '2027-12-06'],
      ['2027-12-06', '2028-03-06'],
      ['2028-03-06', '2028-05-01'],
      ['2028-05-01', undefined],
    ]);
  });

  test('only the range the delivery moved into differs: the site over its envelope, by hand arithmetic', () => {
    const changed = ranges.filter((r) => r.siteChanges.length || r.pools.length || r.findings.new.length);
    expect(changed.map((r) => r.date)).toEqual(['2027-12-06']);
    const [range] = changed;
    // IT: 1,024 × 10.2 + 768 × 14.3 + gb200 × 132 kW: 64 racks (base) 29,875.2 kW, 128 (head) 38,323.2 kW.
    const site = range!.siteChanges[0]!;
    expect(site.name).toBe('west-texas');
    expect(site.itMW.base).toBeCloseTo(29.8752, 9);
    expect(site.itMW.head).toBeCloseTo(38.3232, 9);
    expect(site.usableMW).toEqual({ base: 40, head: 40, delta: 0 });
    expect([site.racksUsed.base, site.racksUsed.head]).toEqual([512, 576]);
    expect(range!.pools.map((p) => [p.name, p.nodes.base, p.nodes.head])).toEqual([['gb200', 64, 128]]);
    expect(range!.findings.new.map((f) => f.rule)).toEqual(['GW-PWR-ENVELOPE']);
    expect(range!.findings.resolved.map((f) => f.rule)).toContain('GW-PWR-HEADROOM');
    expect(range!.terraform).toEqual({ added: [], updated: [], destroyed: [], replaced: [], recycles: [] });
  });

  test('Markdown joins the ranges without a difference and details the one that changed', () => {
    const md = diff(b, h).stdout;
    const section = md.slice(md.indexOf('### By date'));
    expect(section).toContain(
      'Compared at every date where either plan changes: base from 2027-01-04, head from 2027-01-04.',
    );
    expect(section.match(/^#### .*$/gm)).toEqual([
      '#### from 2027-01-04 until 2027-12-06',
      '#### from 2027-12-06 until 2028-03-06',
      '#### from 2028-03-06 on',
    ]);
    const changed = section.slice(
      section.indexOf('#### from 2027-12-06'),
      section.indexOf('#### from 2028-03-06'),
    );
    expect(changed).toContain('- pool gb200 resized: 64 → 128 nodes (+4,608 accelerators)');
    expect(changed).toMatch(
      /- 🆕 \*\*error\*\* `GW-PWR-ENVELOPE` Site 'west-texas': facility load 47\.90 MW/,
    );
    expect(changed).toContain('| west-texas | changed | 1,856 → 1,920 (+64) |');
    expect(changed).toContain('- Terraform: 0 added, 0 updated in place, 0 replaced, 0 destroyed.');
  });

  test('HTML has the same ranges', () => {
    const html = diff(b, h, '--format', 'html').stdout;
    const section = html.slice(html.indexOf('<h2>By date</h2>'));
    expect(section.match(/<h3>[^<]*<\/h3>/g)).toEqual([
      '<h3>from 2027-01-04 until 2027-12-06</h3>',
      '<h3>from 2027-12-06 until 2028-03-06</h3>',
      '<h3>from 2028-03-06 on</h3>',
    ]);
    const changed = section.slice(
      section.indexOf('2027-12-06 until'),
      section.indexOf('<h3>from 2028-03-06'),
    );
    expect(changed).toContain('<span class="change-new">new</span>');
    expect(changed).toContain('<code>GW-PWR-ENVELOPE</code>');
  });
});

test('against a plan without a timeline, the timeline side is compared at each of its dates', () => {
  const rollout = withoutWaivers(ROLLOUT);
  const asDesigned =
    rollout.slice(0, rollout.indexOf('timeline:')) + rollout.slice(rollout.indexOf('kubernetes:'));
  const [b, h] = files(rollout, asDesigned);
  const json = JSON.parse(diff(b, h, '--format', 'json').stdout) as PlanDiff;
  expect(json.ranges!.starts).toEqual({ base: '2027-01-04' });
  const ranges = json.ranges!.ranges;
  expect(ranges.map((r) => r.date)).toEqual([
    '2027-01-04',
    '2027-04-05',
    '2027-07-05',
    '2027-10-04',
    '2028-03-06',
    '2028-05-01',
  ]);
  // The written plan has every pool at full size: h200 512 → 1,024 on the first range, equal from 2027-04-05.
  const h200 = (i: number) => ranges[i]!.pools.find((p) => p.name === 'h200');
  expect([h200(0)?.nodes.base, h200(0)?.nodes.head]).toEqual([512, 1024]);
  expect(h200(1)).toBeUndefined();
  // From 2028-05-01 the timeline has reached the plan as written: nothing differs.
  const last = ranges.at(-1)!;
  expect([last.siteChanges, last.pools, last.findings.new, last.findings.resolved]).toEqual([[], [], [], []]);
  expect(diff(b, h).stdout).toContain('base from 2027-01-04, head as written (no timeline).');
});

test('on AWS, each range carries the Terraform changes of that date', () => {
  const aws = read('test/fixtures/timeline-aws.yaml');
  const sooner = aws.replace('- date: 2027-02-01', '- date: 2027-01-25');
  const [b, h] = files(aws, sooner);
  const json = JSON.parse(diff(b, h, '--format', 'json').stdout) as PlanDiff;
  const byDate = new Map(json.ranges!.ranges.map((r) => [r.date, r]));
  expect(sooner).not.toBe(aws);
  // Only from 2027-01-25 until 2027-02-01 does the H100 pool differ (16 → 32): its node group is resized
  // in place, nothing is replaced or recycled.
  const moved = byDate.get('2027-01-25')!;
  expect(moved.until).toBe('2027-02-01');
  expect(moved.pools.map((p) => [p.name, p.nodes.base, p.nodes.head])).toEqual([['h100', 16, 32]]);
  expect(moved.terraform!.updated).toEqual([expect.stringMatching(/^ohio:aws_eks_node_group\.pool-h100_/)]);
  expect([moved.terraform!.replaced, moved.terraform!.destroyed, moved.terraform!.recycles]).toEqual([
    [],
    [],
    [],
  ]);
  for (const [date, r] of byDate)
    if (date !== '2027-01-25') expect([date, r.pools, r.terraform!.updated]).toEqual([date, [], []]);
  // The Capacity Block dates are ranges of their own (both plans synthesized as of the block start).
  expect([...byDate.keys()]).toContain('2027-01-04T11:30Z');
});
