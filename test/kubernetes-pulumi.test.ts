/**
 * The Pulumi program registers exactly the objects the YAML holds, with identical content, under
 * pulumi.runtime.setMocks (no Pulumi CLI, no cluster).
 */
import * as pulumi from '@pulumi/pulumi';
import { parse, parseAllDocuments } from 'yaml';
import { allManifests, synthesizeKubernetes } from '../pipeline/kubernetes';
import { validateFile } from '../pipeline/run';
import { exampleFiles, ROOT } from './helpers';
import { join } from 'node:path';

interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}
const registered: Registered[] = [];

beforeAll(() =>
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    'gigawatt',
    'test',
    false,
  ),
);

const settle = () => new Promise((r) => setTimeout(r, 50));

describe.each(exampleFiles())('Pulumi program for %s', (file) => {
  test('registers every YAML object with identical content', async () => {
    const { deployKubernetesObjects } = await import('../stacks/kubernetes-pulumi');
    const plan = validateFile(join(ROOT, file)).plan!;
    const files = synthesizeKubernetes(plan);
    let yamlObjects = 0;
    for (const m of allManifests(plan)) {
      registered.length = 0;
      deployKubernetesObjects([...m.components.values()].flat());
      await settle();
      // The YAML a `kubectl apply -k` of the cluster's directory applies: the kustomization's resources
      // (nodes/ beside them configures the nodes and holds no cluster object; the smoke tests are run on
      // demand, outside it).
      const dir = `kubernetes/${m.cluster}/`;
      const resources = (parse(files.get(`${dir}kustomization.yaml`)!) as { resources: string[] }).resources;
      expect(resources).toEqual([...m.components.keys()]);
      const clusterYaml = resources.flatMap((f) =>
        parseAllDocuments(files.get(dir + f)!).map((d) => d.toJS()),
      );
      // Every YAML file of the directory itself but the smoke tests is a resource of the kustomization.
      expect(
        [...files.keys()]
          .filter((p) => p.startsWith(dir) && !p.slice(dir.length).includes('/') && p.endsWith('.yaml'))
          .map((p) => p.slice(dir.length))
          .sort(),
      ).toEqual(
        [...resources, 'kustomization.yaml', ...(m.smokeTests.length ? ['smoke-tests.yaml'] : [])].sort(),
      );
      yamlObjects += clusterYaml.length;
      expect(registered).toHaveLength(clusterYaml.length);
      const byName = new Map(registered.map((r) => [r.name, r]));
      for (const obj of clusterYaml) {
        const got = byName.get(`${obj.kind}/${obj.metadata.namespace ?? '_'}/${obj.metadata.name}`);
        expect(got).toBeDefined();
        expect(got!.inputs).toEqual(obj);
        expect(got!.type).toMatch(
          obj.apiVersion.startsWith('kueue') ? /^kubernetes:kueue\.x-k8s\.io\/v1beta2:/ : /^kubernetes:/,
        );
      }
    }
    expect(yamlObjects).toBeGreaterThan(0);
  });
});
