/**
 * The package as a user installs it: `npm pack`, then the tarball installed into an empty project (its
 * dependencies from the npm cache that `npm ci` filled, the registry otherwise), then the installed CLI
 * and the library entry points used from there, never from this checkout; and the example cdktf app
 * (examples/cdktf-app), written against the public API only, synthesized there and checked by terraform.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transpileModule } from 'typescript';
import { ROOT, tempDir } from './helpers';
import { TERRAFORM, terraformEnv, terraformSkipReason } from './terraform-tool';

const project = tempDir('gigawatt-pack-');
const run = (cmd: string, args: string[], cwd = project, env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 240_000, env: { ...env, NO_COLOR: '1' } });

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
      // cdktf, constructs and the AWS provider are peers: the app and gigawatt load the same copy.
      peers: ['cdktf', 'constructs', '@cdktf/provider-aws/lib/provider'].map((m) =>
        require.resolve(m) === require.resolve(m, { paths: [require.resolve('gigawatt/constructs')] })),
    }));`;
  const out = run('node', ['-e', script]);
  expect(out.stderr).toBe('');
  const r = JSON.parse(out.stdout);
  expect(r).toMatchObject({ plan: 'h100-efa', errors: false, constructs: true, peers: [true, true, true] });
  expect(r.resolved.startsWith(join(project, 'node_modules', 'gigawatt'))).toBe(true);
  expect(r.schema).toMatch(/^https:\/\/gigawatt\.dev\/schemas\//);
});

test('gigawatt/pulumi without the optional Pulumi peers says which packages to install', () => {
  const out = run('node', ['-e', "require('gigawatt/pulumi')"]);
  expect(out.status).not.toBe(0);
  expect(out.stderr).toContain(
    'gigawatt/pulumi needs @pulumi/pulumi and @pulumi/kubernetes, which are optional and not installed',
  );
  expect(out.stderr).toContain('npm install @pulumi/pulumi @pulumi/kubernetes');
  expect(out.stderr).not.toContain('MODULE_NOT_FOUND');
});

test("a TypeScript app type-checks against the package's declarations without @types/node, under node16 and the cdktf init tsconfig", () => {
  // The example app and a use of the programmatic API, checked with no ambient types (types: []) and the
  // package's own .d.ts files checked too (no skipLibCheck): a Node-only type in them fails here.
  writeFileSync(
    join(project, 'app.ts'),
    readFileSync(join(ROOT, 'examples', 'cdktf-app', 'main.ts'), 'utf8'),
  );
  writeFileSync(
    join(project, 'api.ts'),
    "import { validate } from 'gigawatt';\nexport const ok = !validate('kind: ClusterPlan').plan;\n",
  );
  const typecheck = (name: string, compilerOptions: Record<string, unknown>) => {
    writeFileSync(
      join(project, name),
      JSON.stringify({
        compilerOptions: { ...compilerOptions, noEmit: true, types: [], skipLibCheck: false },
        files: ['app.ts', 'api.ts', 'entries.ts'],
      }),
    );
    return run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', name]);
  };
  writeFileSync(
    join(project, 'entries.ts'),
    [
      "import { main } from 'gigawatt/cli';",
      "import type { IGpuCluster, INetworkFabric, PoolOptions } from 'gigawatt/constructs';",
      'export const cli = main;',
      'export type Refs = [IGpuCluster, INetworkFabric, PoolOptions];',
      '',
    ].join('\n'),
  );
  const node16 = typecheck('tsconfig.node16.json', {
    strict: true,
    module: 'node16',
    moduleResolution: 'node16',
    target: 'es2022',
    lib: ['es2022'],
  });
  expect(node16.stdout + node16.stderr).toBe('');
  expect(node16.status).toBe(0);
  // The tsconfig `cdktf init --template=typescript` writes (terraform-cdk, packages/@cdktf/cli-core/
  // templates/typescript/tsconfig.json): module CommonJS and no moduleResolution, so TypeScript resolves as
  // node10 and reads no `exports`; the subpaths' types come from `typesVersions`.
  const cdktfInit = typecheck('tsconfig.cdktf-init.json', {
    strict: true,
    module: 'CommonJS',
    target: 'ES2018',
    lib: ['es2018'],
    noImplicitAny: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
  });
  expect(cdktfInit.stdout + cdktfInit.stderr).toBe('');
  expect(cdktfInit.status).toBe(0);
});

describe('examples/cdktf-app: a cluster composed on an existing VPC through the public API', () => {
  const source = readFileSync(join(ROOT, 'examples', 'cdktf-app', 'main.ts'), 'utf8');
  // The user's app, compiled as their build would (CommonJS), run from their project.
  const synthApp = (text: string, name: string) => {
    const js = transpileModule(text, { compilerOptions: { module: 1 /* CommonJS */, target: 9 } }).outputText;
    writeFileSync(join(project, `${name}.js`), js);
    return run('node', [`${name}.js`], project);
  };

  test('synthesizes one stack whose node groups use the given subnets and groups', () => {
    const r = synthApp(source, 'app');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const tf = JSON.parse(readFileSync(join(project, 'cdktf.out/stacks/training/cdk.tf.json'), 'utf8'));
    expect(Object.keys(tf.resource.aws_vpc ?? {})).toEqual([]);
    const [group] = Object.entries(tf.resource.aws_eks_node_group as Record<string, Record<string, unknown>>)
      .filter(([id]) => id.includes('pool-h100'))
      .map(([, g]) => g);
    expect(group).toMatchObject({ subnet_ids: ['subnet-0a1b2c3d4e5f60711'], version: '1.33' });
    const cluster = Object.values(tf.resource.aws_eks_cluster as Record<string, Record<string, unknown>>)[0];
    expect(cluster.vpc_config).toMatchObject({
      subnet_ids: ['subnet-0a1b2c3d4e5f60712', 'subnet-0a1b2c3d4e5f60713'],
      security_group_ids: ['sg-0a1b2c3d4e5f60714'],
    });
    // An EFA pool on a network gigawatt did not create gets its own cluster placement group; a Capacity
    // Block pool never does (the block is placed by AWS).
    expect(Object.values(tf.resource.aws_placement_group)).toEqual([
      expect.objectContaining({ name: 'training-h100', strategy: 'cluster' }),
    ]);
    const trainium = Object.entries(tf.resource.aws_eks_node_group as Record<string, Record<string, unknown>>)
      .filter(([id]) => id.includes('pool-trn2-ultra'))
      .map(([, g]) => g);
    expect(trainium).toEqual([
      expect.objectContaining({
        capacity_type: 'CAPACITY_BLOCK',
        instance_types: ['trn2u.48xlarge'],
        ami_type: 'AL2023_x86_64_NEURON',
        subnet_ids: ['subnet-0a1b2c3d4e5f60711'],
      }),
    ]);
  });

  (terraformSkipReason ? test.skip : test)('terraform validate accepts the stack', () => {
    const dir = join(project, 'cdktf.out/stacks/training');
    const env = terraformEnv();
    const init = run(TERRAFORM!, ['init', '-backend=false', '-input=false', '-no-color'], dir, env);
    expect(init.status === 0 ? '' : init.stderr).toBe('');
    const v = run(TERRAFORM!, ['validate', '-json', '-no-color'], dir, env);
    expect(JSON.parse(v.stdout)).toMatchObject({ valid: true, error_count: 0 });
  });

  const mutate = (from: string, to: string) => {
    expect(source.split(from)).toHaveLength(2);
    return source.replace(from, to);
  };

  test('a pool that breaks a rule fails synth with the rule id, as gigawatt validate does', () => {
    const r = synthApp(
      mutate("p5.48xlarge',\n  instances: 16,\n  maxInstances: 32,", "p5.48xlarge',\n  instances: 48,"),
      'broken',
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('[GW-CAP-QUOTA] quotas.P: ');
    expect(r.stderr).toContain('on-demand P instances need 9,216 vCPUs');
  });

  test('an UltraServer pool of part of an UltraServer fails synth with the rule id, the pool and the fix', () => {
    const r = synthApp(mutate('instances: 16, // four UltraServers', 'instances: 14, //'), 'ultra');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(
      "[GW-CAP-ULTRASERVER] addPool('trn2-ultra').instances: Pool 'trn2-ultra': 14 × trn2u.48xlarge is not a " +
        'whole number of Trn2 UltraServers (4 instances each). Fix: Use a multiple of 4, e.g. 16.',
    );
    expect(r.stderr).not.toContain('[GW-CAP-QUOTA]');
  });
});
