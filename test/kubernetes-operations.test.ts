/**
 * What the operator gets in kubernetes/<cluster>/: the device plugins' settings and versions, read from the
 * files `gigawatt synth` writes (not from the in-process objects).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runCli, tempDir } from './helpers';

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  [k: string]: unknown;
};
type Container = {
  name: string;
  image: string;
  env?: { name: string; value?: string }[];
  securityContext?: Record<string, unknown>;
  [k: string]: unknown;
};
type PodSpec = { containers: Container[]; [k: string]: unknown };

const synthesized = new Map<string, string>();
/** Synthesize an example once (CLI, as a user runs it) and return its output directory. */
function synth(example: string): string {
  if (!synthesized.has(example)) {
    const out = join(tempDir(), 'out');
    const r = runCli(['synth', `examples/${example}.yaml`, '--out', out]);
    expect({ example, status: r.status }).toEqual({ example, status: 0 });
    synthesized.set(example, out);
  }
  return synthesized.get(example)!;
}
const read = (example: string, cluster: string, file: string): Obj[] =>
  parseAllDocuments(readFileSync(join(synth(example), 'kubernetes', cluster, file), 'utf8')).map(
    (d) => d.toJS() as Obj,
  );
const podSpec = (o: Obj): PodSpec => (o.spec as { template: { spec: PodSpec } }).template.spec;
const env = (c: Container): Record<string, string | undefined> =>
  Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));

describe('NVIDIA device plugin', () => {
  const [ds] = read('p5-efa', 'virginia', 'nvidia-device-plugin.yaml');
  const c = podSpec(ds).containers[0];

  test('runs the v0.20.0 release image', () => {
    expect(c.image).toBe('nvcr.io/nvidia/k8s-device-plugin:v0.20.0');
  });

  test('fails on init errors and hands GPUs over as volume mounts', () => {
    expect(env(c)).toEqual({ FAIL_ON_INIT_ERROR: 'true', DEVICE_LIST_STRATEGY: 'envvar,volume-mounts' });
    // Quoted in the file, so no YAML reader takes it for a boolean.
    expect(
      readFileSync(join(synth('p5-efa'), 'kubernetes/virginia/nvidia-device-plugin.yaml'), 'utf8'),
    ).toContain('value: "true"');
  });

  test('holds CAP_SYS_ADMIN and nothing else, as the vendor chart does for volume-mounts', () => {
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] },
    });
    expect(podSpec(ds).hostNetwork).toBeUndefined();
  });

  test('names the toolkit settings the GPU nodes need for isolation', () => {
    const need = ds.metadata.annotations?.['gigawatt.dev/node-requirement'] ?? '';
    expect(need).toContain('accept-nvidia-visible-devices-as-volume-mounts = true');
    expect(need).toContain('accept-nvidia-visible-devices-envvar-when-unprivileged = false');
  });
});

describe('Neuron device plugin', () => {
  const objs = read('fleet-100k', 'ohio', 'neuron-device-plugin.yaml');
  const ds = objs.find((o) => o.kind === 'DaemonSet')!;
  type Affinity = {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: { matchExpressions: { key: string; values: string[] }[] }[];
      };
    };
  };
  const pools = (o: Obj) =>
    (podSpec(o).affinity as Affinity).nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution
      .nodeSelectorTerms[0].matchExpressions[0].values;

  test("runs the image of the vendor's static manifest (aws-neuron-sdk @81ce03ae)", () => {
    expect(podSpec(ds).containers[0].image).toBe('public.ecr.aws/neuron/neuron-device-plugin:2.22.4.0');
  });

  test('stays off the Trainium3 UltraServer nodes, which take the Neuron DRA driver instead', () => {
    expect(pools(ds)).toEqual(['trn2-ultra']);
  });
});

