export { loadPlanText } from '../constructs/schema';
export { planSchemaJson, PLAN_SCHEMA_FILE } from '../constructs/schema/plan-schema-file';
export { validatorSource, VALIDATOR_FILE } from '../constructs/schema/generate-validator';
