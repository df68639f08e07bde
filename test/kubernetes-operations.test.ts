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
