/**
 * Hostile input: every bad plan gives exit 1 or 2 with a clear one-line reason, within bounded time,
 * and never a stack trace.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ROOT, daysFromNow, exampleFiles, runCli, tempDir } from './helpers';
import { loadPlanText, planSchema } from './schema-imports';

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
  [
    'YAML alias bomb',
    `apiVersion: gigawatt/v1alpha1\n${bomb}`,
    2,
    /too many aliases \(resource exhaustion\)/,
  ],
  ['deeply nested', `a: ${'['.repeat(20000)}${']'.repeat(20000)}`, 2, /nested too deeply|not a valid YAML/],
  [
    'duplicate keys',
    'apiVersion: gigawatt/v1alpha1\napiVersion: gigawatt/v1alpha1\n',
    2,
    /:2:1: not a valid YAML\/JSON plan: duplicate key/,
  ],
  ['a YAML list instead of a plan', '- a\n- b\n', 2, /not a gigawatt plan: the document is a list;/],
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

// No wall-clock assertions: each spawn is bounded by runCli's timeout, and `npm run bench -- --hostile`
// measures the time and memory of these plans against their targets.
describe('hostile plans', () => {
  test.each(cases.map(([name, content, exit, message]) => ({ name, content, exit, message })))(
    '$name → exit $exit with a clear message',
    ({ name, content, exit, message }) => {
      const r = runCli(['validate', file(`${name.replace(/\W+/g, '-')}.yaml`, content)]);
      expect(r.status).toBe(exit);
      const out = r.stdout + r.stderr;
      expect(out).toMatch(message);
      expect(out).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
      if (exit === 2) expect(r.stderr.trim().split('\n')).toHaveLength(1);
    },
  );

  test('a 50 MB plan is refused quickly without being parsed', () => {
    const big = file('big.yaml', Buffer.alloc(50 * 1024 * 1024, 'a'));
    const r = runCli(['validate', big]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/plan is larger than 16 MiB; split the fleet into several plans\.$/);
  });

  test('a directory instead of a file exits 2', () => {
    const r = runCli(['validate', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot read the plan \(is a directory\)/);
  });
});

/** A plan from a pull request cannot switch off the checks that judge it. */
describe('waivers written by the plan', () => {
  const day = daysFromNow;
  const aws = (extra: string) => `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: w }
sites: [{ name: ohio, provider: aws, region: us-east-2, quotas: { P: 3072 } }]
fabrics: [{ name: efa, site: ohio, vpcCidr: 10.64.0.0/16, availabilityZone: us-east-2b }]
pools: [{ name: h100, site: ohio, fabric: efa, instanceType: p5.48xlarge, instances: 2, maxInstances: 1 }]
${extra}`;
  const poolMax = (expires: string, reason = 'growth approved in review') =>
    `  - { rule: GW-NET-POOL-MAX, target: pools.h100, reason: ${reason}, expires: ${expires} }\n`;

  test.each([
    [
      'its public EKS endpoint, exact target',
      'kubernetes: { endpoint: public, publicAccessCidrs: [0.0.0.0/1, 128.0.0.0/1] }',
      'GW-SEC-EKS-PUBLIC',
      'kubernetes',
    ],
    [
      'its open ingress, broad target',
      'fabrics:\n  - { name: efa, site: ohio, vpcCidr: 10.64.0.0/16, availabilityZone: us-east-2b, securityGroups: [{ name: open, selfIngressAllTraffic: true, selfEgressAllTraffic: true, ingressCidrs: [0.0.0.0/0] }] }',
      'GW-SEC-OPEN-INGRESS',
      'fabrics',
    ],
  ])('a plan waiving %s (expiry 9999-12-31) still fails', (_n, extra, rule, target) => {
    const text = aws(`${extra}
waivers:
  - { rule: ${rule}, target: ${target}, reason: the demo needs it for now, expires: 9999-12-31 }
${poolMax(day(30))}`);
    const plan = file(
      `self-waiver-${rule}.yaml`,
      extra.startsWith('fabrics:') ? text.replace(/^fabrics: \[.*\]\n/m, '') : text,
    );
    const r = runCli(['validate', plan]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`error  ${rule}  `));
    expect(r.stdout).toContain(
      `GW-WAIVER-POLICY  Waiver of ${rule} for ${target} refused: ${rule} is a security rule`,
    );
    expect(r.stdout).not.toMatch(/waived {2}GW-SEC/);
    // Nor through synth: nothing is written.
    expect(runCli(['synth', plan, '--out', join(dir, `${rule}.out`)]).status).toBe(1);
  });

  test('public hybrid remote CIDRs are open ingress, even with GW-NET-HYBRID waived', () => {
    // gigawatt allows all traffic from the remote node and pod networks into the cluster security group.
    const hybrid = (cidrs: string, groups = '') => `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: hy }
sites:
  - { name: ohio, provider: aws, region: us-east-2, quotas: { P: 3072 } }
  - name: dc
    provider: onprem
    power: { utilityMW: 10, redundancy: N, feeds: 1, pue: 1.3 }
    hybrid: { cluster: ohio, remoteNodeCidrs: [${cidrs}] }
fabrics: [{ name: efa, site: ohio, vpcCidr: 10.64.0.0/16, availabilityZone: us-east-2b${groups} }]
pools:
  - { name: h100, site: ohio, fabric: efa, instanceType: p5.48xlarge, instances: 2 }
  - { name: local, site: dc, system: dgx-h100, nodes: 4 }
waivers:
  - { rule: GW-NET-HYBRID, target: sites.dc, reason: the site uses public space, expires: ${day(30)} }
`;
    const base = file('hybrid-private.yaml', hybrid('10.200.0.0/24'));
    expect(runCli(['validate', base]).status).toBe(0);
    const open = file('hybrid-open.yaml', hybrid('0.0.0.0/1, 128.0.0.0/1'));
    const r = runCli(['validate', open]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/waived {2}GW-NET-HYBRID {2}Remote node CIDR 0\.0\.0\.0\/1/);
    expect(r.stdout).toContain(
      "hybrid-open.yaml:9:13  error  GW-SEC-OPEN-INGRESS  Fabric 'efa' allows ingress from the internet: the remote node and pod CIDRs of hybrid site 'dc' are allowed into its cluster security group; 0.0.0.0/1, 128.0.0.0/1 cover 3,702,258,432 public IPv4 addresses",
    );
    // diff fails on it as validate does.
    const d = runCli(['diff', base, open]);
    expect(d.status).toBe(1);
    expect(d.stdout).toMatch(/GW-SEC-OPEN-INGRESS/);
    // Half of the internet from a security group, the other half from the hybrid site: the same finding.
    const split = runCli([
      'validate',
      file(
        'hybrid-split.yaml',
        hybrid(
          '128.0.0.0/1',
          ', securityGroups: [{ name: half, selfIngressAllTraffic: true, selfEgressAllTraffic: true, ingressCidrs: [0.0.0.0/1] }]',
        ),
      ),
    ]);
    expect(split.status).toBe(1);
    expect(split.stdout).toContain(
      "error  GW-SEC-OPEN-INGRESS  Fabric 'efa' allows ingress from the internet: the remote node and pod CIDRs of hybrid site 'dc' are allowed into its cluster security group, with Security group 'half'; 0.0.0.0/1, 128.0.0.0/1 cover",
    );
  });

  test('a waiver of a Terraform-pack rule is refused as well', () => {
    const plan = file(
      'pack-waiver.yaml',
      aws(`waivers:
  - { rule: GW-SEC-NO-OPEN-INGRESS, target: fabrics.efa, reason: the load balancer needs it, expires: ${day(10)} }
${poolMax(day(30))}`),
    );
    const r = runCli(['validate', plan]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/GW-WAIVER-POLICY {2}Waiver of GW-SEC-NO-OPEN-INGRESS for fabrics\.efa refused/);
  });

  test('expires at most 90 days after the run date: 9999-12-31 is refused, 90 days is not', () => {
    const far = runCli(['validate', file('far.yaml', aws(`waivers:\n${poolMax('9999-12-31')}`))]);
    expect(far.status).toBe(1);
    expect(far.stdout).toContain(
      `GW-WAIVER-POLICY  Waiver of GW-NET-POOL-MAX for pools.h100 refused: it expires on 9999-12-31, more than 90 days after ${day(0)} (latest allowed: ${day(90)})`,
    );
    expect(far.stdout).toMatch(/error {2}GW-NET-POOL-MAX/);
    const near = runCli(['validate', file('near.yaml', aws(`waivers:\n${poolMax(day(89))}`))]);
    expect(near.stdout).toMatch(/waived {2}GW-NET-POOL-MAX/);
    expect(near.status).toBe(0);
  });

  test('gigawatt diff lists the waivers a change adds, changes or removes', () => {
    const base = file('w-base.yaml', aws(`waivers:\n${poolMax(day(20))}`));
    const added = file(
      'w-added.yaml',
      aws(
        `waivers:\n${poolMax(day(20))}  - { rule: GW-PWR-ESTIMATE, target: pools.h100, reason: datasheet requested, expires: ${day(40)} }\n`,
      ),
    );
    const a = runCli(['diff', base, added, '--fail-on', 'none']);
    expect(a.status).toBe(0);
    expect(a.stdout).toContain('### Waivers');
    expect(a.stdout).toContain(
      `- 🆕 added \`GW-PWR-ESTIMATE\` for pools.h100 until ${day(40)}: datasheet requested`,
    );
    expect(a.stdout).not.toContain('GW-NET-POOL-MAX` for');
    const changed = file('w-changed.yaml', aws(`waivers:\n${poolMax(day(60), 'approved again for longer')}`));
    const c = runCli(['diff', base, changed, '--format', 'json', '--fail-on', 'none']);
    expect(JSON.parse(c.stdout).waivers).toEqual({
      added: [],
      removed: [],
      changed: [
        {
          base: expect.objectContaining({ expires: day(20), reason: 'growth approved in review' }),
          head: expect.objectContaining({ expires: day(60), reason: 'approved again for longer' }),
        },
      ],
    });
    expect(runCli(['diff', base, changed, '--fail-on', 'none']).stdout).toContain(
      `- 🔁 changed \`GW-NET-POOL-MAX\` for pools.h100 until ${day(60)}: approved again for longer (was: until ${day(20)}: growth approved in review)`,
    );
    // The report lists every waiver of the plan with its status.
    expect(runCli(['report', file('w-far.yaml', aws(`waivers:\n${poolMax('9999-12-31')}`))]).stdout).toMatch(
      /\| `GW-NET-POOL-MAX` \| pools\.h100 \| all \| 9999-12-31 \| growth approved in review \| refused by the waiver policy \|/,
    );
  });
});

