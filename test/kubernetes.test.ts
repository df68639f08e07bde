import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse, parseAllDocuments, visit } from 'yaml';
import {
  allManifests,
  DEVICE_PLUGIN_EXEMPTIONS,
  restrictedFindings,
  synthesizeKubernetes,
  toYaml,
  unwaivedFindings,
  type KubeObject,
} from '../pipeline/kubernetes';
import { acceleratorKind, poolNodeLabels, poolNodeTaints } from '../pipeline/model/labels';
import { efaDevicesPerNode } from '../pipeline/model/efa';
import { validateFile } from '../pipeline/run';
import { exampleFiles, ROOT, runCli, tempDir } from './helpers';

const model = (file: string) => validateFile(join(ROOT, file)).plan!;
/** Every object of every cluster: the kustomization's components and the smoke-test Jobs. */
const objectsOf = (file: string): KubeObject[] =>
  allManifests(model(file)).flatMap((m) => [...[...m.components.values()].flat(), ...m.smokeTests]);
const find = (objs: KubeObject[], kind: string, name: string) =>
  objs.find((o) => o.kind === kind && o.metadata.name === name);
type Affinity = {
  spec: {
    template: {
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: { matchExpressions: { values: string[] }[] }[];
            };
          };
        };
      };
    };
  };
};
const selectedPools = (ds?: KubeObject): string[] =>
  ds
    ? (ds as unknown as Affinity).spec.template.spec.affinity.nodeAffinity
        .requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values
    : [];

describe.each(exampleFiles())('Kubernetes manifests of %s', (file) => {
  const plan = model(file);
  const objs = objectsOf(file);

  test('device plugins select exactly the pools with matching hardware', () => {
    for (const pool of plan.pools) {
      const kind = acceleratorKind(pool);
      // Every cluster has its own DaemonSets; count the selections over all of them.
      const selecting = (...names: string[]) =>
        objs
          .filter((o) => o.kind === 'DaemonSet' && names.includes(o.metadata.name))
          .flatMap((o) => selectedPools(o))
          .filter((p) => p === pool.name).length;
      const onNvidia = selecting('nvidia-device-plugin') === 1;
      const onNeuron = selecting('neuron-device-plugin') === 1;
      const onEfa = selecting('efa-device-plugin', 'efa-device-plugin-neuron');
      expect({ pool: pool.name, onNvidia, onNeuron, onEfa }).toEqual({
        pool: pool.name,
        onNvidia: kind === 'nvidia',
        // Trainium3 UltraServers take the Neuron DRA driver, which must not share a node with the plugin.
        onNeuron: kind === 'neuron' && pool.acceleratorModel !== 'Trainium3',
        onEfa: pool.efa && pool.instance && efaDevicesPerNode(pool.instance) > 0 ? 1 : 0,
      });
    }
  });

  test('ClusterQueue quotas equal the pool accelerator counts', () => {
    for (const pool of plan.pools) {
      const cq = find(objs, 'ClusterQueue', pool.name) as unknown as {
        spec: {
          resourceGroups: {
            flavors: { name: string; resources: { name: string; nominalQuota: number }[] }[];
          }[];
        };
      };
      const resources = cq.spec.resourceGroups[0].flavors[0].resources;
      // Trainium3 devices come from the Neuron DRA driver: Kueue counts its claims as neuron.aws.com/device
      // (kueue-manager-config deviceClassMappings), and nothing offers the device plugin's resources there.
      const trn3 = pool.acceleratorModel === 'Trainium3';
      const accelerator =
        acceleratorKind(pool) === 'nvidia'
          ? 'nvidia.com/gpu'
          : trn3
            ? 'neuron.aws.com/device'
            : 'aws.amazon.com/neuron';
      if (trn3)
        expect(resources.map((r) => r.name)).not.toEqual(
          expect.arrayContaining([expect.stringMatching(/^aws\.amazon\.com\/neuron/)]),
        );
      expect(resources.find((r) => r.name === accelerator)).toEqual({
        name: accelerator,
        nominalQuota: pool.accelerators,
      });
      // cpu and memory are covered on every pool (Kueue refuses pods requesting uncovered resources).
      expect(resources.map((r) => r.name).slice(0, 2)).toEqual(['cpu', 'memory']);
      if (pool.instance)
        expect(resources.slice(0, 2)).toEqual([
          { name: 'cpu', nominalQuota: pool.instance.vcpus.value * pool.nodes },
          { name: 'memory', nominalQuota: `${pool.instance.memoryGiB.value * pool.nodes}Gi` },
        ]);
    }
  });

  test('topology levels go widest to narrowest with kubernetes.io/hostname last', () => {
    for (const t of objs.filter((o) => o.kind === 'Topology')) {
      const levels = (t as unknown as { spec: { levels: { nodeLabel: string }[] } }).spec.levels.map(
        (l) => l.nodeLabel,
      );
      expect(levels[levels.length - 1]).toBe('kubernetes.io/hostname');
      expect(levels.filter((l) => l === 'kubernetes.io/hostname')).toHaveLength(1);
      expect(new Set(levels).size).toBe(levels.length);
    }
  });

  test('YAML is byte-stable across runs', () => {
    const a = synthesizeKubernetes(model(file));
    const b = synthesizeKubernetes(model(file));
    expect([...b.entries()]).toEqual([...a.entries()]);
  });

  test('every Pod Security finding is an explicit device-plugin exemption; nothing else is below restricted', () => {
    expect(unwaivedFindings(objs)).toEqual([]);
    for (const o of objs.filter((x) => x.kind === 'DaemonSet'))
      expect(DEVICE_PLUGIN_EXEMPTIONS[`DaemonSet/${o.metadata.name}`]).toBeDefined();
  });
});

