export { loadPlanText } from '../pipeline/schema';
export { planSchemaJson, PLAN_SCHEMA_FILE } from '../pipeline/schema/plan-schema-file';
export { validatorSource, VALIDATOR_FILE } from '../pipeline/schema/generate-validator';
export { planSchema } from '../pipeline/schema/plan-schema';
