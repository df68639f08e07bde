import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULE_PAGES_DIR, RULES_DOC_FILE, rulePages, rulesMarkdown } from '../pipeline/rules/docs';
import { RULE_PAGES } from '../pipeline/rules/pages';
import { ENGINE_RULES, RULES } from '../pipeline/rules/table';
import { ruleHelpUri } from '../pipeline/output/sarif';
import { check } from './helpers';

const ALL = [...ENGINE_RULES, ...RULES];

describe('docs/rules.md', () => {
  test('is generated from the rule table and up to date (run npm run docs)', () => {
    expect(readFileSync(RULES_DOC_FILE, 'utf8')).toBe(rulesMarkdown());
  });
  test('lists every rule id with its severity and a link to its page', () => {
    const doc = rulesMarkdown();
    for (const r of ALL) expect(doc).toContain(`| [\`${r.id}\`](rules/${r.id}.md) | ${r.severity}`);
  });
  test('names no checklist that exists nowhere', () => {
    expect(rulesMarkdown()).not.toMatch(/checklist #/);
  });
  test('GW-PWR-ESTIMATE is info, with its warnings named; GW-LIVE-SKIPPED is listed', () => {
    const doc = rulesMarkdown();
    expect(doc).toContain(
      '| [`GW-PWR-ESTIMATE`](rules/GW-PWR-ESTIMATE.md) | info (some findings: warning) |',
    );
    expect(doc).toContain('| [`GW-LIVE-SKIPPED`](rules/GW-LIVE-SKIPPED.md) | warning |');
  });
});

describe('docs/rules/<ID>.md', () => {
  test('one page per rule, each up to date, no stale pages (run npm run docs)', () => {
    const pages = rulePages();
    expect([...pages.keys()].sort()).toEqual(ALL.map((r) => `${r.id}.md`).sort());
    expect(
      readdirSync(RULE_PAGES_DIR)
        .filter((f) => f.endsWith('.md'))
        .sort(),
    ).toEqual([...pages.keys()].sort());
    for (const [f, text] of pages) expect(readFileSync(join(RULE_PAGES_DIR, f), 'utf8')).toBe(text);
  });

  test('every page says what, why, an example and the fix', () => {
    for (const text of rulePages().values())
      for (const h of ['## What it checks', '## Why', '## Example', '## Fix']) expect(text).toContain(h);
  });

  test('the SARIF helpUri of every rule names its page', () => {
    for (const r of ALL) expect(ruleHelpUri(r.id)).toMatch(new RegExp(`/docs/rules/${r.id}\\.md$`));
  });

  // Only GW-RULE-CRASH (a defect), GW-PLAN-STATE-KEY (two plans side by side) and GW-LIVE-SKIPPED (a failed
  // AWS call) cannot come from a plan alone.
  const withExample = ALL.filter((r) => RULE_PAGES[r.id]?.example);
  test('every rule a plan can raise has an example plan', () => {
    expect(ALL.filter((r) => !RULE_PAGES[r.id]?.example).map((r) => r.id)).toEqual([
      'GW-RULE-CRASH',
      'GW-PLAN-STATE-KEY',
      'GW-LIVE-SKIPPED',
    ]);
  });

  test.each(withExample.map((r) => [r.id]))('the example plan of %s raises it', (id) => {
    const r = check(RULE_PAGES[id]!.example!);
    expect(r.diagnostics.map((d) => d.rule)).toContain(id);
  });

  test('findings of the examples carry only the severities the pages declare', () => {
    const severities = new Map(
      ALL.map((r) => [r.id, new Set([r.severity, ...(RULE_PAGES[r.id]?.alsoSeverities ?? [])])]),
    );
    const undeclared = withExample.flatMap((r) =>
      check(RULE_PAGES[r.id]!.example!)
        .diagnostics.filter((d) => !severities.get(d.rule)?.has(d.severity))
        .map((d) => `${d.rule}/${d.severity}`),
    );
    expect(undeclared).toEqual([]);
  });
});
