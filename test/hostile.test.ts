/**
 * Hostile input: every bad plan gives exit 1 or 2 with a clear one-line reason, within bounded time,
 * and never a stack trace.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from './helpers';

const dir = tempDir('gigawatt-hostile-');
const file = (name: string, content: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const plan = (pools: string) => `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: x }
sites: [{ name: s, provider: aws, region: us-east-1 }]
pools: ${pools}
`;

const bomb = [
  'a: &a [x, x, x, x, x, x, x, x, x]',
  ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`),
].join('\n');

const cases: [string, string | Buffer, 1 | 2, RegExp][] = [
  ['empty file', '', 2, /the plan is empty/],
  ['binary data', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0xff, 0xfe]), 2, /binary data/],
  ['YAML alias bomb', bomb, 2, /resource exhaustion|alias/i],
  ['deeply nested', `a: ${'['.repeat(20000)}${']'.repeat(20000)}`, 2, /nested too deeply|not a valid YAML/],
  [
    'duplicate keys',
    'apiVersion: gigawatt/v1alpha1\napiVersion: gigawatt/v1alpha1\n',
    2,
    /:2:1: not a valid YAML\/JSON plan: duplicate key/,
  ],
  ['a YAML list instead of a plan', '- a\n- b\n', 1, /found \["a","b"\], expected object/],
  [
    'NaN count',
    plan('[{ name: p, site: s, instanceType: p5.48xlarge, instances: .nan }]'),
    1,
    /pools\[0\]\.instances: found NaN, expected integer/,
  ],
  [
    'Infinity count',
    plan('[{ name: p, site: s, instanceType: p5.48xlarge, instances: .inf }]'),
    1,
    /found Infinity, expected integer/,
  ],
  [
    '1e308 count',
    plan('[{ name: p, site: s, instanceType: p5.48xlarge, instances: 1e308 }]'),
    1,
    /must be <= 10000000/,
  ],
  [
    'negative count',
    plan('[{ name: p, site: s, instanceType: p5.48xlarge, instances: -1 }]'),
    1,
    /must be >= 1/,
  ],
  [
    'fractional count',
    plan('[{ name: p, site: s, instanceType: p5.48xlarge, instances: 1.5 }]'),
    1,
    /found 1\.5, expected integer/,
  ],
  [
    'unicode name',
    plan('[{ name: "pööl", site: s, instanceType: p5.48xlarge, instances: 1 }]'),
    1,
    /pools\[0\]\.name: found 'pööl', which is not allowed here/,
  ],
  [
    'injection-like name',
    plan('[{ name: "p\\"; rm -rf /; #", site: s, instanceType: p5.48xlarge, instances: 1 }]'),
    1,
    /pools\[0\]\.name: found/,
  ],
  [
    'Terraform interpolation in a name',
    plan('[{ name: "${file(\\"/etc/passwd\\")}", site: s, instanceType: p5.48xlarge, instances: 1 }]'),
    1,
    /pools\[0\]\.name/,
  ],
  [
    'dangling site reference',
    plan('[{ name: p, site: nowhere, instanceType: p5.48xlarge, instances: 1 }]'),
    1,
    /GW-PLAN-REFERENCE.*names site 'nowhere'/,
  ],
  [
    '__proto__ key',
    plan('[{ name: p, site: s, instanceType: p5.48xlarge, instances: 1, __proto__: { polluted: true } }]'),
    1,
    /unknown key '__proto__'/,
  ],
];

describe('hostile plans', () => {
  test.each(cases.map(([name, content, exit, message]) => ({ name, content, exit, message })))(
    '$name → exit $exit with a clear message',
    ({ name, content, exit, message }) => {
      const started = Date.now();
      const r = runCli(['validate', file(`${name.replace(/\W+/g, '-')}.yaml`, content)]);
      expect(Date.now() - started).toBeLessThan(15000);
      expect(r.status).toBe(exit);
      const out = r.stdout + r.stderr;
      expect(out).toMatch(message);
      expect(out).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
      if (exit === 2) expect(r.stderr.trim().split('\n')).toHaveLength(1);
    },
  );

  test('a 50 MB plan is refused quickly without being parsed', () => {
    const big = file('big.yaml', Buffer.alloc(50 * 1024 * 1024, 'a'));
    const started = Date.now();
    const r = runCli(['validate', big]);
    expect(Date.now() - started).toBeLessThan(15000);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/plan is larger than 16 MiB; split the fleet into several plans\.$/);
  });

  test('a directory instead of a file exits 2', () => {
    const r = runCli(['validate', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot read the plan \(is a directory\)/);
  });
});
