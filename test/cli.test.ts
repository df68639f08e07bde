import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { exampleFiles, runCli, tempDir } from './helpers';

describe('gigawatt CLI (spawned as a process)', () => {
  test.each(exampleFiles())('validate %s exits 0', (file) => {
    const r = runCli(['validate', file]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/✔ .*: 0 errors/);
  });

  test('a plan with a wrong type, a negative count, an unknown key and an unknown instance type exits 1 naming each', () => {
    const r = runCli(['validate', 'test/fixtures/bad/mixed-errors.yaml']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      "mixed-errors.yaml:9:18  error  GW-SCHEMA  sites[0].quotas.P: found 'lots', expected integer.",
    );
    expect(r.stdout).toContain(
      'mixed-errors.yaml:14:16  error  GW-SCHEMA  pools[0].instances: found -4, must be >= 1.',
    );
    expect(r.stdout).toContain(
      "mixed-errors.yaml:19:5  error  GW-SCHEMA  pools[1].gpus: unknown key 'gpus'.",
    );
    expect(r.stdout).toMatch(
      /mixed-errors\.yaml:22:19 {2}error {2}GW-PLAN-POOL-TYPE {2}Pool 'typo': unknown instance type 'p5e\.48xlarg'\. Did you mean 'p5e\.48xlarge'/,
    );
    expect(r.stdout).toContain('4 errors');
  });

  test('an unreadable plan exits 2 with a one-line reason and no stack trace', () => {
    const r = runCli(['validate', 'no/such/plan.yaml']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('gigawatt: no/such/plan.yaml: cannot read the plan (no such file).');
  });

  test('a file that is not YAML exits 2 with file:line:col', () => {
    const r = runCli(['validate', 'test/fixtures/bad/not-yaml.yaml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^gigawatt: test\/fixtures\/bad\/not-yaml\.yaml:\d+:\d+: not a valid YAML\/JSON plan/,
    );
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('--format json gives machine-readable diagnostics', () => {
    const r = runCli(['validate', '--format', 'json', 'test/fixtures/bad/mixed-errors.yaml']);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.valid).toBe(false);
    expect(out.counts.errors).toBe(4);
    expect(out.diagnostics[0]).toMatchObject({
      rule: 'GW-SCHEMA',
      severity: 'error',
      path: 'sites[0].quotas.P',
      line: 9,
      col: 18,
    });
  });

  test('usage errors exit 2; --help and --version exit 0', () => {
    expect(runCli(['validate']).status).toBe(2);
    expect(runCli(['validate', '--format', 'xml', 'examples/p5-efa.yaml']).status).toBe(2);
    expect(runCli(['frobnicate']).status).toBe(2);
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('validate');
    const version = runCli(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test('start validates the default plan and prints its summary', () => {
    const out = join(tempDir(), 'out');
    const r = runCli(['start', '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('plan frontier: 2 sites, 2 pools, 2,112 nodes, 17,408 accelerators');
    expect(r.stdout).toContain(`synthesized 2 Terraform stacks and 23 Kubernetes files into ${out}/`);
    expect(existsSync(join(out, 'terraform/stacks/ohio/cdk.tf.json'))).toBe(true);
  });
});
