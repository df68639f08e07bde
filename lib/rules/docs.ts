/** docs/rules.md, generated from the rule table (`npm run docs`); test/rules-docs.test.ts keeps it fresh. */
import { resolve } from 'node:path';
import { PROJECT_ROOT } from '../util/paths';
import { SECURITY_RULES } from '../security/terraform-pack';
import { ENGINE_RULES, RULES } from './table';

export const RULES_DOC_FILE = resolve(PROJECT_ROOT, 'docs', 'rules.md');

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function rulesMarkdown(): string {
  const all = [...ENGINE_RULES, ...RULES].map((r) => ({
    id: r.id,
    severity: r.severity,
    category: r.category,
    title: r.title,
    explanation: r.explanation,
    related: 'relatedIds' in r && r.relatedIds ? r.relatedIds.join(', ') : '',
  }));
  all.sort((a, b) => a.category.localeCompare(b.category) || a.id.localeCompare(b.id));
  const lines = [
    '# Rules',
    '',
    'Generated from `lib/rules/table.ts` by `npm run docs`; do not edit by hand.',
    '',
    'Severity `error` fails `gigawatt validate` (exit 1); `--fail-on warning` also fails on warnings. A plan can waive a',
    'finding with `waivers: [{ rule, target, reason, expires }]`.',
    '',
    '| id | severity | category | checks that | why | related |',
    '|---|---|---|---|---|---|',
    ...all.map(
      (r) =>
        `| \`${r.id}\` | ${r.severity} | ${r.category} | ${cell(r.title)} | ${cell(r.explanation)} | ${cell(r.related)} |`,
    ),
    '',
    '## Security pack for synthesized Terraform',
    '',
    '`gigawatt synth` checks every synthesized stack with these rules (Checkov, Trivy and KICS cannot be installed here;',
    'their ids are listed for cross-reference) and writes nothing when one fails, unless `--force`.',
    '',
    '| id | checks that | related |',
    '|---|---|---|',
    ...SECURITY_RULES.map((r) => `| \`${r.id}\` | ${cell(r.title)} | ${cell(r.relatedIds.join(', '))} |`),
    '',
  ];
  return lines.join('\n');
}
