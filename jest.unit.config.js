/**
 * `npm run test:unit`: the fast loop for work on the schema, model, rules and renderers. It runs the same
 * Jest suites as `npm test` minus the integration ones, which need a tool outside Node (the terraform
 * binary, moto_server, a browser), the Pulumi runtime, or synthesize the large examples through cdktf.
 * `npm test` (and .ci/run) still runs everything.
 *
 * A suite is integration when it is named in SLOW below or its text matches MARKERS, so a new suite that
 * starts moto or terraform leaves the fast loop without anyone having to list it.
 */
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const base = require('./jest.config');

const SLOW = [
  'terraform-validate.test.ts', // terraform init + validate on every example
  'terraform.test.ts', // cdktf synth of every example
  'property-synth.test.ts', // cdktf synth of random plans
  'output-dir.test.ts', // synth of the 1M example, killed mid-write
  'security.test.ts', // cdktf synth of every example, fleet-1m included
  'kubernetes-pulumi.test.ts', // the Pulumi runtime under mocks
  'pack.test.ts', // npm pack, then an install of the tarball into a new project
  'api-docs.test.ts', // typedoc over the public API
];
const MARKERS = /moto_server|spawnSync\(TERRAFORM|pulumi\.runtime\.setMocks/;

const dir = join(__dirname, 'test');
const integration = readdirSync(dir)
  .filter((f) => f.endsWith('.test.ts'))
  .filter((f) => SLOW.includes(f) || MARKERS.test(readFileSync(join(dir, f), 'utf8')));

// Suites that mix fast checks with a browser step skip only that step when this is set (workers inherit it).
process.env.GIGAWATT_TEST_UNIT = '1';

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testPathIgnorePatterns: ['/node_modules/', ...integration.map((f) => `/test/${f.replace(/\./g, '\\.')}$`)],
};
