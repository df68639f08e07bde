/** The published copy of the plan schema, for editors (yaml-language-server `$schema`). */
import { resolve } from 'node:path';
import { PROJECT_ROOT } from '../util/paths';
import { planSchema } from './plan-schema';

/** schemas/cluster-plan.v1alpha1.schema.json, relative to the project root (works from src and dist). */
export const PLAN_SCHEMA_FILE = resolve(PROJECT_ROOT, 'schemas', 'cluster-plan.v1alpha1.schema.json');

export const planSchemaJson = (): string => JSON.stringify(planSchema, null, 2) + '\n';