describe('GW-CAP-NEURON-DEVICES', () => {
  const { check } = jest.requireActual('./helpers') as typeof import('./helpers');
  const { RULE_PAGES } = jest.requireActual(
    '../pipeline/rules/pages',
  ) as typeof import('../pipeline/rules/pages');
  const trn3 = RULE_PAGES['GW-CAP-NEURON-DEVICES']!.example!;
  const findings = (text: string) =>
    check(text)
      .diagnostics.filter((d) => d.rule === 'GW-CAP-NEURON-DEVICES')
      .map((d) => ({ severity: d.severity, message: d.message }));

  test('Trainium3 below Kubernetes 1.34 is an error that names both versions', () => {
    expect(findings(trn3)).toEqual([
      {
        severity: 'error',
        message: expect.stringMatching(
          /Neuron DRA driver .* Kubernetes 1\.34 or later; kubernetes.version is 1\.33\./,
        ),
      },
    ]);
  });

  test('the Trainium3 hints turn the chart device plugin off, which the chart refuses next to the DRA driver', () => {
    const hint = (text: string) =>
      check(text).diagnostics.find((d) => d.rule === 'GW-CAP-NEURON-DEVICES')!.hint;
    expect(hint(trn3)).toContain('devicePlugin.enabled=false, draDriver.enabled=true');
    expect(hint(trn3.replace("version: '1.33'", "version: '1.34'"))).toContain(
      '--set "devicePlugin.enabled=false"',
    );
  });

  test('Trainium3 on 1.34 is a warning: the DRA driver is not part of the output', () => {
    expect(findings(trn3.replace("version: '1.33'", "version: '1.34'"))).toEqual([
      { severity: 'warning', message: expect.stringContaining('gigawatt does not install') },
    ]);
    expect(findings(trn3.replace("version: '1.33'", "version: '1.40'"))[0]?.severity).toBe('warning');
  });

  test('the Trainium3 warning names the claims its queue counts, the template and the driver install', () => {
    const d = check(trn3.replace("version: '1.33'", "version: '1.34'")).diagnostics.find(
      (x) => x.rule === 'GW-CAP-NEURON-DEVICES',
    )!;
    expect(d.message).toContain(
      "counts claims of DeviceClass neuron.aws.com (as neuron.aws.com/device, through Kueue's deviceClassMappings), not aws.amazon.com/neuron",
    );
    expect(d.message).toContain("ResourceClaimTemplate 'trn3-neuron-node'");
    expect(d.hint).toContain(
      'helm upgrade --install neuron-helm-chart oci://public.ecr.aws/neuron/neuron-helm-chart --set "devicePlugin.enabled=false" --set "npd.enabled=false" --set "draDriver.enabled=true"',
    );
    expect(d.hint).toContain('resourceClaimTemplateName: trn3-neuron-node');
    expect(d.hint).toContain('the label `kueue.x-k8s.io/queue-name: trn3`');
  });

  test('a Trn2 UltraServer pool is warned while the pinned plugin is older than 2.30.0.0; Trn2 alone is not', () => {
    const trn2u = trn3.replace('trn3p.48xlarge, instances: 4', 'trn2u.48xlarge, instances: 4');
    expect(findings(trn2u)).toEqual([
      {
        severity: 'warning',
        message: expect.stringContaining('requires the Neuron device plugin 2.30.0.0 or later, and gigawatt'),
      },
    ]);
    expect(findings(trn3.replace('trn3p.48xlarge, instances: 4', 'trn2.48xlarge, instances: 4'))).toEqual([]);
    expect(findings(trn3.replace('trn3p.48xlarge, instances: 4', 'p5.48xlarge, instances: 4'))).toEqual([]);
  });

  test('versions compare numerically, part by part', () => {
    const { compareVersions } = jest.requireActual(
      '../pipeline/model/images',
    ) as typeof import('../pipeline/model/images');
    expect(compareVersions('2.22.4.0', '2.30.0.0')).toBeLessThan(0);
    expect(compareVersions('2.30.0.0', '2.30')).toBe(0);
    expect(compareVersions('1.34', '1.9')).toBeGreaterThan(0);
    expect(compareVersions('v0.20.0', '0.19.3')).toBeGreaterThan(0);
  });
});

describe('Kueue topologies follow the EC2 network layers of each instance type', () => {
  const flavor = (example: string, cluster: string, pool: string) =>
    read(example, cluster, 'kueue.yaml').find((o) => o.kind === 'ResourceFlavor' && o.metadata.name === pool)!
      .spec as { topologyName?: string };
  const levels = (example: string, cluster: string, name: string) =>
    (
      read(example, cluster, 'kueue.yaml').find((o) => o.kind === 'Topology' && o.metadata.name === name)!
        .spec as {
        levels: { nodeLabel: string }[];
      }
    ).levels.map((l) => l.nodeLabel);

  test('p6-b200 (four layers) gets network-node-layer-4 above the hostname', () => {
    expect(flavor('fleet-10k', 'virginia', 'b200').topologyName).toBe('aws-network-4');
    expect(levels('fleet-10k', 'virginia', 'aws-network-4')).toEqual([
      'topology.k8s.aws/network-node-layer-1',
      'topology.k8s.aws/network-node-layer-2',
      'topology.k8s.aws/network-node-layer-3',
      'topology.k8s.aws/network-node-layer-4',
      'kubernetes.io/hostname',
    ]);
  });

  test('three-layer types keep the three-layer topology (TAS skips nodes missing a level label)', () => {
    expect(flavor('fleet-10k', 'ohio', 'h200').topologyName).toBe('aws-network');
    expect(flavor('fleet-10k', 'ohio', 'trn2-ultra').topologyName).toBe('aws-network');
    expect(levels('fleet-10k', 'ohio', 'aws-network')).not.toContain('topology.k8s.aws/network-node-layer-4');
    expect(read('fleet-10k', 'ohio', 'kueue.yaml').filter((o) => o.kind === 'Topology')).toHaveLength(1);
  });

  test('a type without EC2 topology (Trainium3) gets a flavor without topologyName', () => {
    expect(flavor('fleet-100k', 'ohio', 'trn3-gen2').topologyName).toBeUndefined();
    expect(flavor('fleet-100k', 'ohio', 'trn2-ultra').topologyName).toBe('aws-network');
  });

  test('on-prem pools keep the rack topology', () => {
    expect(flavor('fleet-10k', 'odessa', 'dgx-h200').topologyName).toBe('onprem-racks');
  });
});

describe('dcgm-exporter.yaml (NVIDIA pools)', () => {
  const docs = parseAllDocuments;
  const dir = synth('p5-efa');
  const ds = docs(readFileSync(join(dir, 'kubernetes/virginia/dcgm-exporter.yaml'), 'utf8')).map((d) =>
    d.toJS(),
  )[0];
  const plugin = docs(readFileSync(join(dir, 'kubernetes/virginia/nvidia-device-plugin.yaml'), 'utf8')).map(
    (d) => d.toJS(),
  )[0];

  test("runs the image of NVIDIA/dcgm-exporter's static manifest at 4.5.3-4.8.2", () => {
    expect(ds.spec.template.spec.containers[0].image).toBe(
      'nvcr.io/nvidia/k8s/dcgm-exporter:4.5.3-4.8.2-distroless',
    );
  });

  test('lands on exactly the nodes of the NVIDIA device plugin, tolerating the same taints', () => {
    expect(ds.spec.template.spec.affinity).toEqual(plugin.spec.template.spec.affinity);
    expect(ds.spec.template.spec.tolerations).toEqual(plugin.spec.template.spec.tolerations);
    expect(ds.spec.template.spec.tolerations).toEqual(
      expect.arrayContaining([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]),
    );
  });
});