describe('labels and taints come from one definition', () => {
  const plan = model('examples/frontier.yaml');
  test('pool labels and taints', () => {
    expect(poolNodeLabels(plan.poolByName.get('trn2-ultra')!)).toEqual({
      'gigawatt.dev/accelerator': 'neuron',
      'gigawatt.dev/pool': 'trn2-ultra',
      'gigawatt.dev/site': 'ohio',
    });
    expect(poolNodeTaints(plan.poolByName.get('h200')!)).toEqual([
      { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' },
    ]);
  });
  test('ResourceFlavors select the pool label and tolerate the pool taint', () => {
    const flavor = find(objectsOf('examples/frontier.yaml'), 'ResourceFlavor', 'h200') as unknown as {
      spec: Record<string, unknown>;
    };
    expect(flavor.spec).toEqual({
      nodeLabels: { 'gigawatt.dev/pool': 'h200' },
      nodeTaints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }],
      topologyName: 'onprem-racks',
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    });
  });
  test('privileged: the Trainium EFA plugin, the Neuron monitor and the node problem detector, as upstream runs them', () => {
    const privileged = objectsOf('examples/frontier.yaml')
      .flatMap(restrictedFindings)
      .filter((f) => f.check === 'privileged')
      .map((f) => f.workload);
    // One node problem detector per cluster (ohio, abilene).
    expect(privileged.sort()).toEqual([
      'DaemonSet/efa-device-plugin-neuron',
      'DaemonSet/neuron-monitor',
      'DaemonSet/node-problem-detector',
      'DaemonSet/node-problem-detector',
    ]);
  });
  test('a hybrid on-prem site joins its AWS cluster', () => {
    const text = readFileSync(join(ROOT, 'examples/frontier.yaml'), 'utf8').replace(
      '    provider: onprem\n',
      '    provider: onprem\n    hybrid: { cluster: ohio, remoteNodeCidrs: [192.168.0.0/16] }\n',
    );
    const { validateText } = jest.requireActual('../pipeline/run') as typeof import('../pipeline/run');
    const plan2 = validateText(text, 'p.yaml').plan!;
    expect(allManifests(plan2).map((m) => m.cluster)).toEqual(['ohio']);
  });
});

type JsonSchema = { [k: string]: unknown };
/**
 * A CRD's openAPIV3Schema as the API server applies it with field validation Strict (kubectl's default
 * `--validate=strict`): an unknown field is an error, not silently pruned. Every object node that lists
 * its properties, and is neither a map (additionalProperties) nor `x-kubernetes-preserve-unknown-fields`,
 * gets `additionalProperties: false`; the root's bare `metadata: {type: object}` becomes the ObjectMeta
 * fields gigawatt writes.
 */
