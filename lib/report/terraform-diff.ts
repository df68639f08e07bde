/**
 * Which Terraform resources a change adds, destroys or replaces, from the synthesized stacks of the base
 * and head plans compared by address. "Replaced" means the address stays but an argument the AWS provider
 * cannot update in place (ForceNew) changes, so Terraform destroys and recreates it: for node groups and
 * instances that is hardware going away.
 */
import type { TerraformChanges } from './diff';

/** Arguments the AWS provider cannot change in place, per resource type (provider 5.x schema). */
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
  aws_placement_group: ['name', 'strategy'],
  aws_security_group: ['name', 'description', 'vpc_id'],
  aws_kms_key: [],
};

type Resources = Record<string, Record<string, Record<string, unknown>>>;

function resources(
  files: ReadonlyMap<string, string>,
): Map<string, { type: string; body: Record<string, unknown> }> {
  const out = new Map<string, { type: string; body: Record<string, unknown> }>();
  for (const [path, text] of files) {
    const m = /^terraform\/stacks\/([^/]+)\/cdk\.tf\.json$/.exec(path);
    if (!m) continue;
    const res = (JSON.parse(text) as { resource?: Resources }).resource ?? {};
    for (const [type, byName] of Object.entries(res))
      for (const [name, body] of Object.entries(byName)) out.set(`${m[1]}:${type}.${name}`, { type, body });
  }
  return out;
}

export function terraformChanges(
  base: ReadonlyMap<string, string>,
  head: ReadonlyMap<string, string>,
): TerraformChanges {
  const a = resources(base);
  const b = resources(head);
  const replaced: string[] = [];
  for (const [addr, r] of a) {
    const h = b.get(addr);
    if (!h) continue;
    if ((FORCE_NEW[r.type] ?? []).some((k) => JSON.stringify(r.body[k]) !== JSON.stringify(h.body[k])))
      replaced.push(addr);
  }
  return {
    added: [...b.keys()].filter((k) => !a.has(k)).sort(),
    destroyed: [...a.keys()].filter((k) => !b.has(k)).sort(),
    replaced: replaced.sort(),
  };
}
