export { loadPlanText } from '../lib/schema';
export { planSchemaJson, PLAN_SCHEMA_FILE } from '../lib/schema/plan-schema-file';
export { validatorSource, VALIDATOR_FILE } from '../lib/schema/generate-validator';
