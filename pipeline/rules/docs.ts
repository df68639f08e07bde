/**
 * docs/rules.md and one page per rule (docs/rules/<ID>.md), generated from the rule table and
 * pipeline/rules/pages.ts (`npm run docs`); test/docs.test.ts keeps them fresh.
 */
import { resolve } from 'node:path';
import { PROJECT_ROOT } from '../util/paths';
import { SECURITY_RULES } from '../security/terraform-pack';
import { RULE_PAGES } from './pages';
import { ENGINE_RULES, RULES } from './table';

export const RULES_DOC_FILE = resolve(PROJECT_ROOT, 'docs', 'rules.md');
export const RULE_PAGES_DIR = resolve(PROJECT_ROOT, 'docs', 'rules');

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

interface RuleDoc {
  readonly id: string;
  readonly severity: string;
  readonly category: string;
  readonly title: string;
  readonly explanation: string;
  readonly related: string;
}

function allRules(): RuleDoc[] {
  const all = [...ENGINE_RULES, ...RULES].map((r) => ({
    id: r.id,
    severity: r.severity,
    category: r.category,
    title: r.title,
    explanation: r.explanation,
    related: 'relatedIds' in r && r.relatedIds ? r.relatedIds.join(', ') : '',
  }));
  return all.sort((a, b) => a.category.localeCompare(b.category) || a.id.localeCompare(b.id));
}

/** "info", or "info (some findings: warning)". */
const severityOf = (r: RuleDoc): string => {
  const also = RULE_PAGES[r.id]?.alsoSeverities;
  return also?.length ? `${r.severity} (some findings: ${also.join(', ')})` : r.severity;
};

export function rulesMarkdown(): string {
  const lines = [
    '# Rules',
    '',
    'Generated from `pipeline/rules/table.ts` and `pipeline/rules/pages.ts` by `npm run docs`; do not edit by hand. Each id links',
    'to its page: what it checks, why, an example plan that raises it, and the fix.',
    '',
    'Severity `error` fails `gigawatt validate` (exit 1); `--fail-on warning` also fails on warnings. A plan can waive a',
    'finding with `waivers: [{ rule, target, reason, expires }]`, except a finding of a security rule, and for at most 90',
    'days after the run date (`GW-WAIVER-POLICY`). The target is the one the finding names, exactly: a waiver for `pools`',
    'does not cover `pools.h200`.',
    '',
    '| id | severity | category | checks that | why | related |',
    '|---|---|---|---|---|---|',
    ...allRules().map(
      (r) =>
        `| [\`${r.id}\`](rules/${r.id}.md) | ${severityOf(r)} | ${r.category} | ${cell(r.title)} | ${cell(r.explanation)} | ${cell(r.related)} |`,
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

/** docs/rules/<ID>.md for every rule, by file name. */
export function rulePages(): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of allRules()) {
    const page = RULE_PAGES[r.id];
    if (!page) throw new Error(`pipeline/rules/pages.ts has no page for ${r.id}`);
    const lines = [
      `# ${r.id}`,
      '',
      'Generated from `pipeline/rules/table.ts` and `pipeline/rules/pages.ts` by `npm run docs`; do not edit by hand.',
      '',
      `Severity: **${r.severity}**${page.alsoWhen ? `; ${page.alsoWhen}` : ''}. Category: ${r.category}.`,
      '',
      '## What it checks',
      '',
      `${r.title}.`,
      '',
      '## Why',
      '',
      r.explanation,
      '',
      '## Example',
      '',
      ...(page.example
        ? [
            'This plan raises it (`gigawatt validate plan.yaml`):',
            '',
            '```yaml',
            page.example.trimEnd(),
            '```',
          ]
        : [page.exampleNote ?? '']),
      '',
      '## Fix',
      '',
      page.fix,
      '',
      ...(r.related ? ['## Related checks in other tools', '', r.related, ''] : []),
      'All rules: [rules.md](../rules.md).',
      '',
    ];
    out.set(`${r.id}.md`, lines.join('\n'));
  }
  return out;
}
