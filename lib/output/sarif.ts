/**
 * SARIF 2.1.0 for GitHub code scanning: one run, rule metadata for every rule, results located in the plan
 * file, waived findings as suppressions with their justification.
 */
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { ENGINE_RULES, RULES } from '../rules/table';
import type { ValidationResult } from '../pipeline';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

export function formatSarif(results: readonly ValidationResult[], version: string): string {
  const rules: ReportingDescriptor[] = [...ENGINE_RULES, ...RULES].map((r) => ({
    id: r.id,
    name: r.id
      .replace(/^GW-/, '')
      .toLowerCase()
      .replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: r.title },
    fullDescription: { text: r.explanation },
    help: {
      text: `${r.title}. ${r.explanation}`,
      markdown: `**${r.title}**\n\n${r.explanation}\n\nSee docs/rules.md.`,
    },
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: {
      tags: ['gigawatt', r.category],
      ...('relatedIds' in r && r.relatedIds ? { relatedIds: [...r.relatedIds] } : {}),
    },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const out: Result[] = results.flatMap((res) =>
    res.diagnostics.map((d) => ({
      ruleId: d.rule,
      ruleIndex: index.get(d.rule),
      level: LEVEL[d.severity],
      message: { text: `${d.message} Fix: ${d.hint}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: (d.file ?? res.file).replace(/\\/g, '/').replace(/^\.\//, '') },
            region: { startLine: d.line ?? 1, startColumn: d.col ?? 1 },
          },
          logicalLocations: [{ fullyQualifiedName: d.path }],
        },
      ],
      partialFingerprints: { gigawattTarget: `${d.rule}:${d.target ?? d.path}` },
      ...(d.waiver
        ? {
            suppressions: [
              { kind: 'external' as const, justification: `${d.waiver.reason} (until ${d.waiver.expires})` },
            ],
          }
        : {}),
    })),
  );
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'gigawatt',
            version,
            semanticVersion: version,
            informationUri: 'https://github.com/gigawatt-dev/gigawatt',
            rules,
          },
        },
        results: out,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
