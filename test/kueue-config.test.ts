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
import { readFileSync } from 'node:fs';
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
  if (!fields || !value || typeof value !== 'object' || Array.isArray(value)) return [];
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