/** The plan path in CI comes from the checkout: it may be a symlink, a FIFO, huge, or not a plan at all. */
describe('plan files from a pull request', () => {
  const SECRET = 'AKIAIOSFODNN7EXAMPLE';
  const noSecret = (r: { stdout: string; stderr: string }) => {
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(r.stdout + r.stderr).not.toContain('AKIA');
  };

  test('a symlink to a secret is refused, never followed', () => {
    const secret = file('config', `[remote "origin"]\n\turl = https://x:${SECRET}@github.com/o/r\n`);
    const link = join(dir, 'linked-plan.yaml');
    symlinkSync(secret, link);
    const r = runCli(['validate', link]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(
      `gigawatt: ${link}: cannot read the plan (is a symlink; give the file itself).`,
    );
    noSecret(r);
    // Even to a real plan: the path must name the file itself.
    const real = join(dir, 'linked-real.yaml');
    symlinkSync(join(process.cwd(), 'examples/p5-efa.yaml'), real);
    expect(runCli(['validate', real]).status).toBe(2);
  });

  test.each([
    ['a FIFO', (p: string) => execFileSync('mkfifo', [p]), 'is a FIFO, not a regular file'],
    ['/dev/zero', undefined, 'is a device, not a regular file'],
  ])('%s as the plan is refused at once', (_n, make, why) => {
    const path = make ? join(dir, 'pipe.yaml') : '/dev/zero';
    make?.(path);
    const r = runCli(['validate', path]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`gigawatt: ${path}: cannot read the plan (${why}).`);
  });

  test('a 5 GiB (sparse) plan is refused by its size, before it is read', () => {
    const big = join(dir, 'sparse.yaml');
    writeFileSync(big, '');
    truncateSync(big, 5 * 1024 ** 3);
    const r = runCli(['validate', big]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(
      `gigawatt: ${big}: plan is larger than 16 MiB; split the fleet into several plans.`,
    );
  });

  test.each([
    [
      'a .env file',
      `AWS_ACCESS_KEY_ID=${SECRET}\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG\n`,
      /the document is not a mapping/,
    ],
    ['a YAML credentials file', `aws_access_key_id: ${SECRET}\nregion: us-east-1\n`, /it has no apiVersion/],
    [
      'a JSON credentials file',
      JSON.stringify({ AccessKeyId: SECRET, Expiration: 'x' }),
      /it has no apiVersion/,
    ],
    ['a list of keys', `- ${SECRET}\n- other\n`, /the document is a list/],
    [
      'a Kubernetes Secret',
      `apiVersion: v1\nkind: Secret\nmetadata: { name: ${SECRET.toLowerCase()} }\nstringData: { key: ${SECRET} }\n`,
      /its apiVersion is not gigawatt\//,
    ],
    [
      'a .git/config',
      `[core]\n\trepositoryformatversion = 0\n[remote "origin"]\n\turl = https://x:${SECRET}@github.com/o/r\n`,
      /not a valid YAML\/JSON plan: YAML syntax error/,
    ],
    [
      'an unresolved alias named after the key',
      `apiVersion: gigawatt/v1alpha1\nkey: *${SECRET}\n`,
      /an alias names no anchor/,
    ],
    [
      'a bad escape beside the key',
      `apiVersion: gigawatt/v1alpha1\nkey: "\\q${SECRET}"\n`,
      /YAML syntax error \(bad dq escape\)/,
    ],
  ])('%s given as the plan: exit 2, its contents never shown', (name, content, why) => {
    const r = runCli(['validate', file(`${name.replace(/\W+/g, '-')}.yaml`, content)]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(why);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    noSecret(r);
  });

  test('a %YAML 1.1 directive (1:30 read as 90) is refused; %YAML 1.2 is fine', () => {
    const text = readFileSync(join(process.cwd(), 'examples/p5-efa.yaml'), 'utf8').replace(
      'instances: 32',
      'instances: 1:30',
    );
    const r = runCli(['validate', file('yaml11.yaml', `%YAML 1.1\n---\n${text}`)]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/yaml11\.yaml:1:1: not a valid YAML\/JSON plan: only YAML 1\.2 is accepted/);
    expect(
      runCli(['validate', file('tag.yaml', `%TAG !x! tag:example.com,2000:\n---\n${text}`)]).status,
    ).toBe(2);
    // Under YAML 1.2 "1:30" is a string, which the schema refuses as a count.
    const ok = runCli(['validate', file('yaml12.yaml', `%YAML 1.2\n---\n${text}`)]);
    expect(ok.status).toBe(1);
    expect(ok.stdout).toMatch(/pools\[0\]\.instances: found '1:30', expected integer/);
  });
});

describe('output streams that fail', () => {
  /** Spawn the CLI with stdout a pipe whose reader leaves after the first chunk, as `| head -1` does. */
  const closedEarly = (args: string[]) =>
    new Promise<{ status: number | null; stderr: string; read: number }>((done) => {
      const child = spawn(process.execPath, [CLI, ...args], {
        cwd: ROOT,
        env: { ...process.env, NO_COLOR: '1' },
      });
      let stderr = '';
      let read = 0;
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.stdout.once('data', (c: Buffer) => {
        read = c.length;
        child.stdout.destroy();
      });
      child.on('close', (status) => done({ status, stderr, read }));
    });

  test('validate of every example | head -1: exits quietly with its verdict, no stack trace', async () => {
    // One write per plan: the writes after the reader left meet EPIPE.
    const r = await closedEarly(['validate', ...exampleFiles()]);
    expect(r.read).toBeGreaterThan(0);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test('stdout on a full disk: one line on stderr, exit 2', () => {
    const r = spawnSync(process.execPath, [CLI, 'validate', 'examples/frontier.yaml'], {
      cwd: ROOT,
      stdio: ['ignore', openSync('/dev/full', 'w'), 'pipe'],
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('gigawatt: cannot write the output: ENOSPC: no space left on device, write\n');
  });
});

describe('cost bounded by input size', () => {
  test('10,000 unknown keys in one mapping (109 KB): every key reported, each mapping stringified once', () => {
    const keys = Array.from({ length: 10000 }, (_, i) => `  k${i}: 1`).join('\n');
    const path = file(
      'many-keys.yaml',
      `${plan('[]').replace('metadata: { name: x }', `metadata:\n  name: x\n${keys}`)}`,
    );
    // 1.5 MB of annotations: more than runCli's buffer.
    const r = spawnSync(process.execPath, [CLI, 'validate', path, '--format', 'github'], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      timeout: 120000,
    });
    // Speed is for the benchmark (`npm run bench -- --hostile`); here the spawn timeout only bounds a
    // regression, and the counting test below shows the parse and locate steps stay linear.
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(1);
    const unknown = r.stdout.split('\n').filter((l) => /^::error .*unknown key 'k\d+'/.test(l));
    expect(unknown).toHaveLength(10000);
  });
});

describe('one mapping of many keys: parsed and located in time linear in its keys', () => {
  const N = 20_000;
  /** A plan whose metadata has `n` more keys than its name; `extra` is written after them. */
  const manyKeys = (n: number, extra = '') =>
    plan('[]').replace(
      'metadata: { name: x }',
      `metadata:\n  name: x\n${Array.from({ length: n }, (_, i) => `  k${i}: 1`).join('\n')}\n${extra}`.trimEnd(),
    );
  // The plan's lines: apiVersion, kind, metadata, name, then k0 at line 5.
  const lineOf = (i: number) => 5 + i;

  test('a duplicate key after 20,000 keys is reported at its own line and column, exit 2', () => {
    const r = runCli(['validate', file('dup-deep.yaml', manyKeys(N, '  k12345: 2'))]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `gigawatt: ${join(dir, 'dup-deep.yaml')}:${lineOf(N)}:3: not a valid YAML/JSON plan: duplicate key.\n`,
    );
  });

  test('a duplicate key in a flow mapping nested in the big one: its line and column, not the first key', () => {
    const text = manyKeys(N, '  labels: { a: 1, b: 2,  a: 3 }');
    const r = runCli(['validate', file('dup-flow.yaml', text)]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `gigawatt: ${join(dir, 'dup-flow.yaml')}:${lineOf(N)}:26: not a valid YAML/JSON plan: duplicate key.\n`,
    );
  });

  test('of two problems, the one earlier in the text is reported, as before', () => {
    // A duplicate key after a bad escape: the escape (line 5); before it: the duplicate (line 6).
    const escapeFirst = manyKeys(2, '  bad: "\\q"\n  k0: 2');
    expect(runCli(['validate', file('escape-first.yaml', escapeFirst)]).stderr).toMatch(
      /:7:9: not a valid YAML\/JSON plan: YAML syntax error \(bad dq escape\)\.\n$/,
    );
    const duplicateFirst = manyKeys(2, '  k0: 2\n  bad: "\\q"');
    expect(runCli(['validate', file('duplicate-first.yaml', duplicateFirst)]).stderr).toMatch(
      /:7:3: not a valid YAML\/JSON plan: duplicate key\.\n$/,
    );
  });

  test("20,000 unknown keys: each at its own line, the last one's too", () => {
    const path = file('unknown-keys.yaml', manyKeys(N));
    const r = spawnSync(process.execPath, [CLI, 'validate', path, '--format', 'json'], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      timeout: 120000,
    });
    expect(r.status).toBe(1);
    const found = (JSON.parse(r.stdout) as { diagnostics: { path: string; line?: number; col?: number }[] })
      .diagnostics;
    const at = new Map(found.map((d) => [d.path, `${d.line}:${d.col}`]));
    for (const i of [0, 1, 9999, N - 1]) expect(at.get(`metadata.k${i}`)).toBe(`${lineOf(i)}:3`);
    expect(found.filter((d) => /^metadata\.k\d+$/.test(d.path))).toHaveLength(N);
  });

  /**
   * Work counted, not timed: the calls to the yaml library's node-type checks (isScalar, isPair, isMap,
   * isSeq, made by the library and by the parse and locate code) while a plan is parsed and every problem
   * located. Twice the keys is twice the calls; a check of each key against the keys before it (the
   * library's uniqueKeys) or a scan of the mapping per located key made it four times.
   */
  // The yaml library's reading (the fast one, fast-read.ts, never calls these checks).
  test('the work of parsing and locating grows linearly with the keys of one mapping', () => {
    // The library's own module of checks, which it calls internally, and its public re-exports of them.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const identity = require(join(ROOT, 'node_modules/yaml/dist/nodes/identity.js')) as Record<
      string,
      unknown
    >;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const yaml = require('yaml') as Record<string, unknown>;
    const names = ['isScalar', 'isPair', 'isMap', 'isSeq'];
    let calls = 0;
    const saved = [identity, yaml].map((m) => names.map((n) => m[n]));
    for (const m of [identity, yaml])
      for (const n of names) {
        const f = m[n] as (x: unknown) => boolean;
        m[n] = (x: unknown) => (calls++, f(x));
      }
    const work = (text: string) => {
      calls = 0;
      try {
        loadPlanText(text, 'plan.yaml', 'full');
      } catch {
        // A duplicate key is a parse error: the work is counted all the same.
      }
      return calls;
    };
    try {
      for (const extra of ['', '  k7: 2']) {
        const [small, large] = [2000, 4000].map((n) => work(manyKeys(n, extra)));
        expect(small).toBeGreaterThan(2000);
        expect(large / small).toBeLessThan(2.2);
      }
    } finally {
      [identity, yaml].forEach((m, i) => names.forEach((n, j) => (m[n] = saved[i][j])));
    }
  });
});

/** Limits the schema sets, enforced before the plan expands into documents, resources or rows. */
/** The schema's limit on pools. */
const LIMIT = planSchema.properties.pools.maxItems;

describe('limits checked before expansion', () => {
  const head = 'apiVersion: gigawatt/v1alpha1\nkind: ClusterPlan\nmetadata: { name: x }\n';
  const aws = 'sites: [{ name: s, provider: aws, region: us-east-1 }]\n';
  const onePool = (i: number) => `{ name: p${i}, site: s, instanceType: p5.48xlarge, instances: 1 }`;
  // 234,000 pools: just under 16 MiB as YAML; 220,000 as one 15 MB line of JSON.
  const POOLS = 234_000;

  test('a 16 MiB plan of 234,000 pools fails at its pools line while being parsed, exit 2', () => {
    const lines = Array.from({ length: POOLS }, (_, i) => `  - ${onePool(i)}`);
    const path = file('234k-pools.yaml', `${head}${aws}pools:\n${lines.join('\n')}\n`);
    const r = runCli(['validate', path]);
    expect(r.status).toBe(2);
    // "more than": the count seen while parsing, not after building the whole document.
    expect(r.stderr).toBe(
      `gigawatt: ${path}:6:3: the plan has more than ${LIMIT} pools; at most ${LIMIT} are allowed. Merge pools of the same type and site, or split the fleet into several plans.\n`,
    );
  });

  test('the same pools as one line of JSON fail the same way', () => {
    const pools = Array.from({ length: 220_000 }, (_, i) => ({
      name: `p${i}`,
      site: 's',
      instanceType: 'p5.48xlarge',
      instances: 1,
    }));
    const json = JSON.stringify({
      apiVersion: 'gigawatt/v1alpha1',
      kind: 'ClusterPlan',
      metadata: { name: 'x' },
      sites: [{ name: 's', provider: 'aws', region: 'us-east-1' }],
      pools,
    });
    expect(json.includes('\n')).toBe(false);
    const path = file('220k-pools.json', json);
    const r = runCli(['validate', path]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `^gigawatt: ${path}:1:\\d+: the plan has more than ${LIMIT} pools; at most ${LIMIT} are allowed\\.`,
      ),
    );
  });

  test('a nested list over its maxItems (600 halls of one site, limit 500) fails with its path', () => {
    const halls = Array.from(
      { length: 600 },
      (_, i) => `{ name: h${i}, cooling: air, racks: 1, rackKW: 10 }`,
    );
    const path = file(
      'many-halls.yaml',
      `${head}sites:\n  - name: dc\n    provider: onprem\n    halls: [${halls.join(', ')}]\npools: [{ name: p, site: dc, system: dgx-b200, nodes: 1 }]\n`,
    );
    const r = runCli(['validate', path]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `^gigawatt: ${path}:7:12: sites\\[0\\]\\.halls has (more than 500|600) entries; at most 500 are allowed`,
      ),
    );
  });

  test('exactly the limit of pools, in flow and block style, are parsed and judged (exit 1 or 0, never 2)', () => {
    const flow = file(
      'limit-flow.yaml',
      `${head}${aws}pools: [${Array.from({ length: LIMIT }, (_, i) => onePool(i)).join(', ')}]\n`,
    );
    const block = file(
      'limit-block.yaml',
      `${head}${aws}pools:\n${Array.from({ length: LIMIT }, (_, i) => `  - ${onePool(i)}`).join('\n')}\n`,
    );
    for (const path of [flow, block]) {
      // A finding per pool (no fabric for EFA): more than runCli's buffer.
      const r = spawnSync(process.execPath, [CLI, 'validate', path], {
        cwd: ROOT,
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      });
      expect(r.stderr).toBe('');
      const n = LIMIT.toLocaleString('en-US');
      expect(r.stdout).toContain(
        `\nplan x: 1 site, ${LIMIT} pools, ${n} nodes, ${(LIMIT * 8).toLocaleString('en-US')} accelerators\n`,
      );
      // A finding about the site names its first 12 pools, not all of them.
      const eks = r.stdout.split('\n').find((l) => l.includes('managed node groups ('))!;
      expect(eks).toContain(
        `(p0 1, p1 1, p2 1, p3 1, p4 1, p5 1, p6 1, p7 1, p8 1, p9 1, p10 1, p11 1 and ${(LIMIT - 12).toLocaleString('en-US')} more)`,
      );
      expect(eks.length).toBeLessThan(400);
    }
  });

  const huge = file(
    'huge-instances.yaml',
    `${head}${aws}fabrics: [{ name: f, site: s, vpcCidr: 10.0.0.0/16, availabilityZone: us-east-1a }]\npools: [{ name: p, site: s, fabric: f, instanceType: p5.48xlarge, instances: 10000000 }]\n`,
  );
  const eks = `gigawatt: ${huge}:6:78: site 's' would have 10,000,000 nodes in its EKS cluster (p 10,000,000); EKS runs at most 100,000 per cluster, so no Terraform is built for it (GW-CAP-EKS). Split the site into several sites.\n`;

  test('a 300-byte plan with instances: 10000000: diff refuses to build 22,223 node groups, exit 2', () => {
    const r = runCli(['diff', huge, huge]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(eks);
    expect(r.stdout).toBe('');
  });

  test('synth --force of it refuses the same way and writes nothing', () => {
    const out = join(dir, 'huge-synth');
    const r = runCli(['synth', huge, '--force', '--out', out]);
    expect(r.status).toBe(2);
    // After the findings --force writes past, the refusal.
    expect(r.stderr.endsWith(eks)).toBe(true);
    expect(existsSync(out)).toBe(false);
  });

  test('inventory --force of 10,000,000 on-prem nodes refuses before writing a row, exit 2', () => {
    const path = file(
      'huge-nodes.yaml',
      `${head}sites:\n  - name: dc\n    provider: onprem\n    power: { utilityMW: 100, redundancy: N, pue: 1.25 }\n    halls: [ { name: a, cooling: air, racks: 100000, rackKW: 100 } ]\npools:\n  - { name: b200, site: dc, system: dgx-b200, nodes: 10000000, hall: a }\n`,
    );
    const out = join(dir, 'huge-inventory');
    const r = runCli(['inventory', path, '--force', '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `gigawatt: ${path}:10:54: the inventory would have 10,000,000 rows (one per on-prem node and switch); at most 250,000 are written. Split the plan by site or hall.\n`,
    );
    expect(existsSync(out)).toBe(false);
  });

  test('synth --force of 10,000,000 on-prem nodes refuses before building a rack registration, exit 2', () => {
    // The same plan once crashed synth out of memory (4.4 GB, signal 6) writing nodes/racks.yaml.
    const path = file(
      'huge-racks.yaml',
      `${head}sites:\n  - name: dc\n    provider: onprem\n    power: { utilityMW: 100, redundancy: N, pue: 1.25 }\n    halls: [ { name: a, cooling: air, racks: 100000, rackKW: 100 } ]\npools:\n  - { name: b200, site: dc, system: dgx-b200, nodes: 10000000, hall: a }\n`,
    );
    const out = join(dir, 'huge-racks');
    const r = runCli(['synth', path, '--force', '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `gigawatt: ${path}:10:54: the plan places its on-prem nodes in 2,500,000 racks, and synth writes a node registration per rack; at most 50,000 are written, so nothing is synthesized. Split the plan by site or hall.\n`,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });
});

describe('an AWS site with a VPC fabric and no pools still gets an EKS cluster, so its rules run', () => {
  // constructs/stacks.ts builds a cluster (IAM roles, service CIDR) for every AWS site with a VPC fabric;
  // GW-PLAN-AWS-NAMES and GW-NET-SERVICE-CIDR once skipped sites without pools, so this plan passed
  // validate and its Terraform failed terraform validate ("expected length of name to be in the range
  // (1 - 64)") and CreateCluster (service CIDR inside the VPC).
  const long = 'b'.repeat(40);
  const text = `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: ${'a'.repeat(40)} }
sites:
  - { name: virginia, provider: aws, region: us-east-1, quotas: { P: 6144 } }
  - { name: ${long}, provider: aws, region: us-east-2 }
fabrics:
  - { name: efa, site: virginia, vpcCidr: 10.80.0.0/16, availabilityZone: us-east-1a }
  - { name: empty, site: ${long}, vpcCidr: 172.20.0.0/16, availabilityZone: us-east-2a }
pools:
  - { name: h100, site: virginia, fabric: efa, instanceType: p5.48xlarge, instances: 2, efa: true }
kubernetes: { serviceCidr: 172.20.0.0/16 }
`;
  test('validate reports the long role names and the service CIDR in its VPC, exit 1', () => {
    const path = file('no-pools-cluster.yaml', text);
    const r = runCli(['validate', path]);
    expect(r.status).toBe(1);
    const lines = r.stdout.split('\n').filter((l) => / error {2}GW-/.test(l));
    expect(lines).toEqual([
      `${path}:6:13  error  GW-PLAN-AWS-NAMES  Site '${long}' of plan '${'a'.repeat(40)}' gives its cluster IAM role names of up to 89 characters (${'a'.repeat(40)}-${long}-cluster, ${'a'.repeat(40)}-${long}-node); IAM allows 64.`,
      `${path}:12:28  error  GW-NET-SERVICE-CIDR  kubernetes.serviceCidr 172.20.0.0/16 overlaps the VPC of fabric 'empty' (172.20.0.0/16) on site '${long}'; EKS refuses a service CIDR inside its VPC.`,
    ]);
  });
  test('synth --force builds that cluster and its roles (what the rules protect)', () => {
    const out = join(dir, 'no-pools-cluster-out');
    const r = runCli(['synth', file('no-pools-cluster-force.yaml', text), '--force', '--out', out]);
    expect(r.status).toBe(0);
    const tf = JSON.parse(readFileSync(join(out, 'terraform', 'stacks', long, 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(tf.resource.aws_eks_cluster)).toHaveLength(1);
    expect(Object.values(tf.resource.aws_iam_role).map((x) => (x as { name: string }).name)).toContain(
      `${'a'.repeat(40)}-${long}-cluster`,
    );
  });
});

describe('CIDRs with leading zeros are refused by the schema, not crashed on', () => {
  // ipaddr.js reads an octet 0N as octal and throws on 08/09: the CIDR rules were GW-RULE-CRASH and `diff`
  // and `synth --force` printed a stack trace. The AWS provider refuses leading zeros at terraform validate.
  const base = readFileSync(join(ROOT, 'examples', 'p5-efa.yaml'), 'utf8');
  test.each([
    [
      'vpcCidr',
      '09.80.0.0/16',
      (t: string, c: string) => t.replace('vpcCidr: 10.80.0.0/16', `vpcCidr: ${c}`),
      'fabrics[0].vpcCidr',
    ],
    [
      'ingress CIDR',
      '10.08.0.0/16',
      (t: string, c: string) =>
        t.replace(
          'vpcCidr: 10.80.0.0/16',
          `vpcCidr: 10.80.0.0/16\n    securityGroups: [{ name: x, ingressCidrs: [${c}] }]`,
        ),
      'fabrics[0].securityGroups[0].ingressCidrs[0]',
    ],
    [
      'service CIDR',
      '172.09.0.0/16',
      (t: string, c: string) => t.replace("version: '1.33'", `version: '1.33'\n  serviceCidr: ${c}`),
      'kubernetes.serviceCidr',
    ],
    [
      'public access CIDR',
      '01.2.3.0/24',
      (t: string, c: string) =>
        t.replace("version: '1.33'", `version: '1.33'\n  endpoint: public\n  publicAccessCidrs: [${c}]`),
      'kubernetes.publicAccessCidrs[0]',
    ],
  ])('%s %s: GW-SCHEMA from validate, diff and synth --force, no stack trace', (_what, cidr, edit, at) => {
    const text = edit(base, cidr);
    expect(text).not.toBe(base);
    const path = file(`leading-zero-${cidr.replaceAll(/[./]/g, '_')}.yaml`, text);
    const v = runCli(['validate', path]);
    expect(v.status).toBe(1);
    expect(v.stdout).toContain(`error  GW-SCHEMA  ${at}: found '${cidr}', which is not allowed here.`);
    expect(v.stdout).not.toContain('GW-RULE-CRASH');
    for (const args of [
      ['diff', join(ROOT, 'examples', 'p5-efa.yaml'), path],
      ['synth', path, '--force', '--out', join(dir, `leading-zero-out-${cidr.replaceAll(/[./]/g, '_')}`)],
    ]) {
      const r = runCli(args);
      expect(r.stdout + r.stderr).toContain(`GW-SCHEMA  ${at}: found '${cidr}'`);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    }
  });
  test.each(['0.0.0.0/0', '9.9.9.9/32', '100.64.0.0/10', '199.255.0.0/16'])(
    '%s still matches the pattern',
    (cidr) => {
      const path = file(
        `no-leading-zero-${cidr.replaceAll(/[./]/g, '_')}.yaml`,
        base.replace(
          "version: '1.33'",
          `version: '1.33'\n  endpoint: public\n  publicAccessCidrs: [${cidr}]`,
        ),
      );
      expect(runCli(['validate', path]).stdout).not.toContain('GW-SCHEMA');
    },
  );
});

describe('a timeline that starts far ahead does not stretch a waiver past 90 days', () => {
  // Before its first phase, commands build the first phase (default --at), so a plan whose timeline starts
  // in 2099 is what synth builds today; a waiver `from` its first day once ran to 2099-03-31.
  const far = (waiver: string) =>
    file(
      `far-timeline-${waiver.length}.yaml`,
      `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: far }
sites:
  - { name: virginia, provider: aws, region: us-east-1, quotas: { P: 192 } }
fabrics:
  - { name: efa, site: virginia, vpcCidr: 10.80.0.0/16, availabilityZone: us-east-1a }
pools:
  - { name: h100, site: virginia, fabric: efa, instanceType: p5.48xlarge, instances: 64 }
timeline:
  - { date: 2099-01-01, pools: [{ name: h100, instances: 64 }] }
waivers:
  - { rule: GW-CAP-QUOTA, target: sites.virginia, reason: quota request is pending, ${waiver} }
`,
    );
  test('a waiver from the first phase to 2099-03-31 is refused and waives nothing, exit 1', () => {
    const r = runCli(['validate', far('from: 2099-01-01, expires: 2099-03-31')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      / error {2}GW-CAP-QUOTA {2}Site 'virginia': on-demand P instances need 12,288 vCPUs/,
    );
    expect(r.stdout).toContain(
      `error  GW-WAIVER-POLICY  Waiver of GW-CAP-QUOTA for sites.virginia refused: it expires on 2099-03-31, more than 90 days after ${daysFromNow(0)} (latest allowed: ${daysFromNow(90)}); it waives nothing.`,
    );
  });
  test('the same waiver expiring within 90 days of today waives the finding, exit 0', () => {
    const r = runCli(['validate', far(`from: 2099-01-01, expires: ${daysFromNow(30)}`)]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/ waived {2}GW-CAP-QUOTA /);
  });
});
