/**
 * Which Terraform resources a change adds, destroys or replaces, from the synthesized stacks of the base
 * and head plans compared by address. "Replaced" means the address stays but an argument the AWS provider
 * cannot update in place (ForceNew) changes, so Terraform destroys and recreates it: for node groups and
 * instances that is hardware going away. "Recycles" are the changes that take accelerator nodes away:
 * node groups, subnets or the cluster destroyed or replaced, and node groups rolled node by node by a
 * Kubernetes version change or a new launch-template version (terraform-provider-aws #22264, #43559).
 * A replacement carries over: an argument of FORCE_NEW that references a replaced resource gets a new value
 * at apply, so its resource is replaced too (a node subnet replaced replaces its node groups); any other
 * argument that reads a replaced resource's computed attribute makes an in-place update. A stack
 * whose state moves (the plan's name is part of every state key) starts from empty state: all of its
 * resources are added, none destroyed, and the old state's are left running — a recycle of its own.
 */
import type { Recycle, TerraformChanges } from './diff';

/**
 * Arguments the AWS provider cannot change in place, per resource type (provider 5.x schema). Checked
 * against Terraform's own plans (`replace_paths`) in test/day2-moto.test.ts.
 */
export const FORCE_NEW: Readonly<Record<string, readonly string[]>> = {
  aws_eks_node_group: [
    'node_group_name',
    'instance_types',
    'ami_type',
    'capacity_type',
    'subnet_ids',
    'node_role_arn',
    'remote_access',
    'cluster_name',
  ],
  aws_launch_template: ['name'],
  aws_eks_cluster: ['name', 'role_arn', 'encryption_config'],
  aws_vpc: ['cidr_block'],
  aws_subnet: ['cidr_block', 'availability_zone', 'vpc_id'],
  aws_vpc_ipv4_cidr_block_association: ['cidr_block'],
  aws_route_table_association: ['subnet_id'],
  aws_nat_gateway: ['subnet_id'],
  aws_autoscaling_schedule: ['autoscaling_group_name'],
  aws_placement_group: ['name', 'strategy'],
  aws_security_group: ['name', 'description', 'vpc_id'],
  aws_kms_key: [],
};

type Resources = Record<string, Record<string, Record<string, unknown>>>;

interface StackJson {
  resource?: Resources;
  terraform?: { backend?: { s3?: { bucket?: string; key?: string }; local?: { path?: string } } };
}

/** Resources by "stack:type.name", and where each stack keeps its state (`s3://bucket/key` or a local path). */
function stacks(files: ReadonlyMap<string, string>) {
  const resources = new Map<string, { type: string; body: Record<string, unknown> }>();
  const state = new Map<string, string>();
  for (const [path, text] of files) {
    const m = /^terraform\/stacks\/([^/]+)\/cdk\.tf\.json$/.exec(path);
    if (!m) continue;
    const json = JSON.parse(text) as StackJson;
    const backend = json.terraform?.backend;
    state.set(
      m[1]!,
      backend?.s3 ? `s3://${backend.s3.bucket}/${backend.s3.key}` : (backend?.local?.path ?? ''),
    );
    for (const [type, byName] of Object.entries(json.resource ?? {}))
      for (const [name, body] of Object.entries(byName))
        resources.set(`${m[1]}:${type}.${name}`, { type, body });
  }
  return { resources, state };
}

/** Node-group arguments whose change EKS rolls out by replacing every node, one at a time. */
const ROLLING = ['version', 'release_version', 'launch_template'];
/** Launch-template arguments that do not create a new template version. */
const NOT_A_VERSION = ['tags', 'tags_all', 'update_default_version', 'default_version'];

const changed = (a: Record<string, unknown>, b: Record<string, unknown>, key: string) =>
  JSON.stringify(a[key]) !== JSON.stringify(b[key]);
const changedKeys = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => k !== '//' && changed(a, b, k)).sort();
/** "stack:type.name" of a "${type.name.attr}" reference inside a stack. */
const referenced = (stack: string, expr: unknown): string | undefined => {
  const m = /^\$\{([a-z0-9_]+\.[^.}]+)\./.exec(typeof expr === 'string' ? expr : '');
  return m ? `${stack}:${m[1]}` : undefined;
};
/** "stack:type.name" of every resource a value references (anywhere inside it). */
const references = (stack: string, value: unknown): string[] =>
  [...(JSON.stringify(value ?? null).match(/\$\{[a-z0-9_]+\.[^.}]+\./g) ?? [])].map(
    (r) => `${stack}:${r.slice(2, -1)}`,
  );
/** Every "${type.name.attr" reference a value makes: the resource ("stack:type.name") and the attribute. */
const attributeReferences = (stack: string, value: unknown): { target: string; attribute: string }[] =>
  [...JSON.stringify(value ?? null).matchAll(/\$\{([a-z0-9_]+\.[^.}]+)\.([a-z0-9_]+)/g)].map((m) => ({
    target: `${stack}:${m[1]}`,
    attribute: m[2]!,
  }));
const HARDWARE = new Set(['aws_eks_node_group', 'aws_subnet', 'aws_eks_cluster', 'aws_vpc']);

