/**
 * SARIF 2.1.0 for GitHub code scanning: one run, rule metadata for every rule (with a help page), results
 * located in the plan file relative to the repository root, waived findings as suppressions with their
 * justification.
 *
 * GitHub's requirements ("SARIF support for code scanning", docs.github.com/en/code-security/code-scanning/
 * integrating-with-code-scanning/sarif-support-for-code-scanning): `artifactLocation.uri` relative to the
 * repository root (or an absolute file:// URI), `region.startLine` present, `ruleId` stable across runs,
 * `partialFingerprints.primaryLocationLineHash` (the only key it matches results by across runs),
 * `properties.security-severity` a number from 0.0 to
 * 10.0 as a string on rules tagged `security`, at most 20 tags per rule and 25,000 results per run.
 * Plan text in messages is one visible line (pipeline/util/safe-text `plain`): GitHub shows it on the PR.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { ENGINE_RULES, RULES } from '../rules/table';
import type { ValidationResult } from '../run';
import { waiverSpan } from '../util/diagnostic';
import { plain } from '../util/safe-text';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** The base id of every relative artifact URI; GitHub resolves relative URIs against the repository root. */
export const SRCROOT = '%SRCROOT%';

export const REPOSITORY_URL = 'https://github.com/gigawatt-dev/gigawatt';
/** The generated page of one rule (docs/rules/<ID>.md, `npm run docs`). */
export const ruleHelpUri = (id: string): string => `${REPOSITORY_URL}/blob/main/docs/rules/${id}.md`;

/**
 * GitHub's security severity for the security rules, in its bands (critical above 9.0, high 7.0-8.9,
 * medium 4.0-6.9, low 0.1-3.9). Both are "high": KICS rates the equivalent Terraform check 4728cd65
 * (unrestricted security group ingress) High, and a public control plane open to 0.0.0.0/0 is the same exposure.
 */
export const SECURITY_SEVERITY: Readonly<Record<string, string>> = {
  'GW-SEC-OPEN-INGRESS': '8.0',
  'GW-SEC-EKS-PUBLIC': '8.0',
};

/** The repository root above `dir` (a `.git` directory or worktree file), or undefined. */
export function gitRoot(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(resolve(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

/** `--sarif-base` when given, else the git root of the working directory, else the working directory. */
export const defaultSarifBase = (cwd = process.cwd()): string => gitRoot(cwd) ?? resolve(cwd);

export interface SarifOptions {
  /** Directory that artifact URIs are relative to (default: defaultSarifBase()). */
  readonly base?: string;
  /** Directory the plan file names are relative to (default: the working directory). */
  readonly cwd?: string;
}

/** A plan file as SARIF sees it: relative to the base with uriBaseId, or an absolute file:// URI outside it. */
function artifactOf(file: string, base: string, cwd: string): { uri: string; uriBaseId?: string } {
  const abs = isAbsolute(file) ? file : resolve(cwd, file);
  const rel = relative(base, abs);
  if (rel && !rel.startsWith('..') && !isAbsolute(rel))
    return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
  return { uri: pathToFileURL(abs).href };
}

export function formatSarif(
  results: readonly ValidationResult[],
  version: string,
  options: SarifOptions = {},
): string {
  const cwd = options.cwd ?? process.cwd();
  const base = resolve(cwd, options.base ?? defaultSarifBase(cwd));
  const rules: ReportingDescriptor[] = [...ENGINE_RULES, ...RULES].map((r) => ({
    id: r.id,
    name: r.id
      .replace(/^GW-/, '')
      .toLowerCase()
      .replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: r.title },
    fullDescription: { text: r.explanation },
    helpUri: ruleHelpUri(r.id),
    help: {
      text: `${r.title}. ${r.explanation} See ${ruleHelpUri(r.id)}`,
      markdown: `**${r.title}**\n\n${r.explanation}\n\nSee [${r.id}](${ruleHelpUri(r.id)}).`,
    },
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: {
      tags: [...new Set(['gigawatt', r.category, ...(SECURITY_SEVERITY[r.id] ? ['security'] : [])])],
      ...(SECURITY_SEVERITY[r.id] ? { 'security-severity': SECURITY_SEVERITY[r.id] } : {}),
      ...('relatedIds' in r && r.relatedIds ? { relatedIds: [...r.relatedIds] } : {}),
    },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  // A fingerprint names the finding, not its line: rule, file and waiver target, numbered when one
  // target has several findings of a rule (in file order), so editing other lines keeps the alert.
  const seen = new Map<string, number>();
  const out: Result[] = results.flatMap((res) =>
    res.diagnostics.map((d) => {
      const artifact = artifactOf(d.file ?? res.file, base, cwd);
      const key = `${d.rule}\0${artifact.uri}\0${d.target ?? d.path}`;
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      const hash = createHash('sha256').update(key).digest('hex').slice(0, 32);
      return {
        ruleId: d.rule,
        ruleIndex: index.get(d.rule),
        level: LEVEL[d.severity],
        message: { text: `${plain(d.message)} Fix: ${plain(d.hint)}` },
        locations: [
          {
            physicalLocation: {
              artifactLocation: artifact,
              region: { startLine: d.line ?? 1, startColumn: d.col ?? 1 },
            },
            logicalLocations: [{ fullyQualifiedName: plain(d.path) }],
          },
        ],
        // Code scanning matches results across uploads by `primaryLocationLineHash` only ("SARIF support
        // for code scanning", result object: "Code scanning only uses the primaryLocationLineHash");
        // upload-sarif fills it from the text of the line only when it is absent
        // (github/codeql-action src/fingerprints.ts), so the finding's own identity goes there.
        partialFingerprints: {
          primaryLocationLineHash: `${hash}:${n}`,
          'gigawattFinding/v1': `${hash}:${n}`,
        },
        ...(d.waiver
          ? {
              suppressions: [
                {
                  kind: 'external' as const,
                  justification: `${plain(d.waiver.reason)} (${waiverSpan(d.waiver)})`,
                },
              ],
            }
          : {}),
      };
    }),
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
            informationUri: REPOSITORY_URL,
            rules,
          },
        },
        // The base's absolute path is left out so the log is the same on every machine; GitHub
        // resolves %SRCROOT% to the checkout (upload-sarif's checkout_path).
        originalUriBaseIds: {
          [SRCROOT]: { description: { text: 'The repository root (gigawatt validate --sarif-base).' } },
        },
        results: out,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
