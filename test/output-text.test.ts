/**
 * Hostile plan text in every output: a pull request writes the waiver reasons, waiver targets, hall feeds
 * and file names that gigawatt prints into CI logs, PR comments, reports and spreadsheets. Each output
 * shows them as text: no escape sequence or bidi override, no GitHub workflow command, no Markdown or
 * HTML markup, no spreadsheet formula, well-formed XML and JSON.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLValidator } from 'fast-xml-parser';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { ROOT, daysFromNow, runCli, tempDir } from './helpers';

const ESC = '\u001b';
const RLO = '\u202e';
/** Everything a contributor can put in one free-text field: terminal, CI, Markdown, HTML and XML tricks. */
const HOSTILE =
  `ok ${ESC}[31mRED${ESC}[0m${ESC}]8;;http://evil.example${ESC}\\link${ESC}]8;;${ESC}\\ bell\u0007 vt\u000b\n` +
  `::error file=a.yaml,line=1::pwned\r\n  ::warning::indented\n# heading\n- [ ] task ` +
  `<img src=x onerror=alert(1)> [link](http://evil.example) ![i](http://evil.example/i.png) | pipe ` +
  `\` tick @octocat ${RLO}evil\u202c ##[error]legacy &#64;entity`;
const TARGET = 'pools.x\n::error::target <b>bold</b>';
const FEEDS = ['=HYPERLINK("http://evil.example","x")', '@SUM(1+1)', '\t-2+3'];

const dir = tempDir('gigawatt-text-');
const expires = daysFromNow(30);
/** The mining example with hostile feeds and two hostile waivers (one used, one matching nothing). */
function hostilePlan(name: string): string {
  const plan = parseYaml(readFileSync(join(ROOT, 'examples', 'mining-site-dgx.yaml'), 'utf8')) as {
    sites: { halls: { feed?: string }[] }[];
    waivers?: unknown[];
  };
  plan.sites[0]!.halls.forEach((h, i) => (h.feed = FEEDS[i]));
  plan.waivers = [
    { rule: 'GW-PWR-ESTIMATE', target: 'fabrics.wt-ib', reason: HOSTILE, expires },
    { rule: 'GW-PWR-ESTIMATE', target: TARGET, reason: 'accepted for the pilot', expires },
  ];
  const file = join(dir, name);
  writeFileSync(file, stringifyYaml(plan));
  return file;
}
/** Commas, colons and percent signs are what workflow-command properties must escape. */
const PLAN = hostilePlan('hall,1:50%.yaml');
/** A file name can hold a line break and a workflow command too. */
const NAMED = hostilePlan('named\n::error::file.yaml');

const ok = (args: string[]) => {
  const r = runCli(args);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(r.status === 0 || r.status === 1).toBe(true);
  return r.stdout;
};

/** The checks every output passes: no escape, C0/C1 control (but line breaks) or bidi character. */
function noControls(out: string): void {
  // eslint-disable-next-line no-control-regex
  expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
}

/**
 * The GitHub runner's reading of a log (actions/runner ActionCommand.cs): a line is a command when it
 * starts with `::` after leading spaces, or holds `##[` anywhere.
 */
const commandLines = (log: string): string[] =>
  log.split('\n').filter((l) => l.trimStart().startsWith('::') || l.includes('##['));

