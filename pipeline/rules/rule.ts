/**
 * The shape of a rule: a stable id, metadata for docs and SARIF, and a pure check over the resolved
 * model. A rule never throws on purpose; if one does, the engine reports it as a diagnostic.
 */
import type { ResolvedPlan } from '../model';
import type { PlanPath } from '../schema/source';
import type { Severity } from '../util/diagnostic';

export type RuleCategory = 'plan' | 'capacity' | 'network' | 'power' | 'security';

/** One problem found by a rule. */
export interface Finding {
  /** Where in the plan: keys and indices, e.g. ['pools', 2, 'instances']. */
  readonly path: PlanPath;
  /** Point at the last key of `path` (a map key such as a label key) instead of its value. */
  readonly atKey?: boolean;
  /** Name-based target for waivers, e.g. 'pools.h200'. */
  readonly target: string;
  readonly message: string;
  readonly hint: string;
  /** Overrides the rule's default severity for this finding. */
  readonly severity?: Severity;
}

export interface Rule {
  /** Stable id, GW-<AREA>-<NAME>. Never reused or renamed. */
  readonly id: string;
  readonly severity: Severity;
  readonly category: RuleCategory;
  /** One line, stating the compliant condition. */
  readonly title: string;
  /** Why it matters and where the limit comes from. */
  readonly explanation: string;
  /** Ids of equivalent checks in other tools (Checkov, Trivy, ParallelCluster), for cross-reference. */
  readonly relatedIds?: readonly string[];
  readonly check: (plan: ResolvedPlan) => Finding[];
}

/** Helpers for the usual targets. */
export const poolTarget = (name: string): string => `pools.${name}`;
export const siteTarget = (name: string): string => `sites.${name}`;
export const fabricTarget = (name: string): string => `fabrics.${name}`;