function strictCrdSchema(schema: JsonSchema, root = true): JsonSchema {
  const out: JsonSchema = { ...schema };
  if (out.properties) {
    const props: Record<string, JsonSchema> = {};
    for (const [k, v] of Object.entries(out.properties as Record<string, JsonSchema>))
      props[k] = strictCrdSchema(v, false);
    if (root)
      props.metadata = {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { type: 'string' },
          namespace: { type: 'string' },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          annotations: { type: 'object', additionalProperties: { type: 'string' } },
        },
      };
    out.properties = props;
    if (out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields'])
      out.additionalProperties = false;
  }
  if (out.items && typeof out.items === 'object') out.items = strictCrdSchema(out.items as JsonSchema, false);
  if (out.additionalProperties && typeof out.additionalProperties === 'object')
    out.additionalProperties = strictCrdSchema(out.additionalProperties as JsonSchema, false);
  for (const k of ['allOf', 'anyOf', 'oneOf'])
    if (Array.isArray(out[k])) out[k] = (out[k] as JsonSchema[]).map((x) => strictCrdSchema(x, false));
  return out;
}

/**
 * resource.k8s.io/v1 ResourceClaimTemplate, which kubernetes-models (4.5.1 here) does not model: a hand-written
 * schema of the fields of kubernetes/api resource/v1/types.go (commit 426b1b99, Kubernetes 1.34+:
 * ResourceClaimTemplate, ResourceClaimTemplateSpec, ResourceClaimSpec, DeviceClaim, DeviceRequest,
 * ExactDeviceRequest, DeviceSelector, CELDeviceSelector, DeviceConstraint, DeviceClaimConfiguration,
 * OpaqueDeviceConfiguration), by json tag, strict like the CRD schemas above (an unknown field is an error).
 * Limits from the same file: at most 32 requests, constraints, configs and selectors per list
 * (DeviceRequestsMaxSize, DeviceConstraintsMaxSize, DeviceConfigMaxSize, DeviceSelectorsMaxSize), 8
 * firstAvailable entries, 16 tolerations; count "Must be greater than zero"; allocationMode ExactCount or All
 * (DeviceAllocationMode); a CEL expression of at most 10 Ki (CELSelectorExpressionMaxLength); request names
 * are DNS labels. Fields gigawatt does not write (firstAvailable, tolerations, capacity) are checked for their
 * type only.
 */
