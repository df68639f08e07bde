/**
 * Kueue as part of the output: `gigawatt synth` states the Kueue release each cluster directory targets and
 * ships Kueue's manager configuration as the ConfigMap the release reads (kueue-manager-config in
 * kueue-system, key controller_manager_config.yaml; kubernetes-sigs/kueue v0.19.2
 * config/components/manager/kustomization.yaml). The configuration is checked against the release's own
 * files, vendored in test/fixtures/vendor/kueue (see its README):
 * - controller_manager_config.yaml: every setting gigawatt does not decide stays as the release has it;
 * - configuration_types.go (apis/config/v1beta2): every field written is one the Configuration types
 *   declare (by json tag), so a misspelt or v1beta1-only field fails here rather than at manager start.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { ROOT, runCli, tempDir } from './helpers';

const VENDOR = join(ROOT, 'test/fixtures/vendor/kueue');

const out = tempDir();
beforeAll(() => {
  for (const plan of ['p5-efa', 'frontier', 'mining-site-dgx']) {
    const r = runCli(['synth', `examples/${plan}.yaml`, '--out', join(out, plan)]);
    expect({ plan, status: r.status }).toEqual({ plan, status: 0 });
  }
});
const read = (plan: string, cluster: string, file: string) =>
  readFileSync(join(out, plan, 'kubernetes', cluster, file), 'utf8');

interface ConfigMap {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; annotations: Record<string, string> };
  data: Record<string, string>;
}
const configMap = (plan: string, cluster: string): ConfigMap => {
  const docs = parseAllDocuments(read(plan, cluster, 'kueue-manager-config.yaml')).map((d) => d.toJS());
  expect(docs).toHaveLength(1);
  return docs[0] as ConfigMap;
};
type Config = Record<string, unknown>;
const configOf = (plan: string, cluster: string): Config =>
  parse(configMap(plan, cluster).data['controller_manager_config.yaml']) as Config;

/**
 * Fields per struct of configuration_types.go: json tag → Go type name (pointer and slice marks dropped).
 * An embedded struct with `json:",inline"` contributes its fields to the enclosing one.
 */
function goStructs(source: string): Map<string, Map<string, string>> {
  const structs = new Map<string, Map<string, string>>();
  for (const m of source.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
    const fields = new Map<string, string>();
    for (const line of m[2].split('\n')) {
      const f = /^\t(\w+)(?:\s+([*[\]\w.]+))?\s+`json:"([^",]*)(?:,[^"]*)?"`/.exec(line);
      if (!f) continue;
      const [, name, type, tag] = f;
      if (tag === '') fields.set(`...${name}`, (type ?? name).replace(/^[*[\]]+/, ''));
      else fields.set(tag, type.replace(/^[*[\]]+/, ''));
    }
    structs.set(m[1], fields);
  }
  return structs;
}
const STRUCTS = goStructs(readFileSync(join(VENDOR, 'configuration_types.go'), 'utf8'));

/** Every key of `value` must be a field of `type`; fields of types outside the file are not descended into. */
function unknownFields(value: unknown, type: string, at: string): string[] {
  const fields = STRUCTS.get(type);
  if (Array.isArray(value)) return value.flatMap((v, i) => unknownFields(v, type, `${at}[${i}]`));
  if (!fields || !value || typeof value !== 'object') return [];
  const all = new Map(fields);
  for (const [k, t] of fields)
    if (k.startsWith('...')) for (const [ik, it] of STRUCTS.get(t) ?? []) all.set(ik, it);
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
    if (['apiVersion', 'kind'].includes(k) && type === 'Configuration') return [];
    const t = all.get(k);
    return t === undefined ? [`${at}.${k}`] : unknownFields(v, t, `${at}.${k}`);
  });
}

describe('kustomization and install notes state the Kueue release', () => {
  test('kustomization.yaml names Kueue v0.19.2 and its install command, and lists the configuration', () => {
    const kust = parse(read('p5-efa', 'virginia', 'kustomization.yaml'));
    expect(kust.metadata.annotations).toEqual({
      'gigawatt.dev/kueue-version': 'v0.19.2',
      'gigawatt.dev/kueue-install':
        'kubectl apply --server-side -f https://github.com/kubernetes-sigs/kueue/releases/download/v0.19.2/manifests.yaml',
    });
    // The configuration is applied before the queues that depend on the manager running with it.
    const resources: string[] = kust.resources;
    expect(resources.indexOf('kueue-manager-config.yaml')).toBeGreaterThanOrEqual(0);
    expect(resources.indexOf('kueue-manager-config.yaml')).toBeLessThan(resources.indexOf('kueue.yaml'));
  });

  test('README.md of the cluster gives the install, apply and restart steps in order', () => {
    const readme = read('p5-efa', 'virginia', 'README.md');
    const steps = [
      'kubectl apply --server-side -f https://github.com/kubernetes-sigs/kueue/releases/download/v0.19.2/manifests.yaml',
      'kubectl apply --server-side --force-conflicts -k .',
      'kubectl -n kueue-system rollout restart deploy/kueue-controller-manager',
    ].map((s) => readme.indexOf(s));
    expect(steps.every((i) => i > 0)).toBe(true);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
  });
});