export function terraformChanges(
  base: ReadonlyMap<string, string>,
  head: ReadonlyMap<string, string>,
): TerraformChanges {
  const before = stacks(base);
  const after = stacks(head);
  const recycles: Recycle[] = [];
  // A stack whose state location changes (metadata.name or the backend renamed) is planned by Terraform
  // from empty state: every resource of it is created anew, while the old state keeps the running ones.
  const moved = [...after.state].filter(([id, to]) => before.state.has(id) && before.state.get(id) !== to);
  for (const [id, to] of moved) {
    const running = [...before.resources.keys()].filter((k) => k.startsWith(`${id}:`)).length;
    const created = [...after.resources.keys()].filter((k) => k.startsWith(`${id}:`)).length;
    recycles.push({
      address: id,
      why: `state moves from ${before.state.get(id)} to ${to}: Terraform starts the stack from empty state and creates its ${created} resources beside the ${running} the old state keeps running (keep the plan name and backend, or move the state first)`,
    });
  }
  const movedIds = new Set(moved.map(([id]) => id));
  const a = new Map([...before.resources].filter(([k]) => !movedIds.has(k.split(':')[0]!)));
  const b = after.resources;
  const replaced: string[] = [];
  const updated: string[] = [];
  const newTemplateVersion = new Set<string>();
  for (const [addr, r] of a) {
    const h = b.get(addr);
    if (!h) {
      if (HARDWARE.has(r.type))
        recycles.push({ address: addr, why: 'destroyed (removed or renamed in the plan)' });
      continue;
    }
    const keys = changedKeys(r.body, h.body);
    if (!keys.length) continue;
    const forcing = keys.filter((k) => (FORCE_NEW[r.type] ?? []).includes(k));
    if (forcing.length) {
      replaced.push(addr);
      if (HARDWARE.has(r.type))
        recycles.push({ address: addr, why: `replaced: ${forcing.join(', ')} cannot change in place` });
      continue;
    }
    updated.push(addr);
    if (r.type === 'aws_launch_template' && keys.some((k) => !NOT_A_VERSION.includes(k)))
      newTemplateVersion.add(addr);
    const rolling = keys.filter((k) => ROLLING.includes(k));
    if (r.type === 'aws_eks_node_group' && rolling.length)
      recycles.push({ address: addr, why: `rolling update of every node: ${rolling.join(', ')} changes` });
  }
  // Carried over: a FORCE_NEW argument that references a replaced resource is unknown until apply.
  for (let grew = true; grew;) {
    grew = false;
    for (const [addr, h] of b) {
      if (!a.has(addr) || replaced.includes(addr)) continue;
      const stack = addr.split(':')[0];
      const forcing = (FORCE_NEW[h.type] ?? []).flatMap((k) =>
        references(stack, h.body[k])
          .filter((r) => replaced.includes(r))
          .map((r) => `${k} references ${r.split(':')[1]}, which is replaced`),
      );
      if (!forcing.length) continue;
      grew = true;
      replaced.push(addr);
      if (updated.includes(addr)) updated.splice(updated.indexOf(addr), 1);
      const rolling = recycles.findIndex((x) => x.address === addr);
      if (rolling >= 0) recycles.splice(rolling, 1);
      if (HARDWARE.has(h.type))
        recycles.push({ address: addr, why: `replaced: ${[...new Set(forcing)].join('; ')}` });
    }
  }
  // Carried over in place: any other argument that reads a replaced resource's computed attribute (its
  // id, arn, …) is unknown until apply, so Terraform updates the resource in place (interface endpoints
  // on a replaced subnet). An attribute set to the same value in both plans stays known: no change.
  for (const [addr, h] of b) {
    if (!a.has(addr) || replaced.includes(addr) || updated.includes(addr)) continue;
    const stack = addr.split(':')[0]!;
    const reads = Object.entries(h.body)
      .filter(([k]) => !['//', 'depends_on', 'lifecycle'].includes(k))
      .flatMap(([, v]) => attributeReferences(stack, v))
      .filter(({ target }) => replaced.includes(target))
      .some(({ target, attribute }) => {
        const was = a.get(target)?.body;
        const is = b.get(target)?.body;
        return !was || !is || !(attribute in is) || changed(was, is, attribute);
      });
    if (reads) updated.push(addr);
  }
  // A new launch-template version rolls every node group that follows it, node by node.
  for (const [addr, h] of b) {
    if (h.type !== 'aws_eks_node_group' || !a.has(addr) || recycles.some((x) => x.address === addr)) continue;
    const template = referenced(addr.split(':')[0], (h.body.launch_template as { id?: unknown })?.id);
    if (template && newTemplateVersion.has(template))
      recycles.push({
        address: addr,
        why: `rolling update of every node: new version of ${template.split(':')[1]} (${changedKeys(a.get(template)!.body, b.get(template)!.body).join(', ')})`,
      });
  }
  return {
    added: [...b.keys()].filter((k) => !a.has(k)).sort(),
    updated: updated.sort(),
    destroyed: [...a.keys()].filter((k) => !b.has(k)).sort(),
    replaced: replaced.sort(),
    recycles: recycles.sort((x, y) => x.address.localeCompare(y.address)),
  };
}