const strict = (properties: Record<string, object>, required: string[] = []) => ({
  type: 'object',
  additionalProperties: false,
  properties,
  ...(required.length ? { required } : {}),
});
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const stringList = (maxItems: number) => ({ type: 'array', maxItems, items: { type: 'string' } });
const DNS_LABEL = { type: 'string', maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' };
const deviceSelector = strict({
  cel: strict({ expression: { type: 'string', maxLength: 10 * 1024 } }, ['expression']),
});
const exactDeviceRequest = strict(
  {
    deviceClassName: { type: 'string', minLength: 1 },
    selectors: { type: 'array', maxItems: 32, items: deviceSelector },
    allocationMode: { enum: ['ExactCount', 'All'] },
    count: { type: 'integer', minimum: 1 },
    adminAccess: { type: 'boolean' },
    tolerations: { type: 'array', maxItems: 16, items: { type: 'object' } },
    capacity: strict({ requests: { type: 'object', additionalProperties: { type: ['string', 'number'] } } }),
  },
  ['deviceClassName'],
);
const RESOURCE_CLAIM_TEMPLATE_SCHEMA = strict(
  {
    apiVersion: { const: 'resource.k8s.io/v1' },
    kind: { const: 'ResourceClaimTemplate' },
    metadata: strict({ name: DNS_LABEL, namespace: DNS_LABEL, labels: stringMap, annotations: stringMap }, [
      'name',
      'namespace',
    ]),
    spec: strict(
      {
        metadata: strict({ labels: stringMap, annotations: stringMap }),
        spec: strict({
          devices: strict({
            requests: {
              type: 'array',
              maxItems: 32,
              items: {
                ...strict(
                  {
                    name: DNS_LABEL,
                    exactly: exactDeviceRequest,
                    firstAvailable: { type: 'array', maxItems: 8, items: { type: 'object' } },
                  },
                  ['name'],
                ),
                oneOf: [{ required: ['exactly'] }, { required: ['firstAvailable'] }],
              },
            },
            constraints: {
              type: 'array',
              maxItems: 32,
              items: strict({
                requests: stringList(32),
                matchAttribute: { type: 'string' },
                distinctAttribute: { type: 'string' },
              }),
            },
            config: {
              type: 'array',
              maxItems: 32,
              items: strict({
                requests: stringList(32),
                opaque: strict({ driver: { type: 'string' }, parameters: { type: 'object' } }, [
                  'driver',
                  'parameters',
                ]),
              }),
            },
          }),
        }),
      },
      ['spec'],
    ),
  },
  ['apiVersion', 'kind', 'metadata', 'spec'],
);

describe('offline schema validation', () => {
  const kueueSchemas = new Map<string, object>();
  for (const f of ['topologies', 'resourceflavors', 'clusterqueues', 'localqueues']) {
    const crd = parse(
      readFileSync(join(ROOT, `test/fixtures/vendor/kueue/kueue.x-k8s.io_${f}.yaml`), 'utf8'),
    );
    const version = crd.spec.versions.find((v: { name: string }) => v.name === 'v1beta2');
    kueueSchemas.set(crd.spec.names.kind, strictCrdSchema(version.schema.openAPIV3Schema));
  }
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
  kueueSchemas.set('ResourceClaimTemplate', RESOURCE_CLAIM_TEMPLATE_SCHEMA);
  const kueueValidator = (kind: string) => {
    if (!compiled.has(kind)) compiled.set(kind, ajv.compile(kueueSchemas.get(kind)!));
    return compiled.get(kind)!;
  };
  const coreModel = (o: KubeObject): { validate(): void } => {
    const mod: Record<string, string> = {
      'v1/Namespace': 'kubernetes-models/v1/Namespace',
      'v1/ServiceAccount': 'kubernetes-models/v1/ServiceAccount',
      'v1/ConfigMap': 'kubernetes-models/v1/ConfigMap',
      'apps/v1/DaemonSet': 'kubernetes-models/apps/v1/DaemonSet',
      'batch/v1/Job': 'kubernetes-models/batch/v1/Job',
      'rbac.authorization.k8s.io/v1/ClusterRole':
        'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole',
      'rbac.authorization.k8s.io/v1/ClusterRoleBinding':
        'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding',
      'scheduling.k8s.io/v1/PriorityClass': 'kubernetes-models/scheduling.k8s.io/v1/PriorityClass',
    };
    const path = mod[`${o.apiVersion}/${o.kind}`];
    if (!path) throw new Error(`no model for ${o.apiVersion}/${o.kind}`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Model = require(path)[o.kind];
    return new Model(o);
  };

  test.each(exampleFiles())(
    '%s: core objects match the Kubernetes OpenAPI schema, Kueue objects their CRD schema',
    (file) => {
      const objs = objectsOf(file);
      expect(objs.length).toBeGreaterThan(5);
      for (const o of objs) {
        if (o.apiVersion.startsWith('kueue.x-k8s.io/') || o.apiVersion.startsWith('resource.k8s.io/')) {
          const validate = kueueValidator(o.kind);
          expect({
            kind: o.kind,
            name: o.metadata.name,
            ok: validate(o),
            errors: validate.errors ?? null,
          }).toEqual({ kind: o.kind, name: o.metadata.name, ok: true, errors: null });
        } else expect(() => coreModel(o).validate()).not.toThrow();
      }
    },
  );

  const generated = (kind: string, name: string) =>
    find(objectsOf('examples/frontier.yaml'), kind, name) as KubeObject & { spec: Record<string, unknown> };
  test.each([
    [
      'ResourceFlavor',
      'h200',
      (o: KubeObject & { spec: Record<string, unknown> }) => ({ ...o, spec: { ...o.spec, tolerationz: [] } }),
      '/spec',
    ],
    // v1beta1's `cohort` became `cohortName` in v1beta2.
    [
      'ClusterQueue',
      'h200',
      (o: KubeObject & { spec: Record<string, unknown> }) => ({
        ...o,
        spec: { ...o.spec, cohort: 'research' },
      }),
      '/spec',
    ],
    [
      'ClusterQueue',
      'h200',
      (o: KubeObject & { spec: Record<string, unknown> }) => {
        const rg = (o.spec.resourceGroups as { flavors: { resources: object[] }[] }[])[0];
        const flavor = { ...rg.flavors[0], resources: [{ ...rg.flavors[0].resources[0], nominalQuotaz: 1 }] };
        return { ...o, spec: { ...o.spec, resourceGroups: [{ ...rg, flavors: [flavor] }] } };
      },
      '/spec/resourceGroups/0/flavors/0/resources/0',
    ],
    [
      'LocalQueue',
      'h200',
      (o: KubeObject & { spec: Record<string, unknown> }) => ({
        ...o,
        metadata: { ...o.metadata, lables: {} },
      }),
      '/metadata',
    ],
    [
      'Topology',
      'onprem-racks',
      (o: KubeObject & { spec: Record<string, unknown> }) => ({ ...o, status: {}, extra: 1 }),
      '',
    ],
  ])('an unknown field in a %s fails the CRD schema', (kind, name, mutate, at) => {
    const validate = kueueValidator(kind);
    const o = generated(kind, name);
    expect(o).toBeDefined();
    expect(validate(o)).toBe(true);
    expect(validate(mutate(o))).toBe(false);
    expect(validate.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ keyword: 'additionalProperties', instancePath: at }),
      ]),
    );
  });

  test('the Trainium3 ResourceClaimTemplate matches resource.k8s.io/v1; a misspelt or invalid field fails', () => {
    const validate = kueueValidator('ResourceClaimTemplate');
    const rct = find(
      objectsOf('examples/fleet-100k.yaml'),
      'ResourceClaimTemplate',
      'trn3-gen2-neuron-node',
    )!;
    expect(rct).toBeDefined();
    expect(validate(rct)).toBe(true);
    const edit = (f: (exactly: Record<string, unknown>) => void) => {
      const copy = JSON.parse(JSON.stringify(rct));
      f(copy.spec.spec.devices.requests[0].exactly);
      return copy;
    };
    // v1beta1 put deviceClassName directly on the request; v1 nests it under `exactly`.
    expect(validate(edit((e) => (e.counts = 4)))).toBe(false);
    expect(validate.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          keyword: 'additionalProperties',
          instancePath: '/spec/spec/devices/requests/0/exactly',
        }),
      ]),
    );
    expect(validate(edit((e) => (e.allocationMode = 'all')))).toBe(false);
    expect(validate(edit((e) => (e.count = 0)))).toBe(false);
    expect(validate({ ...rct, metadata: { name: rct.metadata.name } })).toBe(false);
  });

  test('the schema check catches a broken object', () => {
    const validate = ajv.compile(kueueSchemas.get('ClusterQueue')!);
    expect(
      validate({
        apiVersion: 'kueue.x-k8s.io/v1beta2',
        kind: 'ClusterQueue',
        metadata: { name: 'x' },
        spec: { queueingStrategy: 'Sometimes' },
      }),
    ).toBe(false);
    const ds = objectsOf('examples/p5-efa.yaml').find((o) => o.kind === 'DaemonSet')!;
    expect(() =>
      coreModel({ ...ds, spec: { ...(ds.spec as object), selector: 'all' } }).validate(),
    ).toThrow();
  });
});