describe('kueue-manager-config', () => {
  test('is the ConfigMap the Kueue release reads, in kueue-system', () => {
    const cm = configMap('p5-efa', 'virginia');
    expect(cm.apiVersion).toBe('v1');
    expect(cm.kind).toBe('ConfigMap');
    expect(cm.metadata.name).toBe('kueue-manager-config');
    expect(cm.metadata.namespace).toBe('kueue-system');
    expect(Object.keys(cm.data)).toEqual(['controller_manager_config.yaml']);
  });

  test('the configuration has the API version and kind of the release file', () => {
    // config/components/manager/kustomization.yaml: configMapGenerator `manager-config` from the file
    // controller_manager_config.yaml; config/default/kustomization.yaml adds namePrefix `kueue-` and
    // namespace kueue-system. The vendored file is that controller_manager_config.yaml.
    const upstream = parse(readFileSync(join(VENDOR, 'controller_manager_config.yaml'), 'utf8'));
    expect(upstream.apiVersion).toBe(configOf('p5-efa', 'virginia').apiVersion);
    expect(upstream.kind).toBe('Configuration');
  });

  test('uses only fields of the v1beta2 Configuration types', () => {
    expect(STRUCTS.get('Configuration')?.has('manageJobsWithoutQueueName')).toBe(true);
    for (const [plan, cluster] of [
      ['p5-efa', 'virginia'],
      ['frontier', 'ohio'],
      ['mining-site-dgx', 'west-texas'],
    ])
      expect(unknownFields(configOf(plan, cluster), 'Configuration', '')).toEqual([]);
    // The check itself catches a misspelt field and v1beta1's waitForPodsReady.enable.
    expect(unknownFields({ waitForPodsReady: { enable: true, timeout: '5m' } }, 'Configuration', '')).toEqual(
      ['.waitForPodsReady.enable'],
    );
    expect(unknownFields({ integration: {} }, 'Configuration', '')).toEqual(['.integration']);
  });

  test("keeps the release's settings that gigawatt does not decide", () => {
    const upstream = parse(readFileSync(join(VENDOR, 'controller_manager_config.yaml'), 'utf8')) as Config;
    const config = configOf('p5-efa', 'virginia');
    for (const key of ['health', 'metrics', 'webhook', 'leaderElection', 'controller', 'clientConnection'])
      expect({ key, value: config[key] }).toEqual({ key, value: upstream[key] });
    // The release's default frameworks, in its order.
    expect(config.integrations).toEqual(upstream.integrations);
  });

  test('jobs without a queue name are held in the team namespaces only', () => {
    const config = configOf('p5-efa', 'virginia');
    const plan = parse(readFileSync(join(ROOT, 'examples/p5-efa.yaml'), 'utf8'));
    const teams: string[] = plan.kubernetes.queues.teams.map(
      (t: { name: string; namespace?: string }) => t.namespace ?? t.name,
    );
    expect(config.manageJobsWithoutQueueName).toBe(true);
    expect(config.managedJobsNamespaceSelector).toEqual({
      matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...teams].sort() }],
    });
    for (const system of ['kube-system', 'kueue-system', 'gigawatt-device-plugins'])
      expect(teams).not.toContain(system);
  });

  test('waits for all pods of an admitted workload, without serialising admission', () => {
    expect(configOf('p5-efa', 'virginia').waitForPodsReady).toEqual({
      timeout: '10m',
      blockAdmission: false,
    });
  });

  test('excludes ephemeral-storage and hugepages from quota; every other request must be covered', () => {
    const config = configOf('frontier', 'ohio');
    expect(config.resources).toEqual({ excludeResourcePrefixes: ['ephemeral-storage', 'hugepages-'] });
    // None of the resources the ClusterQueues cover is excluded by prefix (Kueue would then not count it).
    const covered = parseAllDocuments(read('frontier', 'ohio', 'kueue.yaml'))
      .map((d) => d.toJS())
      .filter((o) => o.kind === 'ClusterQueue')
      .flatMap((cq) =>
        cq.spec.resourceGroups.flatMap((g: { coveredResources: string[] }) => g.coveredResources),
      );
    expect(covered).toEqual(expect.arrayContaining(['cpu', 'memory', 'aws.amazon.com/neuron']));
    for (const r of covered)
      for (const p of ['ephemeral-storage', 'hugepages-']) expect(r.startsWith(p)).toBe(false);
  });

  test('the output is identical across runs', () => {
    const again = tempDir();
    expect(runCli(['synth', 'examples/p5-efa.yaml', '--out', again]).status).toBe(0);
    for (const f of ['kueue-manager-config.yaml', 'kustomization.yaml', 'README.md'])
      expect(readFileSync(join(again, 'kubernetes/virginia', f), 'utf8')).toBe(read('p5-efa', 'virginia', f));
  });
});

