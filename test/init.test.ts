/** gigawatt init, validate of several plans as one JSON document, synth printing what it accepted. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BEFORE_BLOCKS, runCli, tempDir } from './helpers';

describe('gigawatt init', () => {
  test('writes an AWS starter plan that validates, with the schema line for editors', () => {
    const dir = tempDir();
    const r = runCli(['init'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('wrote plan.yaml: 16 accelerators on 2 nodes; next: gigawatt validate plan.yaml\n');
    const text = readFileSync(join(dir, 'plan.yaml'), 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=https:\/\/gigawatt\.dev\/schemas\//);
    const v = runCli(['validate', '--format', 'json', 'plan.yaml'], { cwd: dir });
    expect(v.status).toBe(0);
    expect(JSON.parse(v.stdout).counts.errors).toBe(0);
  });

  test.each([
    [['--provider', 'onprem'], 32],
    [['--provider', 'onprem', '--system', 'gb200-nvl72', '--nodes', '2', '--rack-kw', '132'], 144],
    [['--instance-type', 'trn2u.48xlarge', '--instances', '4', '--region', 'us-east-2'], 64],
  ])('%j writes a plan with %p accelerators and no errors', (flags, accelerators) => {
    const dir = tempDir();
    expect(runCli(['init', 'p.yaml', ...flags], { cwd: dir }).status).toBe(0);
    const v = JSON.parse(runCli(['validate', '--format', 'json', join(dir, 'p.yaml')]).stdout);
    expect(v.counts.errors).toBe(0);
    expect(v.summary.accelerators).toBe(accelerators);
  });

  test('never overwrites a file (exit 2, file unchanged)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plan.yaml'), 'mine\n');
    const r = runCli(['init'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('gigawatt: plan.yaml exists; init never overwrites a file. Name another file.\n');
    expect(readFileSync(join(dir, 'plan.yaml'), 'utf8')).toBe('mine\n');
  });

  test('flags that make a failing plan write nothing and say why (exit 1); bad numbers exit 2', () => {
    const dir = tempDir();
    const r = runCli(['init', 'x.yaml', '--provider', 'onprem', '--system', 'gb200-nvl72'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('GW-PWR-RACK-DENSITY');
    expect(r.stderr).toContain('x.yaml not written');
    expect(existsSync(join(dir, 'x.yaml'))).toBe(false);
    const typo = runCli(['init', 'y.yaml', '--instance-type', 'p5.48xlarg'], { cwd: dir });
    expect(typo.status).toBe(1);
    expect(typo.stderr).toContain("Did you mean 'p5.48xlarge'");
    const zero = runCli(['init', 'z.yaml', '--instances', '0'], { cwd: dir });
    expect(zero.status).toBe(2);
    expect(zero.stderr).toContain('--instances must be a positive integer');
    expect(existsSync(join(dir, 'z.yaml'))).toBe(false);
  });
});

describe('validate --format json with several plans', () => {
  test('prints one document: overall verdict and counts, one result per plan in order', () => {
    const files = ['examples/frontier.yaml', 'test/fixtures/bad/mixed-errors.yaml'];
    const r = runCli(['validate', '--format', 'json', ...files]);
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.valid).toBe(false);
    expect(doc.results.map((x: { file: string }) => x.file)).toEqual(files);
    expect(doc.results.map((x: { valid: boolean }) => x.valid)).toEqual([true, false]);
    expect(doc.counts.errors).toBe(4);
    expect(doc.counts.warnings).toBe(
      doc.results.reduce((n: number, x: { counts: { warnings: number } }) => n + x.counts.warnings, 0),
    );
  });
});

describe('synth prints the findings it accepted', () => {
  test('warnings and notes go to stderr, the written files to stdout', () => {
    const out = join(tempDir(), 'out');
    const r = runCli(['synth', 'examples/frontier.yaml', '--at', BEFORE_BLOCKS, '-o', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(
      /examples\/frontier\.yaml:\d+:\d+ {2}warning {2}GW-PWR-ESTIMATE {2}Fabric 'abilene-ib'/,
    );
    expect(r.stderr).toMatch(
      /examples\/frontier\.yaml:\d+:\d+ {2}warning {2}GW-CAP-NEURON-DEVICES {2}Pool 'trn2-ultra'/,
    );
    expect(r.stderr).toContain('✔ examples/frontier.yaml: 0 errors, 2 warnings, 2 info');
    expect(r.stdout).toMatch(/^wrote \d+ files to /);
  });
});