/** Markdown structure: no raw tag, link, task list or mention; every table row has its header's cells. */
function safeMarkdown(md: string): void {
  noControls(md);
  expect(md).not.toMatch(/<(img|b)\b/i);
  expect(md).not.toMatch(/(?<!\\)\[(?: |x)?(?<!\\)\]\(/); // [text](url) or ![i](url)
  expect(md).not.toMatch(/(?<!\\)\[ (?<!\\)\]/); // a task list box
  expect(md).not.toMatch(/@octocat/); // the mention carries a zero-width space
  expect(md).not.toMatch(/&#64;entity/); // an entity would render as '@'
  expect(md).not.toMatch(/^\s*#+ heading/m);
  expect(md.split('\n').some((l) => l.includes('[ \\] task'))).toBe(true); // shown, escaped
  let cells = 0;
  for (const line of md.split('\n')) {
    if (!line.startsWith('|')) {
      cells = 0;
      continue;
    }
    const n = line.match(/(?<!\\)\|/g)!.length;
    if (!cells) cells = n;
    expect([line, n]).toEqual([line, cells]);
  }
}

describe('hostile plan text', () => {
  test('validate text output: one line per field, no escape sequence, no workflow command', () => {
    const out = ok(['validate', PLAN]) + ok(['validate', NAMED]);
    noControls(out);
    expect(commandLines(out)).toEqual([]);
    const reason = out.split('\n').find((l) => l.includes('waived until'))!;
    expect(reason).toContain('ok RED');
    expect(reason).toContain('\\n:\\:error file=a.yaml,line=1:\\:pwned\\r\\n');
    expect(out).toContain('named\\n:\\:error:\\:file.yaml:');
  });

  test('errors on stderr quote file names as text', () => {
    const r = runCli(['report', join(dir, 'gone\n::error::x.yaml')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('gone\\n:\\:error:\\:x.yaml');
    expect(commandLines(r.stderr)).toEqual([]);
  });

  test('validate --format github: one annotation per unwaived finding, escaped as the runner reads it', () => {
    const out = ok(['validate', PLAN, '--format', 'github']);
    noControls(out);
    const findings = (
      JSON.parse(ok(['validate', PLAN, '--format', 'json'])).diagnostics as {
        rule: string;
        line: number;
        message: string;
        waiver?: unknown;
      }[]
    ).filter((d) => !d.waiver);
    const commands = commandLines(out);
    expect(commands).toHaveLength(findings.length);
    // The runner's parse: name and properties up to the next '::', the data after it.
    const unescape = (s: string) =>
      s
        .replace(/%0D/g, '\r')
        .replace(/%0A/g, '\n')
        .replace(/%3A/g, ':')
        .replace(/%2C/g, ',')
        .replace(/%25/g, '%');
    const parsed = commands.map((l) => {
      const end = l.indexOf('::', 2);
      const [name, props] = [l.slice(2, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1, end)];
      const p = Object.fromEntries(
        props.split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), unescape(kv.slice(kv.indexOf('=') + 1))]),
      );
      return { name, p, data: l.slice(end + 2) };
    });
    expect(parsed.map((c) => [c.p.title, Number(c.p.line)])).toEqual(findings.map((d) => [d.rule, d.line]));
    for (const c of parsed) {
      expect(['error', 'warning', 'notice']).toContain(c.name);
      expect(c.p.file).toBe(PLAN);
    }
    const unused = parsed.find((c) => c.p.title === 'GW-WAIVER-UNUSED')!;
    expect(unused.data).toContain('pools.x\\n:\\:error:\\:target <b>bold</b>');
  });

  test('validate --format markdown, report and diff Markdown: the text, never markup', () => {
    const validateMd = ok(['validate', PLAN, '--format', 'markdown']);
    const report = ok(['report', PLAN]);
    const diff = ok(['diff', 'examples/mining-site-dgx.yaml', PLAN]);
    for (const md of [validateMd, report, diff]) {
      safeMarkdown(md);
      expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(md).toContain('@&#8203;octocat');
    }
    // The waiver a change adds is shown with its (escaped) reason.
    expect(diff).toMatch(
      /🆕 added `GW-PWR-ESTIMATE` for fabrics\.wt-ib until .*: ok REDlink bell vt\\\\n::error file=a\.yaml/,
    );
  });

  test('report and diff HTML: every plan string escaped', () => {
    const out = join(dir, 'report');
    ok(['report', PLAN, '--out', out]);
    const pages = [readFileSync(join(out, 'report.html'), 'utf8'), ok(['diff', PLAN, PLAN, '-f', 'html'])];
    pages.push(ok(['diff', 'examples/mining-site-dgx.yaml', PLAN, '-f', 'html']));
    for (const page of pages) {
      noControls(page.replace(/<script>[\s\S]*?<\/script>/g, ''));
      expect(page).not.toMatch(/<img|<b>bold/i);
    }
    expect(pages[0]).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(pages[0]).toContain('pools.x\\n::error::target &lt;b&gt;bold&lt;/b&gt;');
  });

  test('inventory CSV: a feed that looks like a formula starts with a quote', () => {
    const out = join(dir, 'inventory');
    ok(['inventory', PLAN, '--out', out]);
    const rows = parseCsv(readFileSync(join(out, 'inventory', 'racks.csv'), 'utf8'), {
      columns: true,
    }) as Record<string, string>[];
    const feeds = [...new Set(rows.map((r) => r.feed!))].sort();
    expect(feeds).toEqual(['\'=HYPERLINK("http://evil.example","x")', "'@SUM(1+1)", '\\t-2+3']);
    for (const file of ['racks.csv', 'switches.csv', 'bom.csv'])
      for (const row of parseCsv(readFileSync(join(out, 'inventory', file), 'utf8')) as string[][])
        for (const cell of row) expect(cell).not.toMatch(/^[=+@\t\r]|^-(?!\d+(\.\d+)?$)/);
  });

  test('JUnit XML and SARIF: well-formed, no control character', () => {
    const xml = ok(['validate', PLAN, NAMED, '--format', 'junit']);
    expect(XMLValidator.validate(xml)).toBe(true);
    noControls(xml);
    expect(xml).toContain('for pools.x\\n::error::target <b>bold</b> matches no finding');
    expect(xml).toContain('named\\n::error::file.yaml');
    const sarif = ok(['validate', PLAN, '--format', 'sarif']);
    noControls(sarif);
    const log = JSON.parse(sarif) as {
      runs: { results: { message: { text: string }; suppressions?: { justification: string }[] }[] }[];
    };
    const texts = log.runs[0]!.results.flatMap((r) => [
      r.message.text,
      ...(r.suppressions ?? []).map((s) => s.justification),
    ]);
    noControls(texts.join(''));
    expect(texts.some((t) => t.startsWith('ok REDlink bell vt\\n::error file=a.yaml'))).toBe(true);
    expect(texts.every((t) => !t.includes('\n'))).toBe(true);
  });
});
