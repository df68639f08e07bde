import { readFileSync } from 'node:fs';
import { GigawattError } from '../util/errors';
import { MAX_PLAN_BYTES, parsePlanText, PlanSource } from './source';
import { validatePlanShape, type SchemaResult } from './validate';

export * from './plan-schema';
export * from './source';
export * from './validate';

export type LoadedPlan = SchemaResult & { readonly source: PlanSource };

/** Read the plan text of a file; unreadable or oversized files throw GigawattError (exit 2). */
export function readPlanFile(file: string): string {
  let buffer: Buffer;
  try {
    buffer = readFileSync(file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why =
      e.code === 'ENOENT'
        ? 'no such file'
        : e.code === 'EISDIR'
          ? 'is a directory'
          : e.code === 'EACCES'
            ? 'permission denied'
            : e.message;
    throw new GigawattError('GW-E-READ', `${file}: cannot read the plan (${why}).`);
  }
  if (buffer.length > MAX_PLAN_BYTES)
    throw new GigawattError(
      'GW-E-TOO-LARGE',
      `${file}: plan is larger than ${MAX_PLAN_BYTES / 1024 / 1024} MiB; split the fleet into several plans.`,
    );
  return buffer.toString('utf8');
}

/** Parse and schema-check plan text. Text that is not YAML/JSON throws GigawattError (exit 2). */
export function loadPlanText(text: string, file: string): LoadedPlan {
  const { value, source } = parsePlanText(text, file);
  return { ...validatePlanShape(value, source), source };
}

export const loadPlanFile = (file: string): LoadedPlan => loadPlanText(readPlanFile(file), file);
