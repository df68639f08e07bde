import { readFileSync } from 'node:fs';
import { RULES_DOC_FILE, rulesMarkdown } from '../lib/rules/docs';
import { RULES } from '../lib/rules/table';

describe('docs/rules.md', () => {
  test('is generated from the rule table and up to date (run npm run docs)', () => {
    expect(readFileSync(RULES_DOC_FILE, 'utf8')).toBe(rulesMarkdown());
  });
  test('lists every rule id', () => {
    const doc = rulesMarkdown();
    for (const r of RULES) expect(doc).toContain(`| \`${r.id}\` | ${r.severity} |`);
  });
});
