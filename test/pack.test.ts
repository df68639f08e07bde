/**
 * The package as a user installs it: `npm pack`, then the tarball installed into an empty project (its
 * dependencies from the npm cache that `npm ci` filled, the registry otherwise), then the installed CLI
 * and the library entry points used from there, never from this checkout.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from './helpers';

const project = tempDir('gigawatt-pack-');
const run = (cmd: string, args: string[], cwd = project) =>
  spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 240_000, env: { ...process.env, NO_COLOR: '1' } });

beforeAll(() => {
  const packed = run('npm', ['pack', '--silent', '--pack-destination', project], ROOT);
  expect(packed.status).toBe(0);
  const [tarball] = readdirSync(project).filter((f) => f.endsWith('.tgz'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true }));
  const installed = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', `./${tarball}`]);
  expect({ status: installed.status, stderr: installed.status ? installed.stderr : '' }).toEqual({
    status: 0,
    stderr: '',
  });
}, 300_000);

test('the installed bin validates a plan and exits as documented', () => {
  const bin = join(project, 'node_modules', '.bin', 'gigawatt');
  const ok = run(bin, ['validate', 'node_modules/gigawatt/examples/p5-efa.yaml']);
  expect(ok.stdout).toContain('0 errors');
  expect(ok.status).toBe(0);
  mkdirSync(join(project, 'plans'), { recursive: true });
  writeFileSync(join(project, 'plans', 'bad.yaml'), 'apiVersion: gigawatt/v1alpha1\nkind: ClusterPlan\n');
  const bad = run(bin, ['validate', 'plans/bad.yaml']);
  expect(bad.status).toBe(1);
  expect(bad.stdout + bad.stderr).toContain('plans/bad.yaml:');
});

test("require('gigawatt') and require('gigawatt/constructs') resolve to the packed build", () => {
  const script = `
    const g = require('gigawatt');
    const c = require('gigawatt/constructs');
    const fs = require('fs');
    const r = g.validate(fs.readFileSync('node_modules/gigawatt/examples/p5-efa.yaml', 'utf8'));
    console.log(JSON.stringify({
      plan: r.plan.name, errors: g.hasErrors(r), resolved: require.resolve('gigawatt'),
      constructs: ['GpuCluster', 'AcceleratorPool', 'NetworkFabric', 'PowerEnvelope'].every((k) => typeof c[k] === 'function'),
      schema: require('gigawatt/schema.json').$id,
    }));`;
  const out = run('node', ['-e', script]);
  expect(out.stderr).toBe('');
  const r = JSON.parse(out.stdout);
  expect(r).toMatchObject({ plan: 'h100-efa', errors: false, constructs: true });
  expect(r.resolved.startsWith(join(project, 'node_modules', 'gigawatt'))).toBe(true);
  expect(r.schema).toMatch(/^https:\/\/gigawatt\.dev\/schemas\//);
});
