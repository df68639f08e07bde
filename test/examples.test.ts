/** Every example validates; a deliberately broken copy of each fails with the expected rule ids. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, errorIds, exampleFiles, ROOT } from './helpers';

const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');

test.each(exampleFiles())('%s validates with no errors', (file) => {
  expect(errorIds(check(read(file)))).toEqual([]);
});

const broken: [string, (s: string) => string, string[]][] = [
  [
    'examples/trn2-ultraserver-capacity-block.yaml',
    (s) => s.replace('instances: 16\n    capacity', 'instances: 18\n    placementGroup: true\n    capacity'),
    ['GW-CAP-BLOCK', 'GW-CAP-ULTRASERVER', 'GW-NET-EFA'],
  ],
  [
    'examples/p5-efa.yaml',
    (s) => s.replace('P: 6144', 'P: 3072').replace('vpcCidr: 10.80.0.0/16', 'vpcCidr: 10.80.0.0/22'),
    ['GW-CAP-QUOTA', 'GW-NET-IP-SPACE'],
  ],
  [
    'examples/frontier.yaml',
    (s) =>
      s.replace('region: us-east-2', 'region: eu-west-1').replace('system: dgx-h200', 'system: dgx-h2000'),
    ['GW-CAP-REGION', 'GW-PLAN-POOL-TYPE'],
  ],
  [
    'examples/mining-site-dgx.yaml',
    (s) => s.replace('hall: hall-b }', 'hall: hall-z }'),
    ['GW-PLAN-REFERENCE'],
  ],
];

test.each(broken)('a broken copy of %s fails with the expected rule ids', (file, mutate, ids) => {
  const text = mutate(read(file));
  expect(text).not.toBe(read(file));
  expect(errorIds(check(text))).toEqual(ids);
});