/**
 * Trainium3 pools take their Neuron devices from the Neuron DRA driver (DeviceClass neuron.aws.com,
 * aws-neuron/aws-neuron-sdk deploy/files/manifests/deviceclass.yaml @81ce03ae), through ResourceClaims: their
 * queues count claims through Kueue's deviceClassMappings (site/content/en/docs/concepts/
 * dynamic_resource_allocation.md at v0.19.2), and workloads reference a ResourceClaimTemplate per team namespace.
 * fleet-100k has the Trainium3 pool trn3-gen2 (trn3p.48xlarge, 4 chips each) in cluster ohio; the variant
 * limits the team `inference` to the other Ohio pools.
 */
describe('Trainium3 (Neuron DRA driver) queues', () => {
  const dir = tempDir();
  const limited = join(dir, 'limited.yaml');
  beforeAll(() => {
    writeFileSync(
      limited,
      readFileSync(join(ROOT, 'examples/fleet-100k.yaml'), 'utf8').replace(
        '{ name: inference, namespace: inference }',
        '{ name: inference, namespace: inference, pools: [h200-ohio, trn2-ultra] }',
      ),
    );
    for (const [name, file] of [
      ['fleet-100k', 'examples/fleet-100k.yaml'],
      ['limited', limited],
    ]) {
      const r = runCli(['synth', file, '--out', join(dir, name)]);
      expect({ name, status: r.status, stderr: r.status ? r.stderr : '' }).toEqual({
        name,
        status: 0,
        stderr: '',
      });
    }
  });
  const objects = (name: string, cluster: string, file: string) =>
    parseAllDocuments(readFileSync(join(dir, name, 'kubernetes', cluster, file), 'utf8')).map(
      (d) => d.toJS() as { kind: string; metadata: { name: string; namespace?: string }; spec: any }, // eslint-disable-line @typescript-eslint/no-explicit-any
    );
  const config = (name: string, cluster: string): Config => {
    const [cm, ...rest] = objects(name, cluster, 'kueue-manager-config.yaml') as unknown as ConfigMap[];
    expect(rest).toEqual([]);
    return parse(cm!.data['controller_manager_config.yaml']!) as Config;
  };

  test('the Trainium3 ClusterQueue covers neuron.aws.com/device, not aws.amazon.com/neuron(core)', () => {
    const cq = objects('fleet-100k', 'ohio', 'kueue.yaml').find(
      (o) => o.kind === 'ClusterQueue' && o.metadata.name === 'trn3-gen2',
    )!;
    expect(cq.spec.resourceGroups).toHaveLength(1);
    expect(cq.spec.resourceGroups[0].coveredResources).toEqual(['cpu', 'memory', 'neuron.aws.com/device']);
    // 720 instances × 4 Trainium3 chips.
    expect(cq.spec.resourceGroups[0].flavors[0].resources).toContainEqual({
      name: 'neuron.aws.com/device',
      nominalQuota: 2880,
    });
    // The Trn2 UltraServer pool of the same cluster keeps the device plugin's resources.
    const trn2 = objects('fleet-100k', 'ohio', 'kueue.yaml').find(
      (o) => o.kind === 'ClusterQueue' && o.metadata.name === 'trn2-ultra',
    )!;
    expect(trn2.spec.resourceGroups[0].coveredResources).toEqual(
      expect.arrayContaining(['aws.amazon.com/neuron', 'aws.amazon.com/neuroncore']),
    );
    expect(trn2.spec.resourceGroups[0].coveredResources).not.toContain('neuron.aws.com/device');
  });

  test('the manager configuration maps neuron.aws.com/device to DeviceClass neuron.aws.com only with Trainium3', () => {
    const ohio = config('fleet-100k', 'ohio');
    expect(ohio.resources).toEqual({
      excludeResourcePrefixes: ['ephemeral-storage', 'hugepages-'],
      deviceClassMappings: [{ name: 'neuron.aws.com/device', deviceClassNames: ['neuron.aws.com'] }],
    });
    // Fields of configuration_types.go: Resources.deviceClassMappings, DeviceClassMapping.name/deviceClassNames.
    expect(unknownFields(ohio, 'Configuration', '')).toEqual([]);
    expect(
      unknownFields(
        { resources: { deviceClassMapping: [], deviceClassMappings: [{ name: 'a/b', deviceClasses: [] }] } },
        'Configuration',
        '',
      ),
    ).toEqual(['.resources.deviceClassMapping', '.resources.deviceClassMappings[0].deviceClasses']);
    // Clusters of the same plan without a Trainium3 pool keep the configuration they had.
    for (const cluster of ['virginia', 'oregon', 'abilene'])
      expect({ cluster, resources: config('fleet-100k', cluster).resources }).toEqual({
        cluster,
        resources: { excludeResourcePrefixes: ['ephemeral-storage', 'hugepages-'] },
      });
    expect(
      readFileSync(join(dir, 'fleet-100k', 'kubernetes/virginia/kueue-manager-config.yaml'), 'utf8'),
    ).not.toContain('deviceClass');
  });

  test('each team namespace that may use the pool gets the ResourceClaimTemplate of one node', () => {
    const templates = (name: string) =>
      objects(name, 'ohio', 'kueue.yaml').filter((o) => o.kind === 'ResourceClaimTemplate');
    const expected = (namespace: string) => ({
      apiVersion: 'resource.k8s.io/v1',
      kind: 'ResourceClaimTemplate',
      metadata: {
        name: 'trn3-gen2-neuron-node',
        namespace,
        labels: { 'gigawatt.dev/pool': 'trn3-gen2', 'app.kubernetes.io/managed-by': 'gigawatt' },
      },
      spec: {
        spec: {
          devices: {
            requests: [
              {
                name: 'neurons',
                exactly: {
                  deviceClassName: 'neuron.aws.com',
                  allocationMode: 'ExactCount',
                  // trn3p.48xlarge: 4 Trainium3 chips per instance (one Kubernetes node).
                  count: 4,
                  selectors: [
                    {
                      cel: {
                        expression:
                          "device.attributes['neuron.aws.com'].resourceType == 'neuron_device' && device.attributes['neuron.aws.com'].instanceType == 'trn3p.48xlarge'",
                      },
                    },
                  ],
                },
              },
            ],
          },
        },
      },
    });
    expect(templates('fleet-100k')).toEqual([expected('inference'), expected('pretraining')]);
    expect(templates('limited')).toEqual([expected('pretraining')]);
    // No other cluster of the plan has one.
    for (const cluster of ['virginia', 'oregon', 'abilene'])
      expect(
        objects('fleet-100k', cluster, 'kueue.yaml').filter((o) => o.kind === 'ResourceClaimTemplate'),
      ).toEqual([]);
  });

  test('README.md tells how to install the driver and reference the template', () => {
    const readme = readFileSync(join(dir, 'fleet-100k', 'kubernetes/ohio/README.md'), 'utf8');
    // The chart enables its device plugin by default and refuses it next to the DRA driver
    // (aws-neuron/neuron-helm-charts charts/neuron-helm-chart/README.md, "Validation Rules").
    expect(readme).toContain(
      'helm upgrade --install neuron-helm-chart oci://public.ecr.aws/neuron/neuron-helm-chart --set "devicePlugin.enabled=false" --set "npd.enabled=false" --set "draDriver.enabled=true"',
    );
    expect(readme).toContain(
      '- `trn3-gen2-neuron-node` in `inference`, `pretraining` (LocalQueue `trn3-gen2`)',
    );
    expect(readme).toContain('resourceClaimTemplateName: trn3-gen2-neuron-node');
    // The `default` LocalQueue of both teams is trn2-ultra's, whose ClusterQueue does not cover the claims:
    // the workload must name the pool's queue.
    expect(readme).toContain('metadata: { labels: { kueue.x-k8s.io/queue-name: trn3-gen2 } }');
    expect(
      objects('fleet-100k', 'ohio', 'kueue.yaml').find(
        (o) =>
          o.kind === 'LocalQueue' && o.metadata.name === 'default' && o.metadata.namespace === 'inference',
      )?.spec,
    ).toEqual({ clusterQueue: 'trn2-ultra' });
    expect(readme).toContain('"insufficient matching devices for CEL selector"');
    expect(readme).toContain("a template that claims UltraServer nodes (`resourceType ==\n'neuron_node'`");
    expect(readme).toContain('`deviceClassMappings`');
    expect(readFileSync(join(dir, 'fleet-100k', 'kubernetes/virginia/README.md'), 'utf8')).not.toContain(
      'DRA',
    );
  });
});