describe('gigawatt synth (Kubernetes part)', () => {
  test('writes one file per component and a kustomization per cluster', () => {
    const out = join(tempDir(), 'out');
    const r = runCli(['synth', 'examples/frontier.yaml', '--out', out]);
    expect(r.status).toBe(0);
    const kust = parse(readFileSync(join(out, 'kubernetes/ohio/kustomization.yaml'), 'utf8'));
    expect(kust.resources).toEqual([
      'namespaces.yaml',
      'priority-classes.yaml',
      'neuron-device-plugin.yaml',
      'neuron-monitor.yaml',
      'efa-device-plugin.yaml',
      'node-problem-detector.yaml',
      'kueue-manager-config.yaml',
      'kueue.yaml',
    ]);
    const docs = parseAllDocuments(
      readFileSync(join(out, 'kubernetes/abilene/nvidia-device-plugin.yaml'), 'utf8'),
    ).map((d) => d.toJS());
    expect(docs.map((d) => d.kind)).toEqual(['DaemonSet']);
  });
});

describe('YAML output is safe for every reader', () => {
  // Names that YAML 1.1 readers (go-yaml v2 inside kubectl's sigs.k8s.io/yaml) take for booleans or null.
  const hostile = readFileSync(join(ROOT, 'examples/frontier.yaml'), 'utf8')
    .replace(/\btrn2-ultra\b/g, 'yes')
    .replace('name: h200,', 'name: no,')
    .replace('pools: [h200]', 'pools: [no]')
    .replace(/\bohio\b/g, 'on')
    .replace(/\babilene\b/g, 'off')
    .replace(/cohort: research/, 'cohort: y')
    .replace(/\bpretraining\b/g, 'n')
    .replace(/\bevals\b/g, '"null"');
  const hostileNames = ['yes', 'no', 'on', 'off', 'y', 'n', 'null'];
  const out = join(tempDir(), 'out');
  const planFile = join(tempDir(), 'hostile.yaml');
  let r: ReturnType<typeof runCli>;
  beforeAll(() => {
    writeFileSync(planFile, hostile);
    r = runCli(['synth', planFile, '--out', out]);
  });
  const yamlFiles = (): string[] =>
    readdirSync(join(out, 'kubernetes'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => join(out, 'kubernetes', f));

  test('the hostile plan synthesizes', () => {
    // synth reports the plan's findings on stderr; none of them is an error.
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/: 0 errors, /);
    expect(r.stderr).not.toMatch(/\berror\s+GW-/);
    expect(yamlFiles().length).toBeGreaterThan(8);
  });

  test('YAML 1.1 and YAML 1.2 readers read every file the same way, and as the objects generated', () => {
    const plan = validateFile(planFile).plan!;
    const expected = synthesizeKubernetes(plan);
    for (const path of yamlFiles()) {
      const text = readFileSync(path, 'utf8');
      const as12 = parseAllDocuments(text, { version: '1.2' }).map((d) => d.toJS());
      const as11 = parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS());
      expect({ path, same: as11 }).toEqual({ path, same: as12 });
      const rel = path.slice(out.length + 1);
      expect(text).toBe(expected.get(rel));
    }
  });

  test('hostile names arrive as strings, quoted, wherever they are written', () => {
    const seen = new Set<string>();
    for (const path of yamlFiles()) {
      const text = readFileSync(path, 'utf8');
      for (const doc of parseAllDocuments(text, { version: '1.1' }))
        visit(doc, {
          Scalar(_, node) {
            if (typeof node.source === 'string' && hostileNames.includes(node.source)) {
              expect({ value: node.value, type: node.type }).toEqual({
                value: node.source,
                type: 'QUOTE_DOUBLE',
              });
              seen.add(node.source);
            }
            // The only booleans are the generated ones (hostNetwork: true, globalDefault: false); no nulls.
            if (typeof node.value === 'boolean') expect(['true', 'false']).toContain(node.source);
            expect(node.value).not.toBeNull();
          },
        });
      // And as text: no plain `name: yes`.
      expect(text).not.toMatch(/:\s(yes|no|on|off|y|n|null)$/m);
    }
    // Every hostile name written inside a manifest (pools, cohort, namespaces) was seen; the site names
    // `on` and `off` name the cluster directories and their kustomizations (metadata.name).
    expect([...seen].sort()).toEqual(['n', 'no', 'null', 'off', 'on', 'y', 'yes']);
    expect(yamlFiles().some((f) => f.includes('/kubernetes/on/'))).toBe(true);
  });

  test('no anchors or aliases, even where one object is used twice (DaemonSet labels)', () => {
    let anchors = 0;
    let aliases = 0;
    for (const path of yamlFiles())
      for (const doc of parseAllDocuments(readFileSync(path, 'utf8')))
        visit(doc, {
          Alias() {
            aliases++;
          },
          Node(_, node) {
            if (node.anchor) anchors++;
          },
        });
    expect({ anchors, aliases }).toEqual({ anchors: 0, aliases: 0 });
    const ds = parse(readFileSync(join(out, 'kubernetes/off/nvidia-device-plugin.yaml'), 'utf8'));
    expect(ds.spec.template.metadata.labels).toEqual(ds.metadata.labels);
  });

  test.each([
    ['1e3'],
    ['0x10'],
    ['010'],
    ['0o10'],
    ['0b101'],
    ['1_000'],
    ['190:20:30'],
    ['.inf'],
    ['~'],
    ['Off'],
    ['NO'],
    ['2001-12-14'],
  ])('the string %s is quoted and read back as that string under YAML 1.1 and 1.2', (s) => {
    const text = toYaml([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { v: s } } }]);
    expect(text).toContain(`v: "${s}"`);
    expect(parse(text, { version: '1.1' }).metadata.labels.v).toBe(s);
    expect(parse(text, { version: '1.2' }).metadata.labels.v).toBe(s);
  });
});
